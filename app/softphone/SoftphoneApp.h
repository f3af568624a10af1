#pragma once
// The softphone put together: storage, the main window, the sign-in flow
// (core's AccountSession, shown on the sign-in page), the calling client and
// the call windows.
// One object per running app; tests create it directly (a "restart" is a new
// SoftphoneApp with the same HOME).

#include "AppOptions.h"
#include "ClientMessageTransport.h"
#include "TrayPushStatus.h"
#include "client/AccountSession.h"
#include "client/PushPairSender.h"
#include "client/ServiceFailover.h"
#include "client/SoftphoneClient.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <memory>

namespace softphone::keychain {
class InProcessKeychain;
}
namespace softphone::storage {
class CallHistory;
class ContactBook;
class CredentialStore;
class Database;
class MessageStore;
class Settings;
} // namespace softphone::storage
namespace softphone::ui {
class LinkCallDialog;
class MainWindow;
} // namespace softphone::ui

namespace softphone::app {

class AudioChecks;
class CallCoordinator;
class InstanceChannel;

class SoftphoneApp : public QObject
{
    Q_OBJECT

public:
    explicit SoftphoneApp(const AppOptions &options, QObject *parent = nullptr);
    ~SoftphoneApp() override;

    // Opens storage, shows the window (unless minimized) and signs in: with
    // the options' password, else with the keychain's credential, else it
    // waits on the sign-in page. False when storage cannot be opened.
    bool start();
    // A second launch's arguments: show the window, dial a URI.
    void activate(const QStringList &args);
    void dial(const QString &user);
    // A call a link asked for (command line, activation): asks first, unless
    // the user turned the question off (Settings, ConfirmLinkCalls).
    void dialFromLink(const QString &target);
    void signOut();
    // A push the tray agent handed over (InstanceChannel "push"): handed to the
    // client once it is connected (it verifies with the welcome's payload key).
    void relayPush(const QString &payload);
    // Wires the first instance's local socket: a second launch's arguments
    // (activate), the pushes the agent hands over and its push status.
    void attachInstanceChannel(InstanceChannel *channel);

    ui::MainWindow *mainWindow() const { return m_window.get(); }
    client::SoftphoneClient *client() const { return m_client; }
    CallCoordinator *calls() const { return m_calls; }
    // The Settings page's test sound and test call.
    AudioChecks *audioChecks() const { return m_audioChecks; }
    storage::Settings *settings() const { return m_settings.get(); }
    storage::CredentialStore *credentials() const { return m_credentials; }
    storage::CallHistory *history() const { return m_history; }
    storage::ContactBook *contacts() const { return m_contacts; }
    storage::MessageStore *messages() const { return m_messages; }
    // While a client exists: the Messages screen's transport, and the sender
    // that posts the push pairs of this app's calls and messages.
    ClientMessageTransport *messageTransport() const { return m_messageTransport; }
    client::PushPairSender *pushPairSender() const { return m_pushPairs; }
    TrayPushStatus *pushStatus() const { return m_pushStatus; }
    bool isSignedIn() const { return m_account->isSignedIn(); }
    QString lastError() const { return m_lastError; }

signals:
    void signedIn(const QString &user);
    void signInFailed(const QString &reason);
    void signedOut();
    // The main window is on screen and usable (sign-in or main page).
    void ready(bool signedIn);
    // Closing the window means quitting (no call, no "keep running").
    void quitRequested();

private:
    void showWindow();
    // Light or dark as --style, else Settings, says (system: the desktop's colours).
    void applyStyle();
    // The dialer in front with its field focused (--dialer: the tray's "Call…").
    void showDialer();
    void signInWithPassword(const QString &server, const QString &user, const QString &password,
                            bool remember);
    void watchAccount();
    void onSignedIn(const client::LoginResult &result);
    // A sign-in that ended without a session: the reason on the sign-in page.
    void showSignInFailure(const client::AppServerError &error);
    void showSignInNotice(const QString &notice);
    void startClient(const QUrl &callingUrl);
    void stopClient();
    void onCloseRequested();
    void reportReady();
    void flushPushes();
    void recordMissed(const QString &callId, const QString &caller, const QString &cause);
    void applyCallActions(const AppOptions &options);

    AppOptions m_options;
    std::unique_ptr<storage::Settings> m_settings;
    std::unique_ptr<storage::Database> m_database;
    storage::CallHistory *m_history = nullptr;
    storage::ContactBook *m_contacts = nullptr;
    storage::MessageStore *m_messages = nullptr;
    keychain::InProcessKeychain *m_keychain = nullptr;
    storage::CredentialStore *m_credentials = nullptr;
    std::unique_ptr<ui::MainWindow> m_window;
    CallCoordinator *m_calls = nullptr;
    AudioChecks *m_audioChecks = nullptr;
    client::AccountSession *m_account = nullptr;
    client::ServiceFailover *m_failover = nullptr; // keeps m_client on a live node
    QPointer<client::SoftphoneClient> m_client;
    QPointer<ClientMessageTransport> m_messageTransport; // owned by m_client
    QPointer<client::PushPairSender> m_pushPairs;        // owned by m_client
    TrayPushStatus *m_pushStatus = nullptr;
    bool m_signingIn = false; // the sign-in page waits for the outcome
    bool m_readyReported = false;
    QString m_pendingDial;
    QPointer<ui::LinkCallDialog> m_linkDialog; // the open question, if any
    QStringList m_pendingPushes;               // relayed before the client was connected
    QHash<QString, QString> m_relayedCallers;  // call id -> caller, from relayed pushes
    QString m_lastError;
};

} // namespace softphone::app
