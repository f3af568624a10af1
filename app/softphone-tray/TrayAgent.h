#pragma once
// The background agent put together: sign-in (core's AccountSession, with
// the keychain entry the softphone's "remember me" uses), the push
// registration (PushRegistrar), the hand-off to the softphone (PushHandoff),
// desktop notifications and the tray icon. Also watches for the moments the
// registration must be renewed: network reachability back and resume from
// suspend (logind PrepareForSleep on the system bus, when there is one).
// The softphone is told the push registration's state (PushStatusReporter) and
// a live call push shows an incoming-call notification whose Answer/Decline
// start (or forward to) the softphone with --answer/--decline CALL_ID. With do
// not disturb (the setting both apps share) no notification is shown: the
// softphone declines the call without ringing, its history keeps it as missed
// and the tray badge counts it. The service is not told (see docs/architecture.md
// "The tray agent").

#include "TrayFace.h"
#include "TrayOptions.h"
#include "client/NotificationResult.h"
#include "common/RecentIds.h"

#include <QObject>
#include <QTimer>
#include <functional>
#include <memory>

namespace softphone::client {
class AccountSession;
class ServiceFailover;
struct AppServerError;
} // namespace softphone::client
namespace softphone::keychain {
class ChildProcessKeychain;
}
namespace softphone::push {
class KeychainSecretStore;
}
namespace softphone::storage {
class SharedStateWatcher;
class CredentialStore;
class Database;
class Settings;
} // namespace softphone::storage

namespace softphone::tray {

class DesktopNotifier;
class PushRegistrar;
class PushHandoff;
class PushStatusReporter;
class TrayIcon;

class TrayAgent : public QObject
{
    Q_OBJECT

public:
    // instanceSocket: the softphone's instance socket (pushes and the
    // push status go there); face: what shows the tray icon (none: headless).
    TrayAgent(const TrayOptions &options, const QString &instanceSocket,
              std::unique_ptr<TrayFace> face, QObject *parent = nullptr);
    ~TrayAgent() override;

    void start();
    // Unregisters the push (needs the live session), then forgets the sign-in;
    // done() once the device gets no more pushes.
    void signOut(std::function<void()> done = {});

signals:
    void quitRequested();

private slots:
    void onPrepareForSleep(bool sleeping);

private:
    void onSignedIn();
    void onSignedOut(const QString &reason);
    void watchAccount();
    // Not signed in, and the application server is why (the icon says so).
    void onCannotSignIn(const QString &reason);
    void onNotification(const client::NotificationResult &result, bool handledHere);
    void onNotificationAction(const QString &action);
    void updateState();
    void reportPushStatus();
    bool doNotDisturb() const;
    void updateCounts();
    void watchSystem();

    TrayOptions m_options;
    std::unique_ptr<storage::Settings> m_settings;
    std::unique_ptr<storage::Database> m_database;
    keychain::ChildProcessKeychain *m_keychain; // the two stores' keychain, in a child
    storage::CredentialStore *m_credentials;
    push::KeychainSecretStore *m_secrets;
    client::AccountSession *m_session;
    client::ServiceFailover *m_failover; // keeps the agent's client on a live node
    PushRegistrar *m_registrar;
    PushHandoff *m_handoff;
    PushStatusReporter *m_statusReporter;
    DesktopNotifier *m_notifier;
    TrayIcon *m_icon;
    QTimer m_countsTimer; // also re-reads do not disturb: the fallback of m_shared
    storage::SharedStateWatcher *m_shared = nullptr;
    QString m_handoffProblem; // why the last push did not reach the softphone
    RecentIds m_dndCalls{64}; // calls that came during do not disturb: no missed-call bubble
};

} // namespace softphone::tray
