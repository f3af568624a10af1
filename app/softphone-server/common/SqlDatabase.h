#pragma once
// Where the server's stores keep their tables, and how a store's connection is
// opened, kept alive and its schema brought up to date. Two engines behind one
// place: each store's own SQLite file in the data dir (the embedded default:
// WAL, fsync on commit, a bounded busy timeout, write transactions that take the
// write lock at their start), or one shared PostgreSQL database
// (--database postgresql://...) through Qt's QPSQL driver. Stores write SQL that
// both engines accept and ask engine() where they must differ.

#include <QDeadlineTimer>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <functional>
#include <optional>

namespace softphone::server {

struct ServerOptions;
struct SchemaMigration;

class SqlDatabase
{
public:
    enum class Engine { Sqlite, PostgreSql };

    // A store's own SQLite file at path.
    static SqlDatabase sqliteFile(const QString &path);
    // Parses postgresql://[user[:password]@][host][:port]/dbname[?host=/socket/dir&
    // sslmode=...&connect_timeout=...&keepalives_idle=...&tcp_user_timeout=...]; nullopt
    // (with *error) if malformed.
    static std::optional<SqlDatabase> postgresUrl(const QString &url, QString *error = nullptr);
    // The libpq connection options of a PostgreSQL database (keyword=value;...), as
    // Qt's QPSQL driver passes them to libpq (before the startup options).
    QString connectOptions() const { return m_connectOptions; }
    // The tables of one part of the service ("accounts", "calling", "push"): its
    // SQLite file <part>.db in the data dir, or its schema <part> in the --database given
    // (with the lock and statement timeouts of options' --set database.*).
    static std::optional<SqlDatabase> forStore(const ServerOptions &options, const QString &part,
                                               QString *error = nullptr);

    Engine engine() const { return m_engine; }
    bool isPostgres() const { return m_engine == Engine::PostgreSql; }
    // For logs and errors: the file, or the URL without its password.
    QString displayName() const;

    // Opens a connection registered under connectionName (QSqlDatabase::database(name));
    // a closed connection (and *error) on failure.
    QSqlDatabase open(const QString &connectionName, QString *error = nullptr) const;
    // A PostgreSQL connection the server dropped (restart, network) is reopened, after
    // beforeClose (which drops the queries prepared on it); true when the connection
    // is usable. SQLite connections are kept as they are.
    static bool reconnectIfLost(QSqlDatabase &db, const std::function<void()> &beforeClose = {});
    // PostgreSQL only: a statement of the open transaction failed, so its COMMIT will
    // roll everything back.
    static bool transactionFailed(const QSqlDatabase &db);
    // Starts a transaction that writes. SQLite: BEGIN IMMEDIATE, which takes the
    // write lock at once, waiting for another connection's (another process: `user
    // add`, an operator's sqlite3) up to kSqliteBusyTimeoutMs. A deferred BEGIN would
    // read under a shared lock first and then fail at the first write, at once and
    // without that wait, whenever another connection held the write lock or had
    // committed since the read. PostgreSQL: BEGIN (rows lock as they are written).
    // BEGIN IMMEDIATE also checks fileStillThere().
    static bool beginWrite(QSqlDatabase &db, QString *error = nullptr);
    // SQLite: false (with *error) when the connection's file was removed or replaced
    // since it was opened; a write into it would be lost at the next start, so the
    // stores refuse to write (their requests get 503). PostgreSQL: always true.
    static bool fileStillThere(const QSqlDatabase &db, QString *error = nullptr);
    // Deletes the rows of `table` where `condition` (one `?`, bound to `value`)
    // holds, in statements of at most kPurgeBatchRows rows (by the key columns
    // `key`, e.g. "seq" or "id, recipient"), at most kPurgeBatches of them: one
    // DELETE of a long backlog (after an outage) would hold the event loop and
    // pass PostgreSQL's statement timeout at every sweep, never finishing.
    // Returns the rows deleted; *error set when a statement failed (what went
    // before stays deleted). What is left over the bound goes at the next sweep.
    static int deleteInBatches(const QSqlDatabase &db, const QString &table, const QString &key,
                               const QString &condition, const QVariant &value,
                               QString *error = nullptr);
    static constexpr int kPurgeBatchRows = 1000;
    static constexpr int kPurgeBatches = 100;
    // How long a SQLite statement waits for another connection's lock (busy_timeout)
    // before it fails and its request is answered 503: the longest a store waits.
    static constexpr int kSqliteBusyTimeoutMs = 2000;
    // PostgreSQL's bounds, set on every connection (its startup options, so a reopened
    // connection has them too): a statement waits at most kPostgresLockTimeoutMs for a
    // row or table lock another session holds (lock_timeout: a stuck migration, an
    // operator's open psql transaction, another node), and runs at most
    // kPostgresStatementTimeoutMs in all (statement_timeout: a slow plan, an overloaded
    // server). Past either the statement fails (SQLSTATE 55P03, 57014), its transaction
    // is rolled back and its request answered 503 like a SQLite busy timeout. The
    // stores run on the server's event loop, so these also bound how long one request
    // can hold up every other. --set database.lock_timeout / database.statement_timeout
    // (seconds, at most kMaxTimeoutMs) change them.
    static constexpr int kPostgresLockTimeoutMs = 2000;
    static constexpr int kPostgresStatementTimeoutMs = 5000;
    static constexpr int kMaxTimeoutMs = 600000;
    // A migration (at start, before any request) may wait longer for the lock of
    // another node migrating the same tables, and run longer (an index on a big table).
    static constexpr int kMigrationLockTimeoutMs = 60000;
    static constexpr int kMigrationStatementTimeoutMs = 600000;
    // A PostgreSQL server that goes silent (a network cut, a frozen host) answers
    // nothing, not even the RST that ends a connection, and the timeouts above are the
    // server's own: libpq would wait on its socket until the kernel gives up (hours),
    // and with it the node's event loop. So every connection also has, unless its URL
    // sets them (keepalives itself is always on):
    // - connect_timeout kConnectTimeoutSeconds: a connection attempt;
    // - tcp_user_timeout kTcpUserTimeoutMs: a statement whose bytes the database's
    //   host does not acknowledge (sent into the cut) fails after it, the connection
    //   with it;
    // - keepalives_idle/interval/count: a connection waiting for an answer (or idle)
    //   when the peer vanished is probed after kKeepaliveIdleSeconds of silence, every
    //   kKeepaliveIntervalSeconds, and given up once tcp_user_timeout has passed with a
    //   probe unanswered (Linux: the user timeout decides instead of the count), about
    //   11 s after the last word.
    // 10 s: past the 5 s statement_timeout (a slow statement is the server's to end,
    // and its host acknowledges our bytes and probes meanwhile, however busy), within a
    // client's own 15 s request timeout (AccountSession), and short enough that a
    // network cut holds the node's event loop once for about 10 s, not for hours.
    static constexpr int kConnectTimeoutSeconds = 3;
    static constexpr int kTcpUserTimeoutMs = 10000;
    static constexpr int kKeepaliveIdleSeconds = 5;
    static constexpr int kKeepaliveIntervalSeconds = 2;
    static constexpr int kKeepaliveCount = 3;
    int lockTimeoutMs() const { return m_lockTimeoutMs; }
    int statementTimeoutMs() const { return m_statementTimeoutMs; }
    static bool isPostgres(const QSqlDatabase &db);

