#include "SqlDatabase.h"

#include "ServerLogging.h"
#include "ServerOptions.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>
#include <QUrlQuery>
#include <QUuid>
#include <QVariant>
#include <algorithm>
#include <libpq-fe.h>
#include <poll.h>
#include <sys/stat.h>

namespace softphone::server {

namespace {

// The connection parameters a --database URL may carry besides host, port, user,
// password and name; anything else is refused rather than passed to libpq.
const QStringList kPostgresParameters{
    QStringLiteral("sslmode"),          QStringLiteral("sslrootcert"),
    QStringLiteral("sslcert"),          QStringLiteral("sslkey"),
    QStringLiteral("connect_timeout"),  QStringLiteral("application_name"),
    QStringLiteral("keepalives_idle"),  QStringLiteral("keepalives_interval"),
    QStringLiteral("keepalives_count"), QStringLiteral("tcp_user_timeout"),
};
// The bounds on a database that goes silent, each the URL's own unless it has one:
// connect_timeout for a connection attempt to an unreachable host; tcp_user_timeout
// for a statement sent into a network cut (its data unacknowledged); TCP keepalive
// for a connection that is idle, or waits for an answer, when the peer vanishes
// (SqlDatabase.h says why these values).
const QList<QPair<QString, int>> kPostgresDefaults{
    {QStringLiteral("connect_timeout"), SqlDatabase::kConnectTimeoutSeconds},
    {QStringLiteral("keepalives_idle"), SqlDatabase::kKeepaliveIdleSeconds},
    {QStringLiteral("keepalives_interval"), SqlDatabase::kKeepaliveIntervalSeconds},
    {QStringLiteral("keepalives_count"), SqlDatabase::kKeepaliveCount},
    {QStringLiteral("tcp_user_timeout"), SqlDatabase::kTcpUserTimeoutMs},
};
// The advisory lock key nodes take while migrating a shared database.
constexpr qint64 kMigrationLock = 0x736f667470686f6e; // "softphon"

// A SQLite connection's file as it was when the connection opened it (device and
// inode, kept as a property of its driver): SQLite in WAL mode goes on writing into
// a file removed or replaced under it, and those writes would be lost.
constexpr char kOpenedFile[] = "softphoneOpenedFile";

QByteArray fileIdentity(const QString &path)
{
    struct stat status
    {
    };
    if (::stat(QFile::encodeName(path).constData(), &status) != 0)
        return {};
    return QByteArray::number(quint64(status.st_dev)) + ':' +
           QByteArray::number(quint64(status.st_ino));
}

bool isPostgresDriver(const QSqlDatabase &db)
{
    return db.driverName() == u"QPSQL";
}

PGconn *postgresHandle(const QSqlDatabase &db)
{
    if (!isPostgresDriver(db))
        return nullptr;
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    // Qt registers the handle as PGconn*, whose metatype name is the struct's.
    if (!handle.isValid() ||
        (qstrcmp(handle.typeName(), "PGconn*") != 0 && qstrcmp(handle.typeName(), "pg_conn*") != 0))
        return nullptr;
    return *static_cast<PGconn *const *>(handle.constData());
}

} // namespace

SqlDatabase SqlDatabase::sqliteFile(const QString &path)
{
    SqlDatabase database;
    database.m_path = path;
    return database;
}

std::optional<SqlDatabase> SqlDatabase::postgresUrl(const QString &text, QString *error)
{
    auto fail = [error](const QString &why) {
        if (error)
            *error = QStringLiteral("--database: %1").arg(why);
        return std::nullopt;
    };
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"postgresql" && url.scheme() != u"postgres"))
        return fail(QStringLiteral("expected postgresql://user@host:port/dbname"));
    SqlDatabase database;
    database.m_engine = Engine::PostgreSql;
    database.m_host = url.host();
    database.m_port = url.port(-1);
    database.m_user = url.userName();
    database.m_password = url.password();
    database.m_name = url.path().mid(1);
    if (database.m_name.isEmpty() || database.m_name.contains(u'/'))
        return fail(QStringLiteral("the URL names no database (postgresql://host/dbname)"));
    static const QRegularExpression plainValue(QStringLiteral("^[A-Za-z0-9._/-]{1,200}$"));
    QStringList options;
    QStringList given;
    for (const auto &[key, value] : QUrlQuery(url).queryItems(QUrl::FullyDecoded)) {
        if (key == u"host") {
            // host=/run/postgresql: a unix socket directory.
            if (!value.startsWith(u'/'))
                return fail(QStringLiteral("host= takes a socket directory (/run/postgresql)"));
            database.m_host = value;
            continue;
        }
        if (key == u"port") { // the socket's number with host=/dir
            bool ok = false;
            database.m_port = value.toInt(&ok);
            if (!ok || database.m_port <= 0 || database.m_port > 65535)
                return fail(QStringLiteral("port= takes a port number"));
            continue;
        }
        if (!kPostgresParameters.contains(key))
            return fail(QStringLiteral("unknown parameter '%1' (known: host, %2)")
                            .arg(key.left(40), kPostgresParameters.join(QStringLiteral(", "))));
        if (!plainValue.match(value).hasMatch())
            return fail(QStringLiteral("the value of '%1' is not a plain word").arg(key));
        const bool timing = std::any_of(kPostgresDefaults.begin(), kPostgresDefaults.end(),
                                        [&key](const auto &entry) { return entry.first == key; });
        bool number = false;
        if (timing && (value.toInt(&number) < 0 || !number))
            return fail(QStringLiteral("'%1' takes a whole number").arg(key));
        given << key;
        options << key + u'=' + value;
    }
    // Always on: a URL can shorten or lengthen the keepalive, not turn it off.
    options << QStringLiteral("keepalives=1");
    for (const auto &[key, value] : kPostgresDefaults)
        if (!given.contains(key))
            options << key + u'=' + QString::number(value);
    database.m_connectOptions = options.join(u';');
    return database;
}

