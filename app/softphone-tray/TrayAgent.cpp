#include "TrayAgent.h"

#include "CallHistory.h"
#include "CredentialStore.h"
#include "Database.h"
#include "DesktopNotifier.h"
#include "InstanceChannel.h"
#include "KeychainSecretStore.h"
#include "MessageStore.h"
#include "PushRegistrar.h"
#include "PushRelay.h"
#include "Settings.h"
#include "TrayIcon.h"
#include "TrayLogging.h"
#include "TraySession.h"

#include <QDBusConnection>
#include <QDir>
#include <QNetworkInformation>
#include <QStandardPaths>

namespace softphone::tray {

using Key = storage::Settings::Key;

TrayAgent::TrayAgent(const TrayOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_settings(std::make_unique<storage::Settings>())
    , m_credentials(new storage::CredentialStore(this))
    , m_secrets(new push::KeychainSecretStore(QStringLiteral("softphone-push"), this))
{
    const QString stateDir =
        QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/tray");
    QDir().mkpath(stateDir);
    m_session = new TraySession(*m_settings, *m_credentials, this);
    m_registrar = new PushRegistrar(stateDir, m_secrets, this);
    m_relay =
        new PushRelay(options.softphoneBinary, app::InstanceChannel::defaultSocketPath(), this);
    m_notifier = new DesktopNotifier(this);
    m_icon = new TrayIcon(options.reportState, this);
    m_notifier->setFallback(m_icon->icon());

    connect(m_session, &TraySession::signedIn, this, [this](const client::LoginResult &login) {
        m_relay->setUser(login.user);
        m_registrar->start(QUrl(m_session->server()), login, m_session->deviceId());
        onSignedIn();
    });
    connect(m_session, &TraySession::refreshed, this, [this](const client::LoginResult &login) {
        m_registrar->setAccessToken(login.accessToken);
    });
    connect(m_session, &TraySession::signedOut, this, &TrayAgent::onSignedOut);
    connect(m_session, &TraySession::unreachable, this, [this](const QString &reason) {
        if (!m_session->isSignedIn())
            m_icon->setState(TrayIcon::State::Offline, reason);
    });
    connect(m_registrar, &PushRegistrar::statusChanged, this, &TrayAgent::updateState);
    connect(m_registrar, &PushRegistrar::payloadKeyChanged, m_relay, &PushRelay::setPayloadKey);
    connect(m_registrar, &PushRegistrar::messageReceived, m_relay, &PushRelay::relay);
    connect(m_relay, &PushRelay::notificationSeen, this, &TrayAgent::onNotification);
    connect(m_relay, &PushRelay::relayed, this, &TrayAgent::updateCounts);
    connect(m_relay, &PushRelay::relayFailed, this, [this](const QString &reason) {
        m_icon->setState(m_icon->state(), tr("a push could not be handed over: %1").arg(reason));
    });
    connect(m_notifier, &DesktopNotifier::actionInvoked, this, &TrayAgent::onNotificationAction);

    // Without a credential the softphone opens on its sign-in page.
    connect(m_icon, &TrayIcon::openRequested, this, [this] { m_relay->openSoftphone(); });
    connect(m_icon, &TrayIcon::signInRequested, this, [this] { m_relay->openSoftphone(); });
    connect(m_icon, &TrayIcon::signOutRequested, this, [this] { signOut(); });
    connect(m_icon, &TrayIcon::quitRequested, this, &TrayAgent::quitRequested);
    connect(m_icon, &TrayIcon::doNotDisturbToggled, this, [this](bool on) {
        m_settings->setValue(Key::DoNotDisturb, on);
        m_settings->sync();
        m_icon->setDoNotDisturb(on);
    });
    m_icon->setDoNotDisturb(m_settings->flag(Key::DoNotDisturb));

    // The softphone writes the history; we only read the badge counts.
    m_countsTimer.setInterval(30000);
    connect(&m_countsTimer, &QTimer::timeout, this, &TrayAgent::updateCounts);
}

TrayAgent::~TrayAgent() = default;

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
    watchSystem();
    m_icon->setState(TrayIcon::State::Connecting);
    m_session->start(m_options.server, m_options.user, m_options.password);
    m_options.password.clear();
}

void TrayAgent::watchSystem()
{
    if (QNetworkInformation::loadBackendByFeatures(QNetworkInformation::Feature::Reachability)) {
        connect(QNetworkInformation::instance(), &QNetworkInformation::reachabilityChanged, this,
                [this](QNetworkInformation::Reachability reachability) {
                    if (reachability == QNetworkInformation::Reachability::Online) {
                        qCInfo(lcTray) << "network back: renewing the push registration";
                        m_registrar->reconnect();
                    }
                });
    }
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
    m_registrar->stop([this, reason] { m_icon->setState(TrayIcon::State::SignedOut, reason); });
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
        m_icon->setState(TrayIcon::State::Online);
        break;
    case PushRegistrar::Status::Offline:
        m_icon->setState(TrayIcon::State::Offline, m_registrar->reason());
        break;
    case PushRegistrar::Status::Connecting:
    case PushRegistrar::Status::Stopped:
        m_icon->setState(TrayIcon::State::Connecting);
        break;
    }
}

void TrayAgent::updateCounts()
{
    if (!m_database)
        return;
    const storage::CallHistory history(*m_database);
    const storage::MessageStore messages(*m_database);
    m_icon->setCounts(history.unseenMissedCount(), messages.totalUnread());
}

void TrayAgent::onNotification(const client::NotificationResult &result)
{
    if (result.isCancel() || result.isTimedOut() || result.isCanceled()) {
        m_notifier->missedCall(result.remoteUserId(), QDateTime::currentDateTime());
    } else if (result.isMessage()) {
        m_notifier->newMessage(result.remoteUserId());
    }
    // A live call rings in the softphone (its incoming window); with do not
    // disturb it becomes a missed call there, so nothing to show here.
}

void TrayAgent::onNotificationAction(const QString &action)
{
    if (action.startsWith(QLatin1String("callback:")))
        m_relay->openSoftphone({QStringLiteral("softphone:") + action.mid(9)});
    else
        m_relay->openSoftphone(); // the incoming call window is there to answer or decline
}

} // namespace softphone::tray
