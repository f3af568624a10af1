#include "SqliteAccountStore.h"

#include "Logging.h"
#include "Random.h"
#include "Sqlite.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QTimeZone>
#include <QVariant>

namespace softphone::server::appserver {

SqliteAccountStore::SqliteAccountStore()
    : m_connection(QStringLiteral("accounts-") + crypto::randomToken(6))
{}

SqliteAccountStore::~SqliteAccountStore()
{
    // Callers guarantee no thread uses the store any more (the role waits for its pool).
    QMutexLocker lock(&m_mutex);
    for (const QString &name : std::as_const(m_connections))
        QSqlDatabase::removeDatabase(name); // closes it
}

QSqlDatabase SqliteAccountStore::db() const
{
    const QString name =
        m_connection + u'-' + QString::number(quintptr(QThread::currentThreadId()), 16);
    {
        QMutexLocker lock(&m_mutex);
        if (m_connections.contains(name))
            return QSqlDatabase::database(name, false);
        m_connections << name;
    }
    QString error;
    QSqlDatabase connection = openSqlite(m_path, name, &error);
    if (!connection.isOpen())
        qCWarning(lcServerApp) << error;
    return connection;
}

bool SqliteAccountStore::open(const QString &path, QString *error)
{
    m_path = path;
    QSqlDatabase database = db();
    if (!database.isOpen()) {
        *error = QStringLiteral("cannot open the account database %1").arg(path);
        return false;
    }
    return execAll(database,
                   {QStringLiteral("CREATE TABLE IF NOT EXISTS users ("
                                   " name TEXT PRIMARY KEY NOT NULL,"
                                   " password_hash TEXT NOT NULL,"
                                   " created_at INTEGER NOT NULL)"),
                    QStringLiteral("CREATE TABLE IF NOT EXISTS refresh_tokens ("
                                   " token_hash BLOB PRIMARY KEY NOT NULL,"
                                   " user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,"
                                   " device TEXT NOT NULL,"
                                   " expires_at INTEGER NOT NULL)"),
                    QStringLiteral("CREATE INDEX IF NOT EXISTS refresh_tokens_user"
                                   " ON refresh_tokens(user)")},
                   error);
}

bool SqliteAccountStore::addUser(const QString &user, const QString &passwordHash, QString *error)
{
    QSqlDatabase database = db();
    QSqlQuery q(database);
    q.prepare(
        QStringLiteral("INSERT INTO users(name, password_hash, created_at) VALUES (?, ?, ?)"));
    q.addBindValue(user);
    q.addBindValue(passwordHash);
    q.addBindValue(QDateTime::currentSecsSinceEpoch());
    if (!q.exec()) {
        *error = this->passwordHash(user) ? QStringLiteral("user '%1' already exists").arg(user)
                                          : q.lastError().text();
        return false;
    }
    return true;
}

bool SqliteAccountStore::removeUser(const QString &user, QString *error)
{
    QSqlDatabase database = db();
    QSqlQuery q(database);
    q.prepare(QStringLiteral("DELETE FROM users WHERE name = ?"));
    q.addBindValue(user);
    if (!q.exec()) {
        *error = q.lastError().text();
        return false;
    }
    if (q.numRowsAffected() == 0) {
        *error = QStringLiteral("no user '%1'").arg(user);
        return false;
    }
    return true;
}

QStringList SqliteAccountStore::users() const
{
    QSqlDatabase database = db();
    QStringList names;
    QSqlQuery q(database);
    if (q.exec(QStringLiteral("SELECT name FROM users ORDER BY name")))
        while (q.next())
            names << q.value(0).toString();
    return names;
}

std::optional<QString> SqliteAccountStore::passwordHash(const QString &user) const
{
    QSqlDatabase database = db();
    QSqlQuery q(database);
    q.prepare(QStringLiteral("SELECT password_hash FROM users WHERE name = ?"));
    q.addBindValue(user);
    if (q.exec() && q.next())
        return q.value(0).toString();
    return std::nullopt;
}

bool SqliteAccountStore::replacePasswordHash(const QString &user, const QString &oldHash,
                                             const QString &newHash)
{
    QSqlDatabase database = db();
    QSqlQuery q(database);
    q.prepare(
        QStringLiteral("UPDATE users SET password_hash = ? WHERE name = ? AND password_hash = ?"));
    q.addBindValue(newHash);
    q.addBindValue(user);
    q.addBindValue(oldHash);
    return q.exec() && q.numRowsAffected() > 0;
}

bool SqliteAccountStore::addRefreshToken(const QByteArray &tokenHash,
                                         const RefreshTokenRecord &record, QString *error)
{
    QSqlDatabase database = db();
    QSqlQuery q(database);
    q.prepare(QStringLiteral(
        "INSERT INTO refresh_tokens(token_hash, user, device, expires_at) VALUES (?, ?, ?, ?)"));
    q.addBindValue(tokenHash);
    q.addBindValue(record.user);
    q.addBindValue(record.device);
    q.addBindValue(record.expiresAt.toSecsSinceEpoch());
    if (!q.exec()) {
        *error = q.lastError().text();
        return false;
    }
    return true;
}

std::optional<RefreshTokenRecord> SqliteAccountStore::rotateRefreshToken(const QByteArray &oldHash,
                                                                         const QByteArray &newHash,
                                                                         const QDateTime &newExpiry,
                                                                         const QDateTime &now)
{
    QSqlDatabase database = db();
    // One transaction: the old token is gone exactly when the new one exists, so
    // two racing refreshes with the same token cannot both succeed.
    if (!database.transaction())
        return std::nullopt;
    QSqlQuery q(database);
    q.prepare(QStringLiteral("SELECT user, device, expires_at FROM refresh_tokens"
                             " WHERE token_hash = ?"));
    q.addBindValue(oldHash);
    if (!q.exec() || !q.next()) {
        database.rollback();
        return std::nullopt;
    }
    RefreshTokenRecord record{q.value(0).toString(), q.value(1).toString(),
                              QDateTime::fromSecsSinceEpoch(q.value(2).toLongLong(), Qt::UTC)};
    q.finish();
    QSqlQuery del(database);
    del.prepare(QStringLiteral("DELETE FROM refresh_tokens WHERE token_hash = ?"));
    del.addBindValue(oldHash);
    if (!del.exec() || record.expiresAt <= now) {
        // An expired token is dropped but does not rotate.
        database.commit();
        return std::nullopt;
    }
    QString error;
    if (!addRefreshToken(newHash, RefreshTokenRecord{record.user, record.device, newExpiry},
                         &error)) {
        qCWarning(lcServerApp) << "refresh token rotation failed:" << error;
        database.rollback();
        return std::nullopt;
    }
    if (!database.commit()) {
        qCWarning(lcServerApp) << "refresh token rotation commit failed:"
                               << database.lastError().text();
        database.rollback();
        return std::nullopt;
    }
    return record;
}

bool SqliteAccountStore::revokeRefreshToken(const QByteArray &tokenHash)
{
    QSqlDatabase database = db();
    QSqlQuery q(database);
    q.prepare(QStringLiteral("DELETE FROM refresh_tokens WHERE token_hash = ?"));
    q.addBindValue(tokenHash);
    return q.exec() && q.numRowsAffected() > 0;
}

int SqliteAccountStore::refreshTokenCount(const QString &user) const
{
    QSqlDatabase database = db();
    QSqlQuery q(database);
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM refresh_tokens WHERE user = ?"));
    q.addBindValue(user);
    if (q.exec() && q.next())
        return q.value(0).toInt();
    return 0;
}

} // namespace softphone::server::appserver
