#pragma once
// What every softphone-cli command shares: the sign-in at the application
// server (core's AccountSession, keeping nothing: no keychain, no settings),
// the SoftphoneClient, the JSON event lines on stdout and the exit.
// Every event is ONE JSON object per line on stdout; diagnostics go to stderr.

#include "client/AccountSession.h"
#include "client/ServiceFailover.h"
#include "client/SoftphoneClient.h"

#include <QJsonObject>
#include <QObject>
#include <QTimer>
#include <chrono>
#include <functional>

namespace softphone::cli {

// Exit codes: documented in --help.
enum ExitCode {
    ExitOk = 0,
    ExitCallFailed = 1,   // the call ended with failure or timeout
    ExitUsage = 2,        // bad command line
    ExitSignInFailed = 3, // bad password, unreachable or refusing server
};

struct SessionOptions
{
    // The application server: one http(s):// URL, or the nodes of one service
    // separated by commas (--server repeated or a list; failover between them).
    QString server;
    QString user;
    QString device = QStringLiteral("cli");
    QString password;
    bool allowInsecure = false; // --allow-insecure: http:// / ws:// to another machine
    bool udpMedia = true;       // false: --no-udp-media
    bool shortFrames = true;    // false: --no-short-frames
    // --failover-time: with several nodes, how long no node may answer (after
    // the one in use was lost) before the run ends with ExitSignInFailed.
    std::chrono::seconds failoverTime{30};
};

class CliSession : public QObject
{
    Q_OBJECT

public:
    explicit CliSession(const SessionOptions &options, QObject *parent = nullptr);

    const SessionOptions &options() const { return m_options; }
    // Signs in, connects the calling client, then calls onStarted once.
    void start(client::ClientCapabilities capabilities, std::function<void()> onStarted);
    // Signs in only; onSignedIn runs once with the login. The command makes its
    // client(s) with createClient() when it needs a connection (offline mode).
    void signIn(std::function<void(const client::LoginResult &)> onSignedIn);
    // A new client for the signed-in user (token set, not started); replaces
    // (terminates) the previous one. Its failures end the session.
    client::SoftphoneClient *createClient(client::ClientCapabilities capabilities);
    const client::LoginResult &login() const { return m_account.login(); }
    // The application server of the node in use (for /v1/push and /v1/keys).
    QUrl appServerUrl() const { return m_account.serverUrl(); }
    client::SoftphoneClient *client() const { return m_client; }

    // Prints the call's state changes and its end; onEnded runs after the `ended` line.
    void watchCall(client::Call *call, std::function<void(client::Call *)> onEnded = {});
    static QJsonObject callJson(const QString &event, const client::Call *call);

    static void printEvent(const QJsonObject &event);
    // Prints {"event":"error",...} and the message on stderr, then finishes.
    void fail(const QString &message, int exitCode);
    // Ends the client, signs out, then quits the event loop with exitCode (once).
    void finish(int exitCode);

private:
    void onLoggedIn(const client::LoginResult &result);
    void onAppServerFailed(const QString &message, const QString &type);
    // A refresh or failover found no node answering: with several nodes and
    // the calling connection lost, the session goes on trying
    // (ServiceFailover) for failoverTime, then ends; else it ends at once.
    void onUnreachable(const client::AppServerError &error);
    void quit();

    enum class Phase { SigningIn, Running, Finishing };
    SessionOptions m_options;
    client::AccountSession m_account;
    client::ServiceFailover m_failover{&m_account};
    client::SoftphoneClient *m_client = nullptr;
    client::ClientCapabilities m_capabilities;
    std::function<void()> m_onStarted;
    std::function<void(const client::LoginResult &)> m_onSignedIn;
    Phase m_phase = Phase::SigningIn;
    int m_exitCode = ExitOk;
    QTimer m_allNodesDown; // runs from the first unreachable node until one answers
    QString m_lastUnreachable;
};

} // namespace softphone::cli
