#include "SoftphoneApp.h"

#include "AppLogging.h"
#include "AudioChecks.h"
#include "CallCoordinator.h"
#include "ContactPresence.h"
#include "DesktopColourScheme.h"
#include "InstanceChannel.h"
#include "client/CallVoice.h"
#include "client/SoftphoneClient.h"
#include "keychain/InProcessKeychain.h"
#include "storage/CallEndCause.h"
#include "storage/CallHistory.h"
#include "storage/ContactBook.h"
#include "storage/CredentialStore.h"
#include "storage/Database.h"
#include "storage/MessageStore.h"
#include "storage/Settings.h"
#include "ui/DialerPage.h"
#include "ui/LinkCallDialog.h"
#include "ui/MainWindow.h"
#include "ui/MessagesPage.h"
#include "ui/SettingsPage.h"
#include "ui/SignInPage.h"
#include "ui/Theme.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStatusBar>
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
    m_keychain = new keychain::InProcessKeychain(this);
    m_credentials = options.keychainService.isEmpty()
                        ? new storage::CredentialStore(*m_keychain, this)
                        : new storage::CredentialStore(*m_keychain, options.keychainService, this);
    client::AccountSession::Options account;
    account.keychain = m_credentials;
    account.settings = m_settings.get();
    account.allowInsecure = options.allowInsecure;
    m_account = new client::AccountSession(account, this);
    m_failover = new client::ServiceFailover(m_account, this);
    watchAccount();
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
    new DesktopColourScheme(this); // "System" follows the desktop's light or dark preference
    applyStyle();
    connect(m_settings.get(), &storage::Settings::changed, this, [this](Key key) {
        if (key == Key::Style) {
            m_options.style.clear(); // the user chose in Settings: that wins over --style now
            applyStyle();
        }
    });
    m_window = std::make_unique<MainWindow>(*m_settings, *m_history, *m_contacts, *m_messages);
    m_calls = new CallCoordinator(*m_settings, *m_history, this);
    applyCallActions(m_options);
    m_window->setPushStatusSource(m_pushStatus);
    m_audioChecks = new AudioChecks(*m_settings, *m_calls, this);
    m_window->settingsPage()->setAudioCheck(m_audioChecks);

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
    if (!minimized || m_options.showDialer)
        showWindow();
    if (m_options.showDialer)
        showDialer();
    if (!m_options.password.isEmpty()) {
        signInWithPassword(server, user, m_options.password, m_settings->flag(Key::RememberMe));
    } else if (fromKeychain) {
        window->signInPage()->setBusy(true);
        m_signingIn = true;
        m_account->resume(server, user);
    } else {
        reportReady(); // the sign-in page is what the user works with
    }
    if (!m_options.dialTarget.isEmpty())
        dialFromLink(m_options.dialTarget);
    return true;
}

void SoftphoneApp::applyStyle()
{
    const QString name =
        m_options.style.isEmpty() ? m_settings->string(Key::Style) : m_options.style;
    ui::theme::apply(ui::theme::schemeNamed(name).value_or(ui::theme::Scheme::System));
}

