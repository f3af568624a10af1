#pragma once
// Where the application server keeps users and refresh tokens. One interface for
// both engines (SqlAccountStore: SQLite file or shared PostgreSQL database).
// Refresh tokens are handed in already hashed: the store never sees a usable token.

#include "crypto/PasswordHash.h"
#include "softphone-server/common/ServerOptions.h"

#include <QDateTime>
#include <QString>
#include <QStringList>
#include <optional>

namespace softphone::server::appserver {

struct RefreshTokenRecord
{
    QString user;
    QString device;
    QDateTime expiresAt;
};

class AccountStore
{
public:
    virtual ~AccountStore();

    // false (with *error) if the user exists or the store fails.
    virtual bool addUser(const QString &user, const QString &passwordHash, QString *error) = 0;
    // Removes the user and every refresh token of theirs; false if there was no such user.
    virtual bool removeUser(const QString &user, QString *error) = 0;
    virtual QStringList users() const = 0;
    // The stored scrypt hash, or nullopt for an unknown user; nullopt with *error
    // when the store cannot answer (the caller then says "try again", not "unknown").
    virtual std::optional<QString> passwordHash(const QString &user,
                                                QString *error = nullptr) const = 0;
    // Replaces the user's hash only if it is still `oldHash` (a rehash at a new cost
    // must not undo a change made meanwhile); true if it was replaced.
    virtual bool replacePasswordHash(const QString &user, const QString &oldHash,
                                     const QString &newHash) = 0;

    virtual bool addRefreshToken(const QByteArray &tokenHash, const RefreshTokenRecord &record,
                                 QString *error) = 0;
    // Atomically replaces a live (unexpired, unrevoked) token by a new one with a new
    // expiry, returning the old token's record; nullopt if the old one is not live,
    // nullopt with *error when the store failed (nothing changed then).
    virtual std::optional<RefreshTokenRecord> rotateRefreshToken(const QByteArray &oldHash,
                                                                 const QByteArray &newHash,
                                                                 const QDateTime &newExpiry,
                                                                 const QDateTime &now,
                                                                 QString *error = nullptr) = 0;
    // true if a token was revoked.
    virtual bool revokeRefreshToken(const QByteArray &tokenHash) = 0;
    virtual int refreshTokenCount(const QString &user) const = 0;

    // Revocation (docs/security.md "Calling service"): disabling or removing a
    // user records a revocation, which refuses every access token issued up to
    // that second; running services poll revocationsSince() to end live sessions.
    // Disabling also drops the user's refresh tokens and stops their logins.
    virtual bool disableUser(const QString &user, QString *error) = 0;
    virtual bool enableUser(const QString &user, QString *error) = 0;
    // true also when the store cannot answer (fail closed), with *error then set.
    virtual bool tokenRevoked(const QString &user, qint64 issuedAtSecs,
                              QString *error = nullptr) const = 0;
    struct Revocation
    {
        qint64 seq = 0; // increasing; 0 = none yet
        QString user;
    };
    virtual QList<Revocation> revocationsSince(qint64 seq) const = 0;
};

// The scrypt cost of new hashes: kPasswordCost (N=2^17), or N=2^k from
// `--set appserver.scrypt_log2n=k` (10-18). Below 17 is weaker than the minimum
// and meant for test suites only (their servers sign in hundreds of times);
// *weak tells the caller to say so.
crypto::ScryptCost passwordCost(const ServerOptions &options, bool *weak = nullptr);
// Passwords `user add` accepts: at least this many characters...
inline constexpr int kMinPasswordLength = 8;
// ...and not the user name. Empty if the password is acceptable, else why not.
QString weakPasswordReason(const QString &user, const QString &password);
// SHA-256 of the token text: what the store keeps instead of the token.
QByteArray hashRefreshToken(const QString &token);

} // namespace softphone::server::appserver