std::optional<SqlDatabase> SqlDatabase::forStore(const ServerOptions &options, const QString &part,
                                                 QString *error)
{
    if (options.database.isEmpty())
        return sqliteFile(QDir(options.dataDir).filePath(part + QStringLiteral(".db")));
    auto database = postgresUrl(options.database, error);
    if (!database)
        return database;
    database->m_schema = part;
    // At least 1 ms: PostgreSQL reads 0 as "no bound".
    const auto setting = [&options](const QString &key, int fallback) {
        return int(std::clamp<qint64>(
            options.milliseconds(key, std::chrono::milliseconds(fallback)).count(), 1,
            kMaxTimeoutMs));
    };
    database->m_lockTimeoutMs =
        setting(QStringLiteral("database.lock_timeout"), kPostgresLockTimeoutMs);
    database->m_statementTimeoutMs =
        setting(QStringLiteral("database.statement_timeout"), kPostgresStatementTimeoutMs);
    return database;
}

QString SqlDatabase::displayName() const
{
    if (m_engine == Engine::Sqlite)
        return m_path;
    // Never the password (docs/security.md).
    QString text = QStringLiteral("postgresql://");
    if (!m_user.isEmpty())
        text += m_user + u'@';
    if (!m_host.startsWith(u'/'))
        text += m_host;
    if (m_port > 0 && !m_host.startsWith(u'/'))
        text += u':' + QString::number(m_port);
    text += u'/' + m_name;
    if (m_host.startsWith(u'/'))
        text += QStringLiteral("?host=") + m_host;
    if (m_host.startsWith(u'/') && m_port > 0)
        text += QStringLiteral("&port=") + QString::number(m_port);
    return text;
}

QSqlDatabase SqlDatabase::open(const QString &connectionName, QString *error) const
{
    if (m_engine == Engine::Sqlite)
        return openSqlite(m_path, connectionName, error);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connectionName);
    if (!db.isValid()) {
        if (error)
            *error = QStringLiteral("Qt's PostgreSQL driver (QPSQL) is missing: install "
                                    "libqt6sql6-psql");
        return db;
    }
    db.setHostName(m_host);
    if (m_port > 0)
        db.setPort(m_port);
    db.setUserName(m_user);
    db.setPassword(m_password);
    db.setDatabaseName(m_name);
    // Its part's schema first on the search path; notices (IF NOT EXISTS ...) unsaid;
    // no statement waits for a lock, or runs, unbounded (values in ms). The server's
    // end of a connection cut without a word is probed and given up as ours is: its
    // backend, perhaps inside one of our transactions and holding its row locks, ends
    // (rolled back) within seconds instead of when the server's system settings say.
    QString serverOptions =
        QStringLiteral("-c client_min_messages=warning -c lock_timeout=%1 -c statement_timeout=%2"
                       " -c tcp_keepalives_idle=%3 -c tcp_keepalives_interval=%4"
                       " -c tcp_keepalives_count=%5 -c tcp_user_timeout=%6")
            .arg(m_lockTimeoutMs)
            .arg(m_statementTimeoutMs)
            .arg(kKeepaliveIdleSeconds)
            .arg(kKeepaliveIntervalSeconds)
            .arg(kKeepaliveCount)
            .arg(kTcpUserTimeoutMs);
    if (!m_schema.isEmpty())
        serverOptions += QStringLiteral(" -c search_path=") + m_schema;
    db.setConnectOptions(m_connectOptions + QStringLiteral(";options='%1'").arg(serverOptions));
    if (!db.open() && error)
        *error = QStringLiteral("cannot connect to %1: %2")
                     .arg(displayName(), db.lastError().text().trimmed());
    return db;
}

