#pragma once
// The access token the application server signs and the calling service checks
// (docs/protocol.md): ES256 JWT, iss "softphone-appserver", aud
// "softphone-calling", sub = user, iat, exp (1 h), jti, header kid.

#include "crypto/EcKey.h"
#include "crypto/Jwt.h"

#include <QDateTime>
#include <QString>

namespace softphone::server {

struct AccessToken
{
    static constexpr int kLifetimeSeconds = 3600;
    static inline const QString kIssuer = QStringLiteral("softphone-appserver");
    static inline const QString kAudience = QStringLiteral("softphone-calling");

    QString user;
    QString device;     // "dev" claim: the device the token was issued to (informational)
    QString id;         // jti
    QDateTime issuedAt; // iat: a revocation refuses the tokens issued before it
    QDateTime expiresAt;

    // Signs a new token for user/device with the application server's token key,
    // valid for lifetimeSeconds (`--set appserver.access_token_lifetime`).
    static QString issue(const QString &user, const QString &device, const crypto::EcKey &key,
                         const QDateTime &now = QDateTime::currentDateTimeUtc(),
                         int lifetimeSeconds = kLifetimeSeconds);
    // Verifies signature, algorithm, issuer, audience and expiry; *error is a
    // sentence for logs/clients when it fails.
    static std::optional<AccessToken>
    verify(const QString &token, const crypto::EcKey &publicKey, QString *error,
           const QDateTime &now = QDateTime::currentDateTimeUtc());
    // The key id in the header: base64url of the first 12 bytes of SHA-256(public point).
    static QString keyId(const crypto::EcKey &key);
};

} // namespace softphone::server
