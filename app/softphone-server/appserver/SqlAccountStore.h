#pragma once
// AccountStore in SQL: accounts.db in the data dir (WAL, fsync on commit), or the
// shared PostgreSQL database (--database). One connection, used on the thread that
// opened the store (the server's event loop: AppServerRole hashes passwords on its
// pool and comes back to it for the store), reopened at its next use when PostgreSQL
// dropped it. So this process's own requests never wait for each other's locks;
// another process's (a `user add`, an operator's sqlite3) are waited for up to
// SqlDatabase::kSqliteBusyTimeoutMs, and writes that read first take the write lock
// at their BEGIN (SqlDatabase::beginWrite).

#include "AccountStore.h"
#include "softphone-server/common/SqlDatabase.h"

#include <QSqlDatabase>
#include <QStringList>

class QThread;

namespace softphone::server::appserver {

class SqlAccountStore : public AccountStore
{
public:
    SqlAccountStore();
    ~SqlAccountStore() override;

    // Opens (creating if needed) the database and brings its tables up to date.
    bool open(const SqlDatabase &where, QString *error);
    // The SQLite file at path.
    bool open(const QString &path, QString *error);

    bool addUser(const QString &user, const QString &passwordHash, QString *error) override;
    bool removeUser(const QString &user, QString *error) override;
    QStringList users() const override;
    std::optional<QString> passwordHash(const QString &user,
                                        QString *error = nullptr) const override;
    bool replacePasswordHash(const QString &user, const QString &oldHash,
                             const QString &newHash) override;
    bool addRefreshToken(const QByteArray &tokenHash, const RefreshTokenRecord &record,
                         QString *error) override;
    std::optional<RotatedRefreshToken>
    rotateRefreshToken(const QByteArray &oldHash, const QByteArray &newHash,
                       const QDateTime &newExpiry, const QDateTime &now,
                       const RefreshRetry &retry = {}, QString *error = nullptr) override;
    bool revokeRefreshToken(const QByteArray &tokenHash) override;
    int refreshTokenCount(const QString &user) const override;
    bool disableUser(const QString &user, QString *error) override;
    bool enableUser(const QString &user, QString *error) override;
    bool tokenRevoked(const QString &user, qint64 issuedAtSecs,
                      QString *error = nullptr) const override;
    QList<Revocation> revocationsSince(qint64 seq) const override;

private:
    // The connection, after a lost PostgreSQL one was reopened (asserts the thread).
    QSqlDatabase &db() const;
    // The copy kept when oldHash was rotated by the same request (retry.requestHash),
    // if still kept and its token still live; nullopt otherwise, with *error when
    // the store failed.
    std::optional<RotatedRefreshToken> keptRetry(QSqlDatabase &database, const QByteArray &oldHash,
                                                 const RefreshRetry &retry, const QDateTime &now,
                                                 QString *error) const;
    // Runs a statement with the user id as its one parameter; with mustChange, a
    // statement that changed no row fails with "no user".
    static bool execWithUser(QSqlDatabase database, const QString &statement, const QString &user,
                             QString *error, bool mustChange = false);
    // One transaction: the statements (the first must change the user's row)
    // and a revocation of every token issued until now.
    bool changeAndRevoke(const QString &user, const QStringList &statements, QString *error);

    mutable StoreConnection m_connection; // reopened by const reads too
    QThread *m_thread = nullptr;          // the one it is used on
};

} // namespace softphone::server::appserver