bool SqlDatabase::isPostgres(const QSqlDatabase &db)
{
    return isPostgresDriver(db);
}

bool SqlDatabase::reconnectIfLost(QSqlDatabase &db, const std::function<void()> &beforeClose)
{
    if (!isPostgresDriver(db))
        return db.isOpen();
    if (db.isOpen()) {
        PGconn *connection = postgresHandle(db);
        // An idle connection has nothing to read unless the server said goodbye (its
        // shutdown, an administrator) or closed it: reading then marks it bad, so the
        // next statement goes to a new connection rather than failing. A connection
        // lost without a word is found by the statement that fails on it.
        for (int reads = 0; connection && PQstatus(connection) == CONNECTION_OK && reads < 3;
             ++reads) {
            pollfd socket{PQsocket(connection), POLLIN, 0};
            if (socket.fd < 0 || ::poll(&socket, 1, 0) <= 0)
                break;
            PQconsumeInput(connection);
        }
        if (connection && PQstatus(connection) == CONNECTION_OK)
            return true;
        if (beforeClose)
            beforeClose();
        db.close();
    }
    return db.open();
}

bool SqlDatabase::transactionFailed(const QSqlDatabase &db)
{
    PGconn *connection = postgresHandle(db);
    return connection && PQtransactionStatus(connection) == PQTRANS_INERROR;
}

int SqlDatabase::deleteInBatches(const QSqlDatabase &db, const QString &table, const QString &key,
                                 const QString &condition, const QVariant &value, QString *error)
{
    const QString statement =
        QStringLiteral("DELETE FROM %1 WHERE (%2) IN (SELECT %2 FROM %1 WHERE %3 LIMIT %4)")
            .arg(table, key, condition)
            .arg(kPurgeBatchRows);
    int deleted = 0;
    for (int batch = 0; batch < kPurgeBatches; ++batch) {
        QSqlQuery q(db);
        q.prepare(statement);
        q.addBindValue(value);
        if (!q.exec()) {
            if (error)
                *error = q.lastError().text();
            return deleted;
        }
        deleted += q.numRowsAffected();
        if (q.numRowsAffected() < kPurgeBatchRows)
            return deleted;
    }
    qCInfo(lcServerApp) << "deleted" << deleted << "rows of" << table
                        << "in this sweep; the rest at the next one";
    return deleted;
}

bool SqlDatabase::fileStillThere(const QSqlDatabase &db, QString *error)
{
    if (isPostgresDriver(db) || !db.driver())
        return true;
    const QByteArray opened = db.driver()->property(kOpenedFile).toByteArray();
    if (opened.isEmpty() || fileIdentity(db.databaseName()) == opened)
        return true;
    if (error)
        *error = QStringLiteral("the file %1 was removed or replaced while the server used it; "
                                "put it back (or restore a backup) and restart the server")
                     .arg(db.databaseName());
    return false;
}

bool SqlDatabase::beginWrite(QSqlDatabase &db, QString *error)
{
    if (isPostgresDriver(db)) {
        if (db.transaction())
            return true;
        if (error)
            *error = db.lastError().text();
        return false;
    }
    if (!fileStillThere(db, error))
        return false;
    // Qt's SQLite driver keeps no transaction state: commit() and rollback() end it.
    QSqlQuery begin(db);
    if (begin.exec(QStringLiteral("BEGIN IMMEDIATE")))
        return true;
    if (error)
        *error = begin.lastError().text();
    return false;
}

StoreConnection::StoreConnection(const QString &prefix)
    : m_name(prefix + u'-' + QUuid::createUuid().toString(QUuid::WithoutBraces))
{}

StoreConnection::~StoreConnection()
{
    if (m_db.isValid()) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }
}

bool StoreConnection::open(const SqlDatabase &where, const QString &store,
                           const QList<SchemaMigration> &migrations, QString *error)
{
    m_where = where;
    m_db = where.open(m_name, error);
    return m_db.isOpen() && where.migrate(m_db, store, migrations, error);
}

