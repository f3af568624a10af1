#pragma once
// A real softphone-server process on loopback for tests: its own temporary data
// dir, port 0, the bound URLs read back from the JSON start line. With
// SOFTPHONE_TEST_DATABASE=postgresql (and no --database of the test's own) its
// stores live in its own PostgreSQL (PostgresServer) instead of SQLite files.
// Test code only (waits in nested event loops).

#include "HttpClient.h"
#include "PostgresServer.h"

#include <QJsonObject>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>
#include <memory>

namespace softphone::test {

class ServerProcess
{
public:
    explicit ServerProcess(QStringList extraArgs = {});
    ~ServerProcess();
    ServerProcess(const ServerProcess &) = delete;
    ServerProcess &operator=(const ServerProcess &) = delete;

    // serve --listen 127.0.0.1:0 --data-dir <own dir> <extraArgs>; false (with the
    // reason in lastError()) if no start line came within timeoutMs.
    bool start(int timeoutMs = 20000);
    // The same on HOST (port 0), run through `launcher` (e.g. {"ip", "netns",
    // "exec", NAME}: inside a network namespace, where HOST is an address).
    bool startOn(const QString &host, const QStringList &launcher, int timeoutMs = 20000);
    // Stops (SIGTERM) if running, then starts with the same data dir and the SAME ports.
    bool restart(int timeoutMs = 20000);
    void kill(); // SIGKILL, waits for the exit
    void stop(); // SIGTERM, waits for the exit (SIGKILL after 10 s)
    bool isRunning() const;
    qint64 pid() const; // 0 when not running
    // The server's resident memory (VmRSS of /proc/<pid>/status) in KiB; -1 if unknown.
    qint64 rssKiB() const;
    int exitCode() const { return m_exitCode; }

    QUrl callingUrl() const;
    QUrl pushWsUrl() const;
    QUrl appServerUrl() const;
    // The application server's URL with this path (e.g. "/v1/login").
    QUrl appServerUrl(const QString &path) const;
    QUrl pushHttpUrl() const;
    QJsonObject startLine() const { return m_startLine; }
    QString dataDir() const;
    QString lastError() const { return m_lastError; }
    // The server's log (stderr) goes to `path` instead of the test's stderr,
    // from the next start on, so a test can read what the server logged.
    void setErrorLog(const QString &path);
    // The same, into a file of a temporary folder of its own (gone with the object).
    void keepErrorLog();
    QString errorLogText() const;
    // From that log: the media frames the calling service relayed for a call
    // ("call ID ended: N media frames relayed"), waiting up to timeoutMs for
    // the line; -1 when it did not come.
    int relayedMediaFrames(const QString &callId, int timeoutMs = 5000) const;
    QStringList extraArgs() const { return m_extraArgs; }

    // Before start(): this server's keys are `first`'s (a started server), as on
    // the nodes of one cluster; false if a file could not be copied.
    bool copyKeysFrom(const ServerProcess &first);
    // Runs `user add NAME` against the same data dir (password on stdin).
    bool addUser(const QString &name, const QString &password);
    // Any `softphone-server <args> --data-dir <dir>` run; returns the exit code, output in *out.
    int runCommand(const QStringList &args, const QByteArray &input = {}, QByteArray *out = nullptr,
                   QByteArray *err = nullptr);
    // Access token via POST /v1/login; empty on failure.
    QString login(const QString &user, const QString &password, const QString &device = "test");
    // The whole /v1/login reply.
    HttpReply loginReply(const QString &user, const QString &password,
                         const QString &device = "test");
    // The HTTP client the helpers use (configure its CA for TLS runs).
    HttpClient &http() { return m_http; }

    // The PostgreSQL this server's stores live in; nullptr when they are SQLite files.
    PostgresServer *postgres() const { return m_postgres.get(); }

    static QString serverBinary();
    // The scrypt cost the suite's servers and `user add` use: N=2^10 (`--set
    // appserver.scrypt_log2n=10`, see docs/security.md), unless the test's
    // extraArgs name their own; the real cost costs 0.3-0.6 s a hash and most
    // tests sign in many times.
    QStringList hashCostArgs() const;

private:
    bool launch(const QStringList &listenArgs, int timeoutMs);
    // --database URL when this run is on PostgreSQL (started on first use) or the
    // test gave its own; false (with lastError()) if PostgreSQL would not start.
    bool databaseArgs(QStringList *args);

    QStringList m_extraArgs;
    QTemporaryDir m_dir;
    std::unique_ptr<QTemporaryDir> m_logDir; // keepErrorLog()
    std::unique_ptr<PostgresServer> m_postgres;
    std::unique_ptr<QProcess> m_process;
    QJsonObject m_startLine;
    QString m_lastError;
    int m_exitCode = -1;
    quint16 m_wsPort = 0;
    quint16 m_httpPort = 0;
    HttpClient m_http;
    QString m_errorLog;
    QStringList m_launcher;
};

} // namespace softphone::test
