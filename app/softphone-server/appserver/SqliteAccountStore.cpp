#include "SqliteAccountStore.h"

#include "crypto/Random.h"
#include "softphone-server/common/ServerLogging.h"
#include "softphone-server/common/Sqlite.h"

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
    if (!execAll(database,
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
                                 " ON refresh_tokens(user)"),
                  QStringLiteral("CREATE TABLE IF NOT EXISTS revocations ("
                                 " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                                 " user TEXT NOT NULL, at INTEGER NOT NULL)"),
                  QStringLiteral("CREATE INDEX IF NOT EXISTS revocations_user"
                                 " ON revocations(user, at)")},
                 error))
        return false;
    // Databases made before `user disable` get the column.
    QSqlQuery columns(database);
    bool hasDisabled = false;
    if (columns.exec(QStringLiteral("PRAGMA table_info(users)")))
        while (columns.next())
            hasDisabled = hasDisabled || columns.value(1).toString() == u"disabled";
    return hasDisabled ||
           execAll(
               database,
               {QStringLiteral("ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0")},
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
    // Refresh tokens go with the row (ON DELETE CASCADE).
    return changeAndRevoke(user, {QStringLiteral("DELETE FROM users WHERE name = ?")}, error);
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
    // A disabled user has no usable password: logins fail like for an unknown user.
    q.prepare(QStringLiteral("SELECT password_hash FROM users WHERE name = ? AND disabled = 0"));
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

bool SqliteAccountStore::execWithUser(QSqlDatabase database, const QString &statement,
                                      const QString &user, QString *error, bool mustChange)
{
    QSqlQuery q(database);
    q.prepare(statement);
    q.addBindValue(user);
    if (!q.exec()) {
        *error = q.lastError().text();
        return false;
    }
    if (mustChange && q.numRowsAffected() == 0) {
        *error = QStringLiteral("no user '%1'").arg(user);
        return false;
    }
    return true;
}

bool SqliteAccountStore::changeAndRevoke(const QString &user, const QStringList &statements,
                                         QString *error)
{
    QSqlDatabase database = db();
    if (!database.transaction()) {
        *error = database.lastError().text();
        return false;
    }
    QSqlQuery revoke(database);
    revoke.prepare(QStringLiteral("INSERT INTO revocations(user, at) VALUES (?, ?)"));
    revoke.addBindValue(user);
    revoke.addBindValue(QDateTime::currentSecsSinceEpoch());
    bool done = true;
    for (qsizetype i = 0; done && i < statements.size(); ++i)
        done = execWithUser(database, statements[i], user, error, i == 0);
    if (done && !revoke.exec())
        *error = revoke.lastError().text();
    if (!done || revoke.lastError().isValid() || !database.commit()) {
        database.rollback();
        return false;
    }
    return true;
}

bool SqliteAccountStore::disableUser(const QString &user, QString *error)
{
    return changeAndRevoke(user,
                           {QStringLiteral("UPDATE users SET disabled = 1 WHERE name = ?"),
                            QStringLiteral("DELETE FROM refresh_tokens WHERE user = ?")},
                           error);
}

bool SqliteAccountStore::enableUser(const QString &user, QString *error)
{
    return execWithUser(db(), QStringLiteral("UPDATE users SET disabled = 0 WHERE name = ?"), user,
                        error, true);
}

bool SqliteAccountStore::tokenRevoked(const QString &user, qint64 issuedAtSecs) const
{
    QSqlDatabase database = db();
    QSqlQuery q(database);
    q.prepare(QStringLiteral("SELECT 1 FROM revocations WHERE user = ? AND at >= ? LIMIT 1"));
    q.addBindValue(user);
    q.addBindValue(issuedAtSecs);
    if (!q.exec()) {
        // Fail closed: a store that cannot answer does not let a token through.
        qCWarning(lcServerApp) << "cannot read revocations:" << q.lastError().text();
        return true;
    }
    return q.next();
}

QList<AccountStore::Revocation> SqliteAccountStore::revocationsSince(qint64 seq) const
{
    QList<Revocation> result;
    QSqlDatabase database = db();
    QSqlQuery q(database);
    q.prepare(QStringLiteral("SELECT seq, user FROM revocations WHERE seq > ? ORDER BY seq"));
    q.addBindValue(seq);
    if (q.exec())
        while (q.next())
            result.append({q.value(0).toLongLong(), q.value(1).toString()});
    return result;
}

} // namespace softphone::server::appserver