    // Brings a store's tables to its newest version: the migrations past the version
    // recorded for `store` in schema_version run in one transaction with the new
    // record. On PostgreSQL they run in this part's schema, and nodes starting together
    // take turns (an advisory lock).
    bool migrate(QSqlDatabase &db, const QString &store, const QList<SchemaMigration> &migrations,
                 QString *error) const;

private:
    Engine m_engine = Engine::Sqlite;
    QString m_path; // SQLite
    QString m_host; // PostgreSQL: a name, an address, or a socket directory
    int m_port = -1;
    QString m_user;
    QString m_password;
    QString m_name;
    QString m_connectOptions;
    QString m_schema; // PostgreSQL: the part's schema (its tables' search_path)
    int m_lockTimeoutMs = kPostgresLockTimeoutMs;
    int m_statementTimeoutMs = kPostgresStatementTimeoutMs;
};

// One statement of a schema migration: the same text for both engines, or one each.
struct SchemaStatement
{
    SchemaStatement(const char *both)
        : sqlite(QString::fromUtf8(both))
        , postgres(sqlite)
    {}
    SchemaStatement(const char *sqliteText, const char *postgresText)
        : sqlite(QString::fromUtf8(sqliteText))
        , postgres(QString::fromUtf8(postgresText))
    {}
    QString sqlite;
    QString postgres;
};

struct SchemaMigration
{
    int version = 0;
    QList<SchemaStatement> statements;
};

// One store's own connection, used on one thread (a connection is never shared
// between threads, and SQLite write transactions of one process's connections
// would wait for each other): opened and its tables brought up to date together, reopened at its
// next use when PostgreSQL dropped it, closed and unregistered with the store.
class StoreConnection
{
public:
    // prefix: the start of the connection's unique name, for Qt's registry.
    explicit StoreConnection(const QString &prefix);
    ~StoreConnection();
    StoreConnection(const StoreConnection &) = delete;
    StoreConnection &operator=(const StoreConnection &) = delete;

    bool open(const SqlDatabase &where, const QString &store,
              const QList<SchemaMigration> &migrations, QString *error);
    // False (with *error naming the database) when a lost PostgreSQL connection
    // cannot be reopened, or the SQLite file was removed or replaced
    // (SqlDatabase::fileStillThere); beforeClose runs before a lost one is closed.
    // An attempt to reopen that took kSlowReconnectMs or more (a host that does not
    // answer: connect_timeout) is not repeated for kReconnectPauseMs: meanwhile the
    // connection is unusable at once, so a silent database holds the event loop for
    // one connect_timeout per pause, not per request. A refused one (PostgreSQL down
    // or restarting, its host up) is retried at the next use.
    bool usable(QString *error = nullptr, const std::function<void()> &beforeClose = {});
    static constexpr int kSlowReconnectMs = 1000;
    static constexpr int kReconnectPauseMs = 5000; // the 503's Retry-After
    QSqlDatabase &db() { return m_db; }
    const SqlDatabase &where() const { return m_where; }

private:
    QString m_name;
    SqlDatabase m_where;
    QSqlDatabase m_db;
    QDeadlineTimer m_reconnectPause{0}; // expired: reopening may be tried
    QString m_reconnectError;           // why the last slow attempt failed
};

// Runs each statement in order; false with the failing statement's error.
bool execAll(QSqlDatabase &db, const QStringList &statements, QString *error);

// The embedded SQLite file as every store wants it (kept for tests that build old
// schemas by hand): the connection is registered under connectionName.
QSqlDatabase openSqlite(const QString &path, const QString &connectionName, QString *error);

} // namespace softphone::server