bool StoreConnection::usable(QString *error, const std::function<void()> &beforeClose)
{
    if (!SqlDatabase::fileStillThere(m_db, error))
        return false;
    if (!m_db.isOpen() && !m_reconnectPause.hasExpired()) {
        if (error)
            *error = QStringLiteral("the database %1 is unavailable: %2 (next attempt in %3 ms)")
                         .arg(m_where.displayName(), m_reconnectError)
                         .arg(m_reconnectPause.remainingTime());
        return false;
    }
    QElapsedTimer attempt;
    attempt.start();
    if (SqlDatabase::reconnectIfLost(m_db, beforeClose))
        return true;
    const QString why = m_db.lastError().text().trimmed();
    if (attempt.elapsed() >= kSlowReconnectMs) {
        m_reconnectPause.setRemainingTime(kReconnectPauseMs);
        m_reconnectError = why;
    }
    if (error)
        *error =
            QStringLiteral("the database %1 is unavailable: %2").arg(m_where.displayName(), why);
    return false;
}

bool SqlDatabase::migrate(QSqlDatabase &db, const QString &store,
                          const QList<SchemaMigration> &migrations, QString *error) const
{
    const bool postgres = isPostgresDriver(db);
    auto fail = [&](const QString &why) {
        *error = QStringLiteral("cannot update the %1 tables: %2").arg(store, why);
        db.rollback();
        return false;
    };
    // A write transaction from its start: a node's server and a `user add` starting
    // together on one SQLite file take turns instead of failing.
    QString why;
    if (!beginWrite(db, &why))
        return fail(why);
    QStringList setup;
    if (postgres) {
        // This transaction's own bounds: another node's migration is waited for.
        setup << QStringLiteral("SET LOCAL lock_timeout = %1")
                     .arg(std::max(m_lockTimeoutMs, kMigrationLockTimeoutMs))
              << QStringLiteral("SET LOCAL statement_timeout = %1")
                     .arg(std::max(m_statementTimeoutMs, kMigrationStatementTimeoutMs))
              << QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(kMigrationLock);
        if (!m_schema.isEmpty())
            setup << QStringLiteral("CREATE SCHEMA IF NOT EXISTS %1").arg(m_schema);
    }
    setup << QStringLiteral("CREATE TABLE IF NOT EXISTS schema_version ("
                            " store TEXT PRIMARY KEY NOT NULL, version INTEGER NOT NULL)");
    if (!execAll(db, setup, &why))
        return fail(why);
    QSqlQuery current(db);
    current.prepare(QStringLiteral("SELECT version FROM schema_version WHERE store = ?"));
    current.addBindValue(store);
    if (!current.exec())
        return fail(current.lastError().text());
    const int version = current.next() ? current.value(0).toInt() : 0;
    current.finish();
    int reached = version;
    for (const SchemaMigration &migration : migrations) {
        if (migration.version <= version)
            continue;
        QStringList statements;
        for (const SchemaStatement &statement : migration.statements)
            statements << (postgres ? statement.postgres : statement.sqlite);
        if (!execAll(db, statements, &why))
            return fail(QStringLiteral("version %1: %2").arg(migration.version).arg(why));
        reached = migration.version;
    }
    if (reached != version) {
        QSqlQuery record(db);
        record.prepare(
            QStringLiteral("INSERT INTO schema_version(store, version) VALUES (?, ?)"
                           " ON CONFLICT (store) DO UPDATE SET version = excluded.version"));
        record.addBindValue(store);
        record.addBindValue(reached);
        if (!record.exec())
            return fail(record.lastError().text());
    }
    if (!db.commit())
        return fail(db.lastError().text());
    if (reached != version)
        qCInfo(lcServerApp).noquote()
            << store << "tables at version" << reached << "in" << displayName();
    return true;
}

QSqlDatabase openSqlite(const QString &path, const QString &connectionName, QString *error)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connectionName);
    db.setDatabaseName(path);
    db.setConnectOptions(
        QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(SqlDatabase::kSqliteBusyTimeoutMs));
    if (!db.open()) {
        if (error)
            *error = QStringLiteral("cannot open database %1: %2").arg(path, db.lastError().text());
        return db;
    }
    // The files hold password hashes and tokens: owner only.
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QString e;
    if (!execAll(db,
                 {QStringLiteral("PRAGMA journal_mode=WAL"),
                  QStringLiteral("PRAGMA synchronous=FULL"),
                  QStringLiteral("PRAGMA foreign_keys=ON")},
                 &e)) {
        if (error)
            *error = QStringLiteral("cannot set up database %1: %2").arg(path, e);
        db.close();
        return db;
    }
    db.driver()->setProperty(kOpenedFile, fileIdentity(path));
    return db;
}

bool execAll(QSqlDatabase &db, const QStringList &statements, QString *error)
{
    for (const QString &statement : statements) {
        QSqlQuery q(db);
        if (!q.exec(statement)) {
            *error = QStringLiteral("%1: %2").arg(statement.left(60), q.lastError().text());
            return false;
        }
    }
    return true;
}

} // namespace softphone::server