void SoftphoneApp::showWindow()
{
    m_window->show();
    m_window->setWindowState((m_window->windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
    m_window->raise();
    m_window->activateWindow();
}

void SoftphoneApp::showDialer()
{
    m_window->showTab(ui::MainWindow::Tab::Dialer);
    m_window->dialerPage()->focusTarget();
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
    if (!options->minimized || options->showDialer)
        showWindow();
    if (options->showDialer)
        showDialer();
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
    m_signingIn = true;
    m_account->signIn(server, user, password, remember);
}

void SoftphoneApp::watchAccount()
{
    using client::AccountSession;
    connect(m_account, &AccountSession::signedIn, this, &SoftphoneApp::onSignedIn);
    connect(m_account, &AccountSession::refreshed, this, [this](const client::LoginResult &r) {
        if (m_client) {
            m_client->setAccessToken(r.accessToken);
            m_client->setIceServers(r.ice); // fresh TURN credentials
            if (m_pushPairs)                // the node that answered (another after a failover)
                m_pushPairs->setAppServerUrl(m_account->serverUrl());
        }
    });
    connect(m_account, &AccountSession::signInFailed, this, &SoftphoneApp::showSignInFailure);
    connect(m_account, &AccountSession::unreachable, this,
            [this](const client::AppServerError &error) {
                // Signed in: the session is kept and retried. Before that the page
                // says why, once (it is retried in the background); a later
                // success still opens the main page.
                if (!m_account->isSignedIn() && m_signingIn)
                    showSignInFailure(error);
            });
    connect(m_account, &AccountSession::noSavedSignIn, this, [this](const QString &keychainError) {
        showSignInNotice(keychainError.isEmpty()
                             ? tr("Enter your password to sign in.")
                             : tr("The system keychain is not available (%1). Enter your password.")
                                   .arg(keychainError));
    });
    connect(m_account, &AccountSession::signedOut, this,
            [this](AccountSession::SignOutCause cause) {
                stopClient();
                m_window->signInPage()->setBusy(false);
                m_window->signInPage()->showNotice(
                    cause == AccountSession::SignOutCause::Expired
                        ? tr("Your sign-in has expired. Enter your password.")
                        : tr("Signed out."));
                m_window->showSignIn();
                emit signedOut();
            });
}

void SoftphoneApp::onSignedIn(const client::LoginResult &result)
{
    m_signingIn = false;
    stopClient(); // none while signed out; a new session gets a new client
    startClient(result.callingUrl);
    m_client->setAccessToken(result.accessToken);
    m_client->setIceServers(result.ice);
    m_client->start();
    m_window->signInPage()->setBusy(false);
    m_window->signInPage()->clearPassword();
    m_window->showMain(result.user, m_account->server());
    emit signedIn(result.user);
    reportReady();
}

void SoftphoneApp::showSignInFailure(const client::AppServerError &error)
{
    m_signingIn = false;
    SignInPage *page = m_window->signInPage();
    if (error.type == client::AppServerError::Type::BadRefreshToken) {
        m_lastError = tr("the saved sign-in is no longer valid");
        page->setBusy(false);
        page->showNotice(tr("Your saved sign-in is no longer valid. Enter your password."));
    } else {
        m_lastError = error.message;
        page->showFailure(failureOf(error.type), error.message);
    }
    emit signInFailed(m_lastError);
    reportReady();
}

void SoftphoneApp::showSignInNotice(const QString &notice)
{
    m_signingIn = false;
    m_window->signInPage()->setBusy(false);
    m_window->signInPage()->showNotice(notice);
    reportReady();
}

void SoftphoneApp::startClient(const QUrl &callingUrl)
{
    client::ClientConfig config;
    config.serviceUrl = callingUrl;
    config.allowInsecure = m_options.allowInsecure;
    config.userId = m_account->login().user;
    config.deviceId = m_account->deviceId();
    config.capabilities.calling = true;
    config.capabilities.messaging = true;
    m_client = new client::SoftphoneClient(config, this);
    m_client->setCallMedia(client::CallVoice::create);
    m_failover->watch(m_client);
    // Set before start(): stored messages arrive right after the welcome.
    m_messageTransport = new ClientMessageTransport(m_client, m_client);
    m_window->messagesPage()->setTransport(m_messageTransport);
    // Set before start(): the contacts are watched from the welcome on.
    new ContactPresence(m_client->presence(), *m_contacts, *m_settings);
    m_window->setPresence(m_client->presence());
    // Callees and recipients that are offline but registered for push are
    // reached through the application server (seed steps 3-4).
    m_pushPairs = new client::PushPairSender(m_account->serverUrl(), m_client);
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
                                    tr("signed in as %1").arg(m_account->user()));
            if (!m_pendingDial.isEmpty())
                dial(m_pendingDial);
            break;
        case State::Reconnecting:
            m_window->setConnection(MainWindow::Connection::Reconnecting);
            break;
        }
    });
    connect(m_client, &client::SoftphoneClient::credentialsRequired, m_account,
            &client::AccountSession::refreshNow);
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
                    m_account->refreshNow();
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
    m_window->setPresence(nullptr);
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
    // The client goes, the sign-in page comes back (signedOut, watchAccount()).
    m_account->signOut();
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

} // namespace softphone::app
