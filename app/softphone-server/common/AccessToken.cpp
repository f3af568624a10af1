#include "AccessToken.h"

#include "crypto/Base64Url.h"
#include "crypto/Random.h"

#include <QCryptographicHash>
#include <QJsonObject>
#include <QTimeZone>

namespace softphone::server {

QString AccessToken::keyId(const crypto::EcKey &key)
{
    return QString::fromLatin1(toBase64Url(
        QCryptographicHash::hash(key.publicRaw(), QCryptographicHash::Sha256).left(12)));
}

QString AccessToken::issue(const QString &user, const QString &device, const crypto::EcKey &key,
                           const QDateTime &now, int lifetimeSeconds)
{
    const qint64 iat = now.toSecsSinceEpoch();
    const QJsonObject claims{
        {"iss", kIssuer},
        {"aud", kAudience},
        {"sub", user},
        {"dev", device},
        {"iat", iat},
        {"exp", iat + lifetimeSeconds},
        {"jti", crypto::randomUuid()},
    };
    return crypto::signJwt(claims, key, QJsonObject{{"kid", keyId(key)}});
}

std::optional<AccessToken> AccessToken::verify(const QString &token, const crypto::EcKey &publicKey,
                                               QString *error, const QDateTime &now)
{
    crypto::JwtVerifyOptions options;
    options.audience = kAudience;
    options.issuer = kIssuer;
    options.now = now;
    const crypto::JwtResult result = crypto::verifyJwt(token, publicKey, options);
    if (!result.ok()) {
        *error = crypto::jwtErrorText(result.error);
        return std::nullopt;
    }
    AccessToken t;
    t.user = result.claims.value("sub").toString();
    t.device = result.claims.value("dev").toString();
    t.id = result.claims.value("jti").toString();
    t.issuedAt =
        QDateTime::fromSecsSinceEpoch(qint64(result.claims.value("iat").toDouble()), Qt::UTC);
    t.expiresAt =
        QDateTime::fromSecsSinceEpoch(qint64(result.claims.value("exp").toDouble()), Qt::UTC);
    if (t.user.isEmpty()) {
        *error = QStringLiteral("the token has no subject");
        return std::nullopt;
    }
    return t;
}

} // namespace softphone::server
