#include "SqliteAccountStore.h"

#include "Logging.h"
#include "Random.h"
#include "Sqlite.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTimeZone>
#include <QVariant>

namespace softphone::server::appserver {

SqliteAccountStore::SqliteAccountStore()
    : m_connection(QStringLiteral("accounts-") + crypto::randomToken(6))
{
}

SqliteAccountStore::~SqliteAccountStore()
{
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connection);
}

bool SqliteAccountStore::open(const QString &path, QString *error)
{
    m_db = openSqlite(path, m_connection, error);
    if (!m_db.isOpen())
        return false;
    return execAll(m_db,
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
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO users(name, password_hash, created_at) VALUES (?, ?, ?)"));
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
    QSqlQuery q(m_db);
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
    QStringList names;
    QSqlQuery q(m_db);
    if (q.exec(QStringLiteral("SELECT name FROM users ORDER BY name")))
        while (q.next())
            names << q.value(0).toString();
    return names;
}

std::optional<QString> SqliteAccountStore::passwordHash(const QString &user) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT password_hash FROM users WHERE name = ?"));
    q.addBindValue(user);
    if (q.exec() && q.next())
        return q.value(0).toString();
    return std::nullopt;
}

bool SqliteAccountStore::addRefreshToken(const QByteArray &tokenHash,
                                         const RefreshTokenRecord &record, QString *error)
{
    QSqlQuery q(m_db);
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

std::optional<RefreshTokenRecord> SqliteAccountStore::rotateRefreshToken(
    const QByteArray &oldHash, const QByteArray &newHash, const QDateTime &newExpiry,
    const QDateTime &now)
{
    // One transaction: the old token is gone exactly when the new one exists, so
    // two racing refreshes with the same token cannot both succeed.
    if (!m_db.transaction())
        return std::nullopt;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT user, device, expires_at FROM refresh_tokens"
                             " WHERE token_hash = ?"));
    q.addBindValue(oldHash);
    if (!q.exec() || !q.next()) {
        m_db.rollback();
        return std::nullopt;
    }
    RefreshTokenRecord record{q.value(0).toString(), q.value(1).toString(),
                              QDateTime::fromSecsSinceEpoch(q.value(2).toLongLong(), Qt::UTC)};
    q.finish();
    QSqlQuery del(m_db);
    del.prepare(QStringLiteral("DELETE FROM refresh_tokens WHERE token_hash = ?"));
    del.addBindValue(oldHash);
    if (!del.exec() || record.expiresAt <= now) {
        // An expired token is dropped but does not rotate.
        m_db.commit();
        return std::nullopt;
    }
    QString error;
    if (!addRefreshToken(newHash, RefreshTokenRecord{record.user, record.device, newExpiry},
                         &error)) {
        qCWarning(lcServerApp) << "refresh token rotation failed:" << error;
        m_db.rollback();
        return std::nullopt;
    }
    if (!m_db.commit()) {
        qCWarning(lcServerApp) << "refresh token rotation commit failed:"
                               << m_db.lastError().text();
        m_db.rollback();
        return std::nullopt;
    }
    return record;
}

bool SqliteAccountStore::revokeRefreshToken(const QByteArray &tokenHash)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("DELETE FROM refresh_tokens WHERE token_hash = ?"));
    q.addBindValue(tokenHash);
    return q.exec() && q.numRowsAffected() > 0;
}

int SqliteAccountStore::refreshTokenCount(const QString &user) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM refresh_tokens WHERE user = ?"));
    q.addBindValue(user);
    if (q.exec() && q.next())
        return q.value(0).toInt();
    return 0;
}

} // namespace softphone::server::appserver
