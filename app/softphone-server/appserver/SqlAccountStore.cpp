#include "SqlAccountStore.h"

#include "crypto/Random.h"
#include "softphone-server/common/ServerLogging.h"
#include "softphone-server/common/SqlDatabase.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QTimeZone>
#include <QVariant>

namespace softphone::server::appserver {

SqlAccountStore::SqlAccountStore()
    : m_connection(QStringLiteral("accounts"))
{}

SqlAccountStore::~SqlAccountStore() = default;

QSqlDatabase &SqlAccountStore::db() const
{
    // Qt SQL connections belong to their thread; a second thread would need a second
    // connection, whose SQLite writes would wait for this one's (and fail after the
    // busy timeout) instead of taking turns on one event loop.
    Q_ASSERT_X(!m_thread || QThread::currentThread() == m_thread, "SqlAccountStore",
               "used from another thread than the one that opened it");
    m_connection.usable(); // a lost PostgreSQL connection is reopened here
    return m_connection.db();
}

namespace {
// Version 1 is the schema of the files made before schema_version existed.
const QList<SchemaMigration> kMigrations{
    {1,
     {{"CREATE TABLE IF NOT EXISTS users ("
       " name TEXT PRIMARY KEY NOT NULL, password_hash TEXT NOT NULL,"
       " created_at INTEGER NOT NULL, disabled INTEGER NOT NULL DEFAULT 0)",
       "CREATE TABLE IF NOT EXISTS users ("
       " name TEXT PRIMARY KEY NOT NULL, password_hash TEXT NOT NULL,"
       " created_at BIGINT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0)"},
      {"CREATE TABLE IF NOT EXISTS refresh_tokens ("
       " token_hash BLOB PRIMARY KEY NOT NULL,"
       " \"user\" TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,"
       " device TEXT NOT NULL, expires_at INTEGER NOT NULL)",
       "CREATE TABLE IF NOT EXISTS refresh_tokens ("
       " token_hash BYTEA PRIMARY KEY NOT NULL,"
       " \"user\" TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,"
       " device TEXT NOT NULL, expires_at BIGINT NOT NULL)"},
      "CREATE INDEX IF NOT EXISTS refresh_tokens_user ON refresh_tokens(\"user\")",
      {"CREATE TABLE IF NOT EXISTS revocations ("
       " seq INTEGER PRIMARY KEY AUTOINCREMENT, \"user\" TEXT NOT NULL, at INTEGER NOT NULL)",
       "CREATE TABLE IF NOT EXISTS revocations ("
       " seq BIGSERIAL PRIMARY KEY, \"user\" TEXT NOT NULL, at BIGINT NOT NULL)"},
      "CREATE INDEX IF NOT EXISTS revocations_user ON revocations(\"user\", at)"}},
    // Version 2: the copies of rotated tokens kept for a retry of the same refresh
    // (AccountStore::RefreshRetry); a copy goes with its new token's row.
    {2,
     {{"CREATE TABLE IF NOT EXISTS refresh_retries ("
       " old_hash BLOB PRIMARY KEY NOT NULL, request_hash BLOB NOT NULL,"
       " new_hash BLOB NOT NULL REFERENCES refresh_tokens(token_hash) ON DELETE CASCADE,"
       " sealed BLOB NOT NULL, kept_until INTEGER NOT NULL)",
       "CREATE TABLE IF NOT EXISTS refresh_retries ("
       " old_hash BYTEA PRIMARY KEY NOT NULL, request_hash BYTEA NOT NULL,"
       " new_hash BYTEA NOT NULL REFERENCES refresh_tokens(token_hash) ON DELETE CASCADE,"
       " sealed BYTEA NOT NULL, kept_until BIGINT NOT NULL)"},
      "CREATE INDEX IF NOT EXISTS refresh_retries_new ON refresh_retries(new_hash)",
      "CREATE INDEX IF NOT EXISTS refresh_retries_kept ON refresh_retries(kept_until)"}},
};

// SQLite files made before `user disable` get the column (they predate schema_version).
bool addLegacyDisabledColumn(QSqlDatabase &database, QString *error)
{
    QSqlQuery columns(database);
    bool hasUsers = false;
    bool hasDisabled = false;
    if (columns.exec(QStringLiteral("PRAGMA table_info(users)")))
        while (columns.next()) {
            hasUsers = true;
            hasDisabled = hasDisabled || columns.value(1).toString() == u"disabled";
        }
    return !hasUsers || hasDisabled ||
           execAll(
               database,
               {QStringLiteral("ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0")},
               error);
}
} // namespace

bool SqlAccountStore::open(const QString &path, QString *error)
{
    return open(SqlDatabase::sqliteFile(path), error);
}

bool SqlAccountStore::open(const SqlDatabase &where, QString *error)
{
    m_thread = QThread::currentThread();
    // Its errors name the database: "cannot connect to postgresql://...", "cannot
    // update the accounts tables: ...".
    if (!m_connection.open(where, QStringLiteral("accounts"), kMigrations, error))
        return false;
    return where.isPostgres() || addLegacyDisabledColumn(m_connection.db(), error);
}

bool SqlAccountStore::addUser(const QString &user, const QString &passwordHash, QString *error)
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

bool SqlAccountStore::removeUser(const QString &user, QString *error)
{
    // Refresh tokens go with the row (ON DELETE CASCADE).
    return changeAndRevoke(user, {QStringLiteral("DELETE FROM users WHERE name = ?")}, error);
}

QStringList SqlAccountStore::users() const
{
    QSqlDatabase database = db();
    QStringList names;
    QSqlQuery q(database);
    if (q.exec(QStringLiteral("SELECT name FROM users ORDER BY name")))
        while (q.next())
            names << q.value(0).toString();
    return names;
}

std::optional<QString> SqlAccountStore::passwordHash(const QString &user, QString *error) const
{
    QSqlDatabase database = db();
    QSqlQuery q(database);
    // A disabled user has no usable password: logins fail like for an unknown user.
    q.prepare(QStringLiteral("SELECT password_hash FROM users WHERE name = ? AND disabled = 0"));
    q.addBindValue(user);
    if (!q.exec()) {
        if (error)
            *error = QStringLiteral("the account database %1 cannot be read: %2")
                         .arg(m_connection.where().displayName(), q.lastError().text().trimmed());
        return std::nullopt;
    }
    if (q.next())
        return q.value(0).toString();
    return std::nullopt;
}

bool SqlAccountStore::replacePasswordHash(const QString &user, const QString &oldHash,
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

bool SqlAccountStore::addRefreshToken(const QByteArray &tokenHash, const RefreshTokenRecord &record,
                                      QString *error)
{
    QSqlDatabase database = db();
    // A sign-in's token must outlive a restart (a rotation checked at its BEGIN).
    if (!SqlDatabase::fileStillThere(database, error))
        return false;
    QSqlQuery q(database);
    q.prepare(QStringLiteral("INSERT INTO refresh_tokens(token_hash, \"user\", device, expires_at) "
                             "VALUES (?, ?, ?, ?)"));
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

std::optional<RotatedRefreshToken>
SqlAccountStore::keptRetry(QSqlDatabase &database, const QByteArray &oldHash,
                           const RefreshRetry &retry, const QDateTime &now, QString *error) const
{
    if (retry.requestHash.isEmpty())
        return std::nullopt;
    // Only while the copy is kept and its token is still live (the copy goes
    // with the new token's row: its rotation, sign-out, revocation).
    QSqlQuery q(database);
    q.prepare(QStringLiteral("SELECT r.request_hash, r.sealed, r.kept_until, t.\"user\", t.device,"
                             " t.expires_at FROM refresh_retries r JOIN refresh_tokens t"
                             " ON t.token_hash = r.new_hash WHERE r.old_hash = ?"));
    q.addBindValue(oldHash);
    if (!q.exec()) {
        *error = q.lastError().text();
        return std::nullopt;
    }
    if (!q.next() || q.value(0).toByteArray() != retry.requestHash ||
        q.value(2).toLongLong() <= now.toMSecsSinceEpoch() ||
        q.value(5).toLongLong() <= now.toSecsSinceEpoch())
        return std::nullopt;
    return RotatedRefreshToken{
        RefreshTokenRecord{q.value(3).toString(), q.value(4).toString(),
                           QDateTime::fromSecsSinceEpoch(q.value(5).toLongLong(), Qt::UTC)},
        q.value(1).toByteArray()};
}

std::optional<RotatedRefreshToken>
SqlAccountStore::rotateRefreshToken(const QByteArray &oldHash, const QByteArray &newHash,
                                    const QDateTime &newExpiry, const QDateTime &now,
                                    const RefreshRetry &retry, QString *error)
{
    QSqlDatabase database = db();
    auto storeFailed = [&](const QString &why) {
        if (error)
            *error = QStringLiteral("the account database %1 failed: %2")
                         .arg(m_connection.where().displayName(), why.trimmed());
        database.rollback();
        return std::nullopt;
    };
    // The old token is gone: a retry of the refresh that rotated it may get its copy.
    auto spent = [&](bool inTransaction) -> std::optional<RotatedRefreshToken> {
        QString why;
        const auto kept = keptRetry(database, oldHash, retry, now, &why);
        if (!why.isEmpty())
            return storeFailed(why);
        if (inTransaction)
            database.rollback();
        return kept;
    };
    // One transaction: the old token is gone exactly when the new one exists, so
    // two racing refreshes with the same token cannot both succeed. It writes, so it
    // takes SQLite's write lock at its start: begun deferred, its read would make
    // the DELETE fail at once whenever another connection held the lock.
    QString beginError;
    if (!SqlDatabase::beginWrite(database, &beginError))
        return storeFailed(beginError);
    QSqlQuery q(database);
    q.prepare(QStringLiteral("SELECT \"user\", device, expires_at FROM refresh_tokens"
                             " WHERE token_hash = ?"));
    q.addBindValue(oldHash);
    if (!q.exec())
        return storeFailed(q.lastError().text());
    if (!q.next()) {
        q.finish();
        return spent(true);
    }
    RefreshTokenRecord record{q.value(0).toString(), q.value(1).toString(),
                              QDateTime::fromSecsSinceEpoch(q.value(2).toLongLong(), Qt::UTC)};
    q.finish();
    QSqlQuery del(database);
    del.prepare(QStringLiteral("DELETE FROM refresh_tokens WHERE token_hash = ?"));
    del.addBindValue(oldHash);
    if (!del.exec())
        return storeFailed(del.lastError().text());
    // A racing refresh on another connection (another node) deleted it first: once
    // it committed (the DELETE waited for it), its copy may be this request's.
    if (del.numRowsAffected() != 1) {
        del.finish();
        database.rollback();
        return spent(false);
    }
    if (record.expiresAt <= now) {
        // An expired token is dropped but does not rotate.
        database.commit();
        return std::nullopt;
    }
    QString why;
    if (!addRefreshToken(newHash, RefreshTokenRecord{record.user, record.device, newExpiry}, &why))
        return storeFailed(why);
    if (!retry.requestHash.isEmpty()) {
        // Copies past their time go first (each refresh that keeps one sweeps them).
        QSqlQuery sweep(database);
        sweep.prepare(QStringLiteral("DELETE FROM refresh_retries WHERE kept_until <= ?"));
        sweep.addBindValue(now.toMSecsSinceEpoch());
        QSqlQuery keep(database);
        keep.prepare(QStringLiteral("INSERT INTO refresh_retries(old_hash, request_hash, new_hash,"
                                    " sealed, kept_until) VALUES (?, ?, ?, ?, ?)"));
        keep.addBindValue(oldHash);
        keep.addBindValue(retry.requestHash);
        keep.addBindValue(newHash);
        keep.addBindValue(retry.sealedToken);
        keep.addBindValue(retry.keptUntil.toMSecsSinceEpoch());
        if (!sweep.exec())
            return storeFailed(sweep.lastError().text());
        if (!keep.exec())
            return storeFailed(keep.lastError().text());
    }
    if (!database.commit())
        return storeFailed(database.lastError().text());
    return RotatedRefreshToken{record, {}};
}

bool SqlAccountStore::revokeRefreshToken(const QByteArray &tokenHash)
{
    QSqlDatabase database = db();
    QSqlQuery q(database);
    q.prepare(QStringLiteral("DELETE FROM refresh_tokens WHERE token_hash = ?"));
    q.addBindValue(tokenHash);
    return q.exec() && q.numRowsAffected() > 0;
}

int SqlAccountStore::refreshTokenCount(const QString &user) const
{
    QSqlDatabase database = db();
    QSqlQuery q(database);
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM refresh_tokens WHERE \"user\" = ?"));
    q.addBindValue(user);
    if (q.exec() && q.next())
        return q.value(0).toInt();
    return 0;
}

bool SqlAccountStore::execWithUser(QSqlDatabase database, const QString &statement,
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

bool SqlAccountStore::changeAndRevoke(const QString &user, const QStringList &statements,
                                      QString *error)
{
    QSqlDatabase database = db();
    if (!SqlDatabase::beginWrite(database, error))
        return false;
    QSqlQuery revoke(database);
    revoke.prepare(QStringLiteral("INSERT INTO revocations(\"user\", at) VALUES (?, ?)"));
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

bool SqlAccountStore::disableUser(const QString &user, QString *error)
{
    return changeAndRevoke(user,
                           {QStringLiteral("UPDATE users SET disabled = 1 WHERE name = ?"),
                            QStringLiteral("DELETE FROM refresh_tokens WHERE \"user\" = ?")},
                           error);
}

bool SqlAccountStore::enableUser(const QString &user, QString *error)
{
    return execWithUser(db(), QStringLiteral("UPDATE users SET disabled = 0 WHERE name = ?"), user,
                        error, true);
}

bool SqlAccountStore::tokenRevoked(const QString &user, qint64 issuedAtSecs, QString *error) const
{
    QSqlDatabase database = db();
    QSqlQuery q(database);
    q.prepare(QStringLiteral("SELECT 1 FROM revocations WHERE \"user\" = ? AND at >= ? LIMIT 1"));
    q.addBindValue(user);
    q.addBindValue(issuedAtSecs);
    if (!q.exec()) {
        // Fail closed: a store that cannot answer does not let a token through.
        qCWarning(lcServerApp) << "cannot read revocations:" << q.lastError().text();
        if (error)
            *error = QStringLiteral("the account database %1 cannot be read: %2")
                         .arg(m_connection.where().displayName(), q.lastError().text().trimmed());
        return true;
    }
    return q.next();
}

QList<AccountStore::Revocation> SqlAccountStore::revocationsSince(qint64 seq) const
{
    QList<Revocation> result;
    QSqlDatabase database = db();
    QSqlQuery q(database);
    q.prepare(QStringLiteral("SELECT seq, \"user\" FROM revocations WHERE seq > ? ORDER BY seq"));
    q.addBindValue(seq);
    if (q.exec())
        while (q.next())
            result.append({q.value(0).toLongLong(), q.value(1).toString()});
    return result;
}

} // namespace softphone::server::appserver
