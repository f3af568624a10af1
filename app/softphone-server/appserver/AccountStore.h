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

// A retry of a refresh whose answer was lost (docs/security.md "Refresh retries"):
// the rotation keeps, beside the new token's row, a copy of the new token sealed
// with a key only the old token and the client's request id give
// (sealRefreshRetry()), for `keptUntil`; the same old token with the same request
// id then gets that copy back instead of a refusal.
struct RefreshRetry
{
    QByteArray requestHash; // hashRefreshRequestId(); empty: the client sent no id
    QByteArray sealedToken; // what the rotation keeps (empty for a lookup only)
    QDateTime keptUntil;
};

// What a refresh gets from the store: the token's user and device, and, when the
// old token had already been rotated by the same request, the copy kept then.
struct RotatedRefreshToken
{
    RefreshTokenRecord record;
    QByteArray retriedSealedToken; // non-empty: a retry; open it with openRefreshRetry()
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
    // With retry.requestHash: the rotation also keeps retry.sealedToken until
    // retry.keptUntil (deleted earlier with the new token: its rotation, sign-out,
    // revocation); and an old token already rotated with the same request hash, whose
    // copy is still kept and whose new token is still live, gives that copy back
    // (retriedSealedToken) instead of nullopt. Any other use of a used token: nullopt.
    virtual std::optional<RotatedRefreshToken>
    rotateRefreshToken(const QByteArray &oldHash, const QByteArray &newHash,
                       const QDateTime &newExpiry, const QDateTime &now,
                       const RefreshRetry &retry = {}, QString *error = nullptr) = 0;
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
// What a refresh's request id looks like: 16-64 characters of A-Z a-z 0-9 _ -
// (the clients send 22: 16 random bytes in base64url).
bool isValidRefreshRequestId(const QString &requestId);
// SHA-256 of the request id: what the store keeps of it.
QByteArray hashRefreshRequestId(const QString &requestId);
// The new token sealed (AES-256-GCM, random nonce) with a key derived (HKDF-SHA256)
// from the old token and the request id, neither of which the store holds.
QByteArray sealRefreshRetry(const QString &oldToken, const QString &requestId,
                            const QString &newToken);
// The token back; nullopt if the copy was not sealed with these two.
std::optional<QString> openRefreshRetry(const QString &oldToken, const QString &requestId,
                                        const QByteArray &sealed);

} // namespace softphone::server::appserver
