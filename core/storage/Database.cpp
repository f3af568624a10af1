#include "Database.h"

#include "common/Logging.h"
#include "common/PrivateFiles.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QUuid>

namespace softphone::storage {

namespace {
constexpr int kSchemaVersion = 1;
}

QString Database::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/softphone.sqlite");
}

Database::Database(const QString &path)
    : m_path(path)
    , m_connectionName(QStringLiteral("softphone-storage-") +
                       QUuid::createUuid().toString(QUuid::WithoutBraces))
{}

Database::~Database()
{
    if (m_db.isValid()) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

bool Database::open()
{
    if (m_db.isOpen())
        return true;
    // Messages and call history are the user's alone: a 0700 folder, and the
    // file made 0600 before SQLite opens it (SQLite would create it 0644, and
    // its -wal and -shm files take the database file's mode).
    if (!makePrivateDir(QFileInfo(m_path).absolutePath(), ForeignMode::Repair, &m_error))
        return false;
    if (!QFileInfo::exists(m_path) && !writePrivateFile(m_path, {}, &m_error))
        return false;
    if (!closePrivateFile(m_path, &m_error))
        return false;
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    m_db.setDatabaseName(m_path);
    if (!m_db.open()) {
        m_error = m_db.lastError().text();
        qCWarning(lcStorage) << "cannot open" << m_path << m_error;
        return false;
    }
    return migrate();
}

bool Database::migrate()
{
    QSqlQuery query(m_db);
    query.exec(QStringLiteral("PRAGMA journal_mode=WAL"));
    query.exec(QStringLiteral("PRAGMA user_version"));
    const int version = query.next() ? query.value(0).toInt() : 0;
    if (version >= kSchemaVersion)
        return true;

    const QStringList statements = {
        QStringLiteral("CREATE TABLE IF NOT EXISTS calls ("
                       " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                       " call_id TEXT NOT NULL, remote_user TEXT NOT NULL,"
                       " outgoing INTEGER NOT NULL, missed INTEGER NOT NULL,"
                       " started_at INTEGER NOT NULL, duration_ms INTEGER NOT NULL,"
                       " end_cause TEXT NOT NULL, subject TEXT NOT NULL DEFAULT '',"
                       " seen INTEGER NOT NULL DEFAULT 0)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS calls_started ON calls(started_at)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS contacts ("
                       " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                       " user_id TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS messages ("
                       " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                       " message_id TEXT NOT NULL UNIQUE, peer TEXT NOT NULL,"
                       " outgoing INTEGER NOT NULL, text TEXT NOT NULL,"
                       " at INTEGER NOT NULL, status INTEGER NOT NULL)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS messages_peer ON messages(peer, at)"),
        QStringLiteral("PRAGMA user_version=%1").arg(kSchemaVersion),
    };
    for (const QString &statement : statements) {
        if (!query.exec(statement)) {
            m_error = query.lastError().text();
            qCWarning(lcStorage) << "schema update failed:" << m_error;
            return false;
        }
    }
    return true;
}

} // namespace softphone::storage
