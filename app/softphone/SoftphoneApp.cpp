#include "SoftphoneApp.h"

#include "AppLogging.h"
#include "AppServerClient.h"
#include "CallCoordinator.h"
#include "CallEndCause.h"
#include "CallHistory.h"
#include "ContactBook.h"
#include "CredentialStore.h"
#include "Database.h"
#include "DialerPage.h"
#include "InstanceChannel.h"
#include "LinkCallDialog.h"
#include "MainWindow.h"
#include "MessageStore.h"
#include "MessagesPage.h"
#include "Settings.h"
#include "SignInPage.h"
#include "SoftphoneClient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStatusBar>
#include <QUuid>
#include <cstdio>
#include <utility>

namespace softphone::app {

using Key = storage::Settings::Key;
using ui::MainWindow;
using ui::SignInPage;

namespace {

SignInPage::Failure failureOf(client::AppServerError::Type type)
{
    using T = client::AppServerError::Type;
    switch (type) {
    case T::BadCredentials:
        return SignInPage::Failure::BadCredentials;
    case T::Unreachable:
        return SignInPage::Failure::Unreachable;
    case T::Tls:
        return SignInPage::Failure::Tls;
    case T::RateLimited:
        return SignInPage::Failure::RateLimited;
    case T::Insecure:
        return SignInPage::Failure::Insecure;
    default:
        return SignInPage::Failure::Other;
    }
}

QElapsedTimer &sinceConstruction()
{
    static QElapsedTimer timer;
    return timer;
}

} // namespace

SoftphoneApp::SoftphoneApp(const AppOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{
    if (!sinceConstruction().isValid())
        sinceConstruction().start();
    m_settings = options.settingsFile.isEmpty()
                     ? std::make_unique<storage::Settings>()
                     : std::make_unique<storage::Settings>(options.settingsFile);
    m_database = std::make_unique<storage::Database>(
        options.databasePath.isEmpty() ? storage::Database::defaultPath() : options.databasePath);
    m_credentials = options.keychainService.isEmpty()
                        ? new storage::CredentialStore(this)
                        : new storage::CredentialStore(options.keychainService, this);
    m_refreshTimer.setSingleShot(true);
    connect(&m_refreshTimer, &QTimer::timeout, this, &SoftphoneApp::refreshNow);
    // Before start(): the agent may report its push status the moment we listen.
    m_pushStatus = new TrayPushStatus(this);
}

void SoftphoneApp::attachInstanceChannel(InstanceChannel *channel)
{
    connect(channel, &InstanceChannel::activationRequested, this, &SoftphoneApp::activate);
    // The pushes the tray agent hands over (it acks the push once we answered "ok").
    connect(channel, &InstanceChannel::pushPayloadReceived, this, &SoftphoneApp::relayPush);
    connect(channel, &InstanceChannel::agentPushStatusReceived, m_pushStatus,
            &TrayPushStatus::agentReported);
    channel->setPushAnswerFields([this] {
        const QStringList handled = m_calls ? m_calls->handledCalls() : QStringList();
        return QJsonObject{{QStringLiteral("handledCalls"), QJsonArray::fromStringList(handled)}};
    });
}

void SoftphoneApp::applyCallActions(const AppOptions &options)
{
    if (!options.answerCall.isEmpty())
        m_calls->answerIncoming(options.answerCall);
    if (!options.declineCall.isEmpty())
        m_calls->declineIncoming(options.declineCall);
}

SoftphoneApp::~SoftphoneApp()
{
    if (m_client)
        m_client->terminate();
    // Windows go before the storage they show.
    m_window.reset();
}

bool SoftphoneApp::start()
{
    if (!m_database->open()) {
        m_lastError = tr("Cannot open the history database: %1").arg(m_database->error());
        qCCritical(lcApp) << m_lastError;
        return false;
    }
    m_history = new storage::CallHistory(*m_database, this);
    m_contacts = new storage::ContactBook(*m_database, this);
    m_messages = new storage::MessageStore(*m_database, this);
    m_window = std::make_unique<MainWindow>(*m_settings, *m_history, *m_contacts, *m_messages);
    m_calls = new CallCoordinator(*m_settings, *m_history, this);
    applyCallActions(m_options);
    m_window->setPushStatusSource(m_pushStatus);

    MainWindow *window = m_window.get();
    connect(window, &MainWindow::dialRequested, this, &SoftphoneApp::dial);
    connect(window, &MainWindow::signOutRequested, this, &SoftphoneApp::signOut);
    connect(window, &MainWindow::closeRequested, this, &SoftphoneApp::onCloseRequested);
    connect(window, &MainWindow::quitRequested, this, &SoftphoneApp::quitRequested);
    connect(window->signInPage(), &SignInPage::signInRequested, this,
            &SoftphoneApp::signInWithPassword);

    const QString server =
        m_options.server.isEmpty() ? m_settings->string(Key::ServerUrl) : m_options.server;
    const QString user =
        m_options.user.isEmpty() ? m_settings->string(Key::UserName) : m_options.user;
    window->signInPage()->setServer(server);
    window->signInPage()->setUser(user);
    window->signInPage()->setRemember(m_settings->flag(Key::RememberMe));
    const bool minimized = m_options.minimized || m_settings->flag(Key::StartMinimized);
    const bool fromKeychain = m_options.password.isEmpty() && m_settings->flag(Key::RememberMe) &&
                              !server.isEmpty() && !user.isEmpty();
    if (!minimized)
        showWindow();
    if (!m_options.password.isEmpty()) {
        signInWithPassword(server, user, m_options.password, m_settings->flag(Key::RememberMe));
    } else if (fromKeychain) {
        window->signInPage()->setBusy(true);
        signInFromKeychain(server, user);
    } else {
        reportReady(); // the sign-in page is what the user works with
    }
    if (!m_options.dialTarget.isEmpty())
        dialFromLink(m_options.dialTarget);
    return true;
}

void SoftphoneApp::showWindow()
{
    m_window->show();
    m_window->setWindowState((m_window->windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
    m_window->raise();
    m_window->activateWindow();
}

void SoftphoneApp::activate(const QStringList &args)
{
    QString error;
    const auto options = AppOptions::parse(QStringList{QStringLiteral("softphone")} + args, &error);
    if (!options) {
        qCWarning(lcApp) << "ignoring forwarded arguments:" << error;
        showWindow();
        return;
    }
    if (!options->minimized)
        showWindow();
    applyCallActions(*options);
    if (!options->dialTarget.isEmpty())
        dialFromLink(options->dialTarget);
}

void SoftphoneApp::dialFromLink(const QString &target)
{
    if (!m_settings->flag(Key::ConfirmLinkCalls)) {
        dial(target);
        return;
    }
    // The newest link's question replaces an older one still open.
    if (m_linkDialog)
        m_linkDialog->close();
    m_linkDialog = new ui::LinkCallDialog(target, m_window.get());
    connect(m_linkDialog, &ui::LinkCallDialog::callConfirmed, this, &SoftphoneApp::dial);
    m_linkDialog->show();
    m_linkDialog->raise();
    m_linkDialog->activateWindow();
}

void SoftphoneApp::dial(const QString &user)
{
    m_window->dialerPage()->setTarget(user);
    if (!m_client ||
        m_client->connectionState() != client::SoftphoneClient::ConnectionState::Connected) {
        // Dialled from a URI before we are online: call once connected.
        m_pendingDial = user;
        return;
    }
    m_pendingDial.clear();
    QString reason;
    if (!m_calls->placeCall(user, &reason))
        m_window->statusBar()->showMessage(reason, 5000);
}

void SoftphoneApp::signInWithPassword(const QString &server, const QString &user,
                                      const QString &password, bool remember)
{
    m_window->signInPage()->setBusy(true);
    if (m_appServer)
        m_appServer->deleteLater();
    m_appServer = new client::AppServerClient(QUrl(server), this);
    m_appServer->setAllowInsecure(m_options.allowInsecure);
    m_refreshing = false;
    connect(m_appServer, &client::AppServerClient::loggedIn, this,
            [this, server, remember](const client::LoginResult &result) {
                m_server = server;
                onLoggedIn(result, remember);
            });
    connect(m_appServer, &client::AppServerClient::refreshed, this,
            [this, remember](const client::LoginResult &result) { onLoggedIn(result, remember); });
    connect(m_appServer, &client::AppServerClient::failed, this, &SoftphoneApp::onAppServerFailed);
    m_appServer->login(user, password, deviceId());
}

void SoftphoneApp::signInFromKeychain(const QString &server, const QString &user)
{
    m_credentials->read(
        server, user, [this, server, user](const storage::CredentialResult &stored) {
            if (!stored.ok()) {
                m_window->signInPage()->setBusy(false);
                m_window->signInPage()->showNotice(
                    stored.status == storage::CredentialResult::Status::NotFound
                        ? tr("Enter your password to sign in.")
                        : tr("The system keychain is not available (%1). Enter your password.")
                              .arg(stored.message));
                reportReady();
                return;
            }
            if (m_appServer)
                m_appServer->deleteLater();
            m_appServer = new client::AppServerClient(QUrl(server), this);
            m_appServer->setAllowInsecure(m_options.allowInsecure);
            m_server = server;
            m_refreshing = true;
            connect(m_appServer, &client::AppServerClient::refreshed, this,
                    [this](const client::LoginResult &result) { onLoggedIn(result, true); });
            connect(m_appServer, &client::AppServerClient::failed, this,
                    &SoftphoneApp::onAppServerFailed);
            m_refreshToken = stored.secret;
            m_appServer->refresh(stored.secret);
            Q_UNUSED(user);
        });
}

void SoftphoneApp::onLoggedIn(const client::LoginResult &result, bool remember)
{
    const bool first = m_user.isEmpty();
    m_user = result.user;
    m_refreshToken = result.refreshToken;
    m_remember = remember;
    m_refreshing = false;
    m_retriedFromKeychain = false;
    // Refresh well before expiry; the service also warns 60 s before.
    m_refreshTimer.start(std::max(30, result.expiresInSeconds * 4 / 5) * 1000);
    m_settings->setValue(Key::ServerUrl, m_server);
    m_settings->setValue(Key::UserName, m_user);
    m_settings->setValue(Key::RememberMe, remember);
    m_settings->sync();

    if (m_client) {
        m_client->setAccessToken(result.accessToken);
    } else {
        startClient(result.callingUrl);
        m_client->setAccessToken(result.accessToken);
        m_client->start();
    }
    if (first) {
        m_window->signInPage()->setBusy(false);
        m_window->signInPage()->clearPassword();
        m_window->showMain(m_user, m_server);
    }
    // The refresh token rotates on every use: the keychain must always hold the newest.
    auto announce = [this, first] {
        if (first) {
            emit signedIn(m_user);
            reportReady();
        }
    };
    if (remember) {
        m_credentials->write(
            m_server, m_user, m_refreshToken, [announce](const storage::CredentialResult &r) {
                if (!r.ok())
                    qCWarning(lcApp) << "could not keep the sign-in in the keychain:" << r.message;
                announce();
            });
    } else if (first) {
        m_credentials->remove(m_server, m_user,
                              [announce](const storage::CredentialResult &) { announce(); });
    }
}

void SoftphoneApp::onAppServerFailed(const client::AppServerError &error)
{
    qCWarning(lcApp) << "application server:" << client::AppServerError::typeName(error.type)
                     << error.message;
    using T = client::AppServerError::Type;
    if (error.type == T::BadRefreshToken && !m_refreshToken.isEmpty() && !m_retriedFromKeychain) {
        // The tray agent shares the saved sign-in and its token rotates on every
        // use: it may have just replaced ours. Retry once with the keychain's newest.
        m_retriedFromKeychain = true;
        retryFromKeychain();
        return;
    }
    if (isSignedIn()) {
        // A refresh while signed in failed.
        m_refreshing = false;
        if (error.type == T::BadRefreshToken) {
            signOut();
            m_window->signInPage()->showNotice(
                tr("Your sign-in has expired. Enter your password."));
        } else {
            m_refreshTimer.start(30000); // try again; the current token may still be valid
        }
        return;
    }
    m_lastError = error.message;
    SignInPage *page = m_window->signInPage();
    if (m_refreshing && error.type == T::BadRefreshToken) {
        m_credentials->remove(m_server, page->user(), [](const storage::CredentialResult &) {});
        page->setBusy(false);
        page->showNotice(tr("Your saved sign-in is no longer valid. Enter your password."));
    } else {
        page->showFailure(failureOf(error.type), error.message);
    }
    m_refreshing = false;
    emit signInFailed(error.message);
    reportReady();
}

void SoftphoneApp::refreshNow()
{
    if (!m_appServer || m_refreshToken.isEmpty() || m_refreshing)
        return;
    m_refreshing = true;
    m_retriedFromKeychain = false;
    m_appServer->refresh(m_refreshToken);
}

void SoftphoneApp::retryFromKeychain()
{
    const QString user = isSignedIn() ? m_user : m_window->signInPage()->user();
    const QString refused = m_refreshToken;
    m_credentials->read(m_server, user, [this, refused](const storage::CredentialResult &stored) {
        if (!m_appServer)
            return; // signed out meanwhile
        if (stored.ok() && !stored.secret.isEmpty() && stored.secret != refused) {
            qCInfo(lcApp) << "refresh token refused; retrying with the keychain's newer one";
            m_refreshToken = stored.secret;
            m_refreshing = true;
            m_appServer->refresh(stored.secret);
            return;
        }
        // Nothing newer: the refusal stands.
        client::AppServerError refusal;
        refusal.type = client::AppServerError::Type::BadRefreshToken;
        refusal.message = tr("the saved sign-in is no longer valid");
        onAppServerFailed(refusal);
    });
}

void SoftphoneApp::startClient(const QUrl &callingUrl)
{
    client::ClientConfig config;
    config.serviceUrl = callingUrl;
    config.allowInsecure = m_options.allowInsecure;
    config.userId = m_user;
    config.deviceId = deviceId();
    config.capabilities.calling = true;
    config.capabilities.messaging = true;
    m_client = new client::SoftphoneClient(config, this);
    // Set before start(): stored messages arrive right after the welcome.
    m_messageTransport = new ClientMessageTransport(m_client, m_client);
    m_window->messagesPage()->setTransport(m_messageTransport);
    // Callees and recipients that are offline but registered for push are
    // reached through the application server (seed steps 3-4).
    m_pushPairs = new client::PushPairSender(QUrl(m_server), m_client);
    m_pushPairs->attach(m_client);
    connect(m_pushPairs, &client::PushPairSender::posted, this,
            [](const QString &id, const QList<client::PushPairOutcome> &outcomes) {
                for (const client::PushPairOutcome &o : outcomes)
                    qCInfo(lcApp) << "push for" << id << "to device" << o.device << o.outcome
                                  << o.error;
            });
    connect(m_pushPairs, &client::PushPairSender::postFailed, this,
            [](const QString &id, const QString &error) {
                qCWarning(lcApp) << "push pairs for" << id << "not posted:" << error;
            });
    using State = client::SoftphoneClient::ConnectionState;
    connect(m_client, &client::SoftphoneClient::connectionStateChanged, this, [this](State state) {
        switch (state) {
        case State::Disconnected:
            m_window->setConnection(MainWindow::Connection::Offline);
            break;
        case State::Connecting:
            m_window->setConnection(MainWindow::Connection::Connecting);
            break;
        case State::Connected:
            m_window->setConnection(MainWindow::Connection::Online,
                                    tr("signed in as %1").arg(m_user));
            if (!m_pendingDial.isEmpty())
                dial(m_pendingDial);
            break;
        case State::Reconnecting:
            m_window->setConnection(MainWindow::Connection::Reconnecting);
            break;
        }
    });
    connect(m_client, &client::SoftphoneClient::credentialsRequired, this,
            &SoftphoneApp::refreshNow);
    connect(m_client, &client::SoftphoneClient::started, this, &SoftphoneApp::flushPushes);
    connect(m_client, &client::SoftphoneClient::relayedCallEnded, this,
            [this](const QString &callId, client::EndCause cause) {
                recordMissed(callId, QString(), client::endCauseName(cause));
            });
    connect(m_client, &client::SoftphoneClient::failed, this,
            [this](const client::ClientError &error) {
                qCWarning(lcApp) << "client:" << client::ClientError::typeName(error.type)
                                 << error.message;
                if (error.type == client::ClientError::Type::Unauthorized)
                    refreshNow();
                else if (error.type == client::ClientError::Type::Replaced)
                    m_window->setConnection(MainWindow::Connection::Offline,
                                            tr("this account was opened elsewhere on this device"));
            });
    m_calls->setClient(m_client);
}

void SoftphoneApp::stopClient()
{
    if (!m_client)
        return;
    m_calls->setClient(nullptr);
    m_window->messagesPage()->setTransport(nullptr);
    m_client->terminate();
    m_client->deleteLater();
    m_client = nullptr;
    m_window->setConnection(MainWindow::Connection::Offline);
}

void SoftphoneApp::relayPush(const QString &payload)
{
    m_pendingPushes.append(payload);
    flushPushes();
}

void SoftphoneApp::flushPushes()
{
    // The payload key comes with the welcome: relay only on a started client.
    if (!m_client || !m_client->isStarted())
        return;
    const QStringList pushes = std::exchange(m_pendingPushes, {});
    for (const QString &payload : pushes) {
        const client::NotificationResult result =
            m_client->relayRemotePushNotificationPayload(payload);
        if (!result.isValid()) {
            qCWarning(lcApp) << "relayed push refused:" << result.error();
            m_pushStatus->pushRefused(result.error());
            continue;
        }
        m_pushStatus->pushVerified();
        qCInfo(lcApp) << "relayed push:" << result.toJson();
        if (!result.callId().isEmpty())
            m_relayedCallers.insert(result.callId(), result.remoteUserId());
        // A live call is claimed by the client and rings through incomingCall
        // (or becomes a missed call there with do not disturb); a call whose ring
        // time is over only goes to the history. Cancels of calls that rang here
        // are already in the history; messages arrive through the client.
        if (result.isCall() && (result.isTimedOut() || result.isCanceled()))
            recordMissed(result.callId(), result.remoteUserId(),
                         QString(storage::endcause::kNoAnswer));
        else if (result.isCancel() && !m_calls->wasHandledHere(result.callId()))
            // (The service also cancels the push of the device that answered or declined.)
            recordMissed(result.callId(), result.remoteUserId(),
                         QString(storage::endcause::kCanceled));
    }
}

void SoftphoneApp::recordMissed(const QString &callId, const QString &caller, const QString &cause)
{
    for (const storage::CallRecord &known : m_history->recent(100)) {
        if (known.callId == callId)
            return; // it rang here (or was recorded before)
    }
    storage::CallRecord record;
    record.callId = callId;
    record.remoteUser = caller.isEmpty() ? m_relayedCallers.value(callId) : caller;
    record.missed = true;
    record.startedAt = QDateTime::currentDateTimeUtc();
    record.endCause = cause;
    m_history->add(record);
}

void SoftphoneApp::signOut()
{
    stopClient();
    m_refreshTimer.stop();
    if (m_appServer && !m_refreshToken.isEmpty())
        m_appServer->logout(m_refreshToken); // the server forgets the token too
    m_credentials->remove(m_server, m_user, [](const storage::CredentialResult &) {});
    m_settings->setValue(Key::RememberMe, false);
    m_refreshToken.clear();
    m_user.clear();
    m_window->signInPage()->setBusy(false);
    m_window->signInPage()->showNotice(tr("Signed out."));
    m_window->showSignIn();
    emit signedOut();
}

void SoftphoneApp::onCloseRequested()
{
    if (m_settings->flag(Key::KeepRunningInBackground) || m_calls->hasActiveCalls()) {
        m_window->hide();
        return;
    }
    emit quitRequested();
}

void SoftphoneApp::reportReady()
{
    if (m_readyReported || (!m_window->isVisible() && !isSignedIn()))
        return;
    m_readyReported = true;
    emit ready(isSignedIn());
    if (m_options.reportStartup) {
        const QJsonObject line{{QStringLiteral("event"), QStringLiteral("ready")},
                               {QStringLiteral("signedIn"), isSignedIn()},
                               {QStringLiteral("ms"), sinceConstruction().elapsed()}};
        std::fputs(QJsonDocument(line).toJson(QJsonDocument::Compact).append('\n').constData(),
                   stdout);
        std::fflush(stdout);
    }
}

QString SoftphoneApp::deviceId()
{
    QString id = m_settings->string(Key::DeviceId);
    if (id.isEmpty()) {
        // Stable per installation, from the service's id alphabet.
        id = QStringLiteral("desk-") + QUuid::createUuid().toString(QUuid::Id128).left(12);
        m_settings->setValue(Key::DeviceId, id);
    }
    return id;
}

} // namespace softphone::app
