#include "TrayAgent.h"

#include "CompanionFiles.h"
#include "DesktopNotifier.h"
#include "PushHandoff.h"
#include "PushRegistrar.h"
#include "PushStatusReporter.h"
#include "TrayIcon.h"
#include "TrayLogging.h"
#include "client/AccountSession.h"
#include "client/ServiceFailover.h"
#include "common/PrivateFiles.h"
#include "keychain/ChildProcessKeychain.h"
#include "net/NetworkWatch.h"
#include "push/KeychainSecretStore.h"
#include "storage/CallHistory.h"
#include "storage/CredentialStore.h"
#include "storage/Database.h"
#include "storage/MessageStore.h"
#include "storage/Settings.h"
#include "storage/SharedStateWatcher.h"

#include <QDBusConnection>
#include <QDir>
#include <QStandardPaths>

namespace softphone::tray {

using Key = storage::Settings::Key;

TrayAgent::TrayAgent(const TrayOptions &options, const QString &instanceSocket,
                     std::unique_ptr<TrayFace> face, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_settings(std::make_unique<storage::Settings>())
    // QtKeychain's Secret Service backend (libsecret, GLib, libgcrypt, a GDBus
    // thread) only in a short-lived child: megabytes this resident process never maps.
    , m_keychain(new keychain::ChildProcessKeychain(
          companionPath(QStringLiteral("softphone-keychain")), this))
    , m_credentials(new storage::CredentialStore(*m_keychain, this))
    , m_secrets(new push::KeychainSecretStore(*m_keychain, QStringLiteral("softphone-push"), this))
{
    const QString stateDir =
        QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/tray");
    // The push state holds the uaid: its folder is the user's alone.
    QString error;
    if (!makePrivateDir(stateDir, ForeignMode::Repair, &error))
        qCWarning(lcTray) << "the push state folder:" << error;
    client::AccountSession::Options account;
    // The softphone's entry: a sign-in in either app is the other's too.
    account.keychain = m_credentials;
    account.settings = m_settings.get();
    account.allowInsecure = options.allowInsecure;
    m_session = new client::AccountSession(account, this);
    m_failover = new client::ServiceFailover(m_session, this);
    m_registrar = new PushRegistrar(stateDir, m_secrets, this);
    m_registrar->setAllowInsecure(options.allowInsecure);
    m_handoff = new PushHandoff(options.softphoneBinary, instanceSocket, this);
    m_statusReporter = new PushStatusReporter(instanceSocket, this);
    m_notifier = new DesktopNotifier(this);
    m_icon = new TrayIcon(options.reportState, std::move(face), this);
    m_notifier->setFallback([this](const QString &title, const QString &body) {
        return m_icon->showMessage(title, body);
    });

    watchAccount();
    connect(m_registrar, &PushRegistrar::statusChanged, this, &TrayAgent::updateState);
    connect(m_registrar, &PushRegistrar::payloadKeyChanged, m_handoff, &PushHandoff::setPayloadKey);
    connect(m_registrar, &PushRegistrar::messageReceived, m_handoff, &PushHandoff::handOver);
    connect(m_handoff, &PushHandoff::notificationSeen, this, &TrayAgent::onNotification);
    connect(m_handoff, &PushHandoff::handedOver, this, [this] {
        m_handoffProblem.clear();
        updateState();
        updateCounts();
    });
    connect(m_handoff, &PushHandoff::handOverFailed, this, [this](const QString &reason) {
        m_handoffProblem = tr("A push could not be handed to the softphone: %1").arg(reason);
        updateState();
    });
    connect(m_notifier, &DesktopNotifier::actionInvoked, this, &TrayAgent::onNotificationAction);

    // Without a credential the softphone opens on its sign-in page.
    connect(m_icon, &TrayIcon::openRequested, this, [this] { m_handoff->openSoftphone(); });
    connect(m_icon, &TrayIcon::callRequested, this,
            [this] { m_handoff->openSoftphone({QStringLiteral("--dialer")}); });
    connect(m_icon, &TrayIcon::signInRequested, this, [this] { m_handoff->openSoftphone(); });
    connect(m_icon, &TrayIcon::signOutRequested, this, [this] { signOut(); });
    connect(m_icon, &TrayIcon::quitRequested, this, &TrayAgent::quitRequested);
    connect(m_icon, &TrayIcon::doNotDisturbToggled, this, [this](bool on) {
        m_settings->setValue(Key::DoNotDisturb, on);
        m_settings->sync();
        m_icon->setDoNotDisturb(on);
    });
    m_icon->setDoNotDisturb(m_settings->flag(Key::DoNotDisturb));

    // The softphone writes the history; we only read the badge counts, when
    // the files change, and every 30 s in case a change went unnoticed.
    m_countsTimer.setInterval(30000);
    connect(&m_countsTimer, &QTimer::timeout, this, [this] {
        updateCounts();
        m_icon->setDoNotDisturb(doNotDisturb());
        if (m_shared)
            m_shared->watch(); // a folder that did not exist at start may now
    });
}

TrayAgent::~TrayAgent()
{
    // A clean quit (the menu's Quit): the softphone should not go on showing "registered".
    m_statusReporter->reportBeforeExit(tr("the background agent (softphone-tray) is not running"));
}

void TrayAgent::watchAccount()
{
    using client::AccountSession;
    using T = client::AppServerError::Type;
    connect(m_session, &AccountSession::signedIn, this, [this](const client::LoginResult &login) {
        m_handoff->setUser(login.user);
        m_registrar->start(m_session->serverUrl(), login, m_session->deviceId());
        m_failover->watch(m_registrar->client());
        onSignedIn();
    });
    connect(m_session, &AccountSession::refreshed, this, [this](const client::LoginResult &login) {
        m_registrar->setAccessToken(login.accessToken);
    });
    connect(m_failover, &client::ServiceFailover::moved, this,
            [this](const client::LoginResult &login) {
                qCInfo(lcTray) << "the node in use was lost; now on" << login.callingUrl;
                m_registrar->moveTo(m_session->serverUrl(), login);
            });
    connect(m_session, &AccountSession::signedOut, this,
            [this](AccountSession::SignOutCause cause) {
                onSignedOut(cause == AccountSession::SignOutCause::Expired
                                ? tr("Your sign-in has expired")
                                : tr("Signed out"));
            });
    connect(m_session, &AccountSession::noSavedSignIn, this, [this](const QString &keychainError) {
        onSignedOut(keychainError.isEmpty()
                        ? tr("Not signed in")
                        : tr("The keychain is not available: %1").arg(keychainError));
    });
    connect(m_session, &AccountSession::signInFailed, this,
            [this](const client::AppServerError &error) {
                if (error.type == T::BadCredentials)
                    onSignedOut(tr("Wrong user name or password"));
                else if (error.type == T::BadRefreshToken)
                    onSignedOut(tr("Your sign-in has expired"));
                else
                    onCannotSignIn(error.message);
            });
    // Signed in, the session goes on and is retried; before that the icon says why.
    connect(m_session, &AccountSession::unreachable, this,
            [this](const client::AppServerError &error) {
                if (!m_session->isSignedIn())
                    onCannotSignIn(error.message);
            });
}

void TrayAgent::onCannotSignIn(const QString &reason)
{
    m_icon->setState(TrayIcon::State::Offline, reason);
    m_statusReporter->report(QStringLiteral("failed"), {}, tr("Cannot sign in: %1").arg(reason));
}

void TrayAgent::start()
{
    m_database = std::make_unique<storage::Database>();
    if (!m_database->open()) {
        qCWarning(lcTray) << "no history database; the tooltip shows no counts:"
                          << m_database->error();
        m_database.reset();
    }
    updateCounts();
    m_countsTimer.start();
    m_shared = new storage::SharedStateWatcher(m_database ? m_database->path() : QString(),
                                               m_settings->fileName(), this);
    connect(m_shared, &storage::SharedStateWatcher::historyChanged, this, &TrayAgent::updateCounts);
    connect(m_shared, &storage::SharedStateWatcher::settingsChanged, this,
            [this] { m_icon->setDoNotDisturb(doNotDisturb()); });
    watchSystem();
    m_icon->setState(TrayIcon::State::Connecting);
    // The command line's account, else the one the softphone or we signed in to.
    const QString server =
        m_options.server.isEmpty() ? m_settings->string(Key::ServerUrl) : m_options.server;
    const QString user =
        m_options.user.isEmpty() ? m_settings->string(Key::UserName) : m_options.user;
    if (server.isEmpty() || user.isEmpty())
        onSignedOut(tr("Not signed in"));
    else if (!m_options.password.isEmpty())
        m_session->signIn(server, user, m_options.password, true); // for both apps
    else
        m_session->resume(server, user);
    m_options.password.clear();
}

void TrayAgent::watchSystem()
{
    // NetworkManager's word when it is there; else QNetworkInformation once a
    // connection was lost (net/NetworkWatch.h: its plugins cost ~3 MB at rest).
    connect(net::NetworkWatch::instance(), &net::NetworkWatch::online, this, [this] {
        qCInfo(lcTray) << "network back: renewing the push registration";
        m_registrar->reconnect();
    });
    QDBusConnection system = QDBusConnection::systemBus();
    if (!system.isConnected() ||
        !system.connect(QStringLiteral("org.freedesktop.login1"),
                        QStringLiteral("/org/freedesktop/login1"),
                        QStringLiteral("org.freedesktop.login1.Manager"),
                        QStringLiteral("PrepareForSleep"), this, SLOT(onPrepareForSleep(bool))))
        qCInfo(lcTray) << "no logind on the system bus: resume is noticed by keepalives only";
}

void TrayAgent::onPrepareForSleep(bool sleeping)
{
    if (!sleeping) {
        qCInfo(lcTray) << "resumed: renewing the push registration";
        m_registrar->reconnect();
    }
}

void TrayAgent::onSignedIn()
{
    updateState();
}

void TrayAgent::onSignedOut(const QString &reason)
{
    m_registrar->stop([this, reason] {
        m_icon->setState(TrayIcon::State::SignedOut, reason);
        m_statusReporter->report(QStringLiteral("off"), {}, reason);
    });
}

void TrayAgent::signOut(std::function<void()> done)
{
    // Unregister first (needs the live session), then forget the token.
    m_registrar->stop([this, done] {
        m_session->signOut();
        if (done)
            done();
    });
}

void TrayAgent::updateState()
{
    if (!m_session->isSignedIn())
        return;
    switch (m_registrar->status()) {
    case PushRegistrar::Status::Online:
        // Registered, but the last push did not reach the softphone: not working either.
        if (m_handoffProblem.isEmpty())
            m_icon->setState(TrayIcon::State::Online);
        else
            m_icon->setState(TrayIcon::State::PushFailed, m_handoffProblem);
        break;
    case PushRegistrar::Status::Offline:
        m_icon->setState(TrayIcon::State::Offline, m_registrar->reason());
        break;
    case PushRegistrar::Status::Failed:
        m_icon->setState(TrayIcon::State::PushFailed, m_registrar->reason());
        break;
    case PushRegistrar::Status::Connecting:
    case PushRegistrar::Status::Stopped:
        m_icon->setState(TrayIcon::State::Connecting);
        break;
    }
    reportPushStatus();
}

void TrayAgent::reportPushStatus()
{
    switch (m_registrar->status()) {
    case PushRegistrar::Status::Online: {
        // The push service's host only: the endpoint's token is its credential.
        const auto subscription =
            m_registrar->channel().subscription(QLatin1String(PushRegistrar::kSubscription));
        const QUrl endpoint = subscription ? subscription->endpoint : QUrl();
        const QString host = endpoint.port() > 0 ? endpoint.host() + QLatin1Char(':') +
                                                       QString::number(endpoint.port())
                                                 : endpoint.host();
        m_statusReporter->report(QStringLiteral("registered"),
                                 host.isEmpty() ? tr("the push service") : host);
        break;
    }
    case PushRegistrar::Status::Offline:
    case PushRegistrar::Status::Failed:
        m_statusReporter->report(QStringLiteral("failed"), {}, m_registrar->reason());
        break;
    case PushRegistrar::Status::Connecting:
    case PushRegistrar::Status::Stopped:
        m_statusReporter->report(QStringLiteral("registering"));
        break;
    }
}

bool TrayAgent::doNotDisturb() const
{
    // The softphone's Settings page may have changed it: read the file again.
    m_settings->sync();
    return m_settings->flag(Key::DoNotDisturb);
}

void TrayAgent::updateCounts()
{
    if (!m_database)
        return;
    const storage::CallHistory history(*m_database);
    const storage::MessageStore messages(*m_database);
    m_icon->setCounts(history.unseenMissedCount(), messages.totalUnread());
}

void TrayAgent::onNotification(const client::NotificationResult &result, bool handledHere)
{
    if (result.isCancel() || result.isTimedOut() || result.isCanceled()) {
        // The service cancels the push of the device that answered or declined
        // too; a call during do not disturb pops up nothing (the badge counts it).
        if (!handledHere && !m_dndCalls.contains(result.callId()) && !doNotDisturb())
            m_notifier->missedCall(result.remoteUserId(), QDateTime::currentDateTime());
        // After the missed call, so a listener sees both in this order.
        m_notifier->closeIncoming(result.callId());
    } else if (result.isMessage()) {
        m_notifier->newMessage(result.remoteUserId());
    } else if (result.isCall()) {
        // The softphone rings too (its incoming window); the notification is
        // what a user away from that window sees. With do not disturb nothing
        // rings and nothing pops up: the softphone declines the call, its
        // history keeps it as missed ("dnd"), and the badge counts it.
        if (doNotDisturb()) {
            m_dndCalls.remember(result.callId());
            qCInfo(lcTray) << "do not disturb: no notification for call" << result.callId();
        } else {
            m_notifier->incomingCall(result.remoteUserId(), result.callId());
        }
    }
}

void TrayAgent::onNotificationAction(const QString &action)
{
    if (action.startsWith(QLatin1String("callback:")))
        m_handoff->openSoftphone({QStringLiteral("softphone:") + action.mid(9)});
    else if (action.startsWith(QLatin1String("answer:")))
        m_handoff->openSoftphone({QStringLiteral("--answer"), action.mid(7)});
    else if (action.startsWith(QLatin1String("decline:")))
        m_handoff->openSoftphone(
            {QStringLiteral("--minimized"), QStringLiteral("--decline"), action.mid(8)});
    else
        m_handoff->openSoftphone();
}

} // namespace softphone::tray
