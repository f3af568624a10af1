#pragma once
// A real PostgreSQL 15 for tests, in a temporary folder: initdb (trust auth, a
// `softphone` role and database; made once per test session and copied), postgres on a loopback
// port and a unix socket in that folder, stopped and removed at the end. postgres refuses to run as
// root, so under root everything runs as `nobody` (setpriv). postgres is the test's own child
// (not pg_ctl's daemon) in a process group of its own, which a watchdog kills when the test
// dies, even at its ctest timeout. Test code only (waits).
//
// SOFTPHONE_TEST_DATABASE=postgresql makes every ServerProcess start its own
// (tests/CMakeLists.txt runs a selection of the suite that way, label `postgresql`).

#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <memory>

namespace softphone::test {

class PostgresServer
{
public:
    PostgresServer();
    ~PostgresServer(); // stops the server; the folder goes with it
    PostgresServer(const PostgresServer &) = delete;
    PostgresServer &operator=(const PostgresServer &) = delete;

    // /usr/lib/postgresql/15/bin (postgresql-15) is installed.
    static bool available();
    // True when SOFTPHONE_TEST_DATABASE=postgresql: the servers of this run use PostgreSQL.
    static bool requestedByEnvironment();

    // Creates the cluster and database on first use, then starts the server (on the
    // same port after a stop()); false with lastError() if it did not come up in time.
    bool start(int timeoutMs = 60000);
    // Stops the server (fast shutdown: connections are cut); the data stays.
    void stop();
    bool isRunning() const { return m_running; }
    // The postmaster's process id; 0 when not running.
    qint64 pid() const { return m_running && m_postmaster ? m_postmaster->processId() : 0; }

    // postgresql://softphone@127.0.0.1:PORT/softphone
    QString url() const;
    // The unix-socket form: postgresql://softphone@/softphone?host=<socket dir>&port=PORT
    QString socketUrl() const;
    // Runs an SQL statement with psql in the database (`softphone` unless named); its
    // output (unaligned, tuples only), empty on failure.
    QString query(const QString &sql, const QString &database = {});
    QString lastError() const { return m_lastError; }

private:
    // Runs one of PostgreSQL's programs (as nobody under root); exit code, -1 on timeout.
    int run(const QString &program, const QStringList &args, int timeoutMs,
            QByteArray *out = nullptr);
    // Starts one of them as a child that dies with the test (as nobody under root);
    // ownProcessGroup: the leader of a new process group (postgres and its children).
    void startProgram(QProcess &process, const QString &program, const QStringList &args,
                      bool ownProcessGroup = false);
    // postgres on m_port; true once it accepts connections, else killed (lastError()).
    bool launchPostmaster(int timeoutMs);
    void killPostmaster();
    QString dataDir() const;
    // The data folder copied from a cluster made once (initdb and createdb: ~2 s each
    // time otherwise); false when there is none, and the caller runs initdb itself.
    bool copyTemplate(int timeoutMs);
    QString socketDir() const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_postmaster;
    std::unique_ptr<QProcess> m_watchdog; // kills postgres's group if this process dies
    quint16 m_port = 0;
    bool m_initialised = false;
    bool m_isTemplate = false;   // makes the template: initdb itself
    bool m_fromTemplate = false; // copied, the database is there already
    bool m_running = false;
    QString m_lastError;
};

} // namespace softphone::test
