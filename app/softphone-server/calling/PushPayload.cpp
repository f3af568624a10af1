#include "PushPayload.h"

#include "crypto/Base64Url.h"
#include "crypto/SymmetricCrypto.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace softphone::server::calling {

QString PushPayload::sign(const crypto::EcKey &key) const
{
    // Built here rather than with crypto::signJwt because that one pins typ
    // "JWT"; the distinct typ keeps a payload from ever passing as an access token.
    const QJsonObject header{{"alg", "ES256"}, {"typ", kType}};
    QJsonObject claims{{"t", kind}, {"id", id},        {"from", from},
                       {"to", to},  {"iat", issuedAt}, {"exp", expiresAt}};
    if (!device.isEmpty()) {
        claims.insert(QStringLiteral("dev"), device);
        claims.insert(QStringLiteral("pdh"), pushDataHash(pushData));
    }
    if (kind == QLatin1String("call")) {
        claims.insert(QStringLiteral("v"), video);
        if (!headers.isEmpty())
            claims.insert(QStringLiteral("h"), protocol::headersToJson(headers));
    }
    const QByteArray input = toBase64Url(QJsonDocument(header).toJson(QJsonDocument::Compact)) +
                             '.' +
                             toBase64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    const QByteArray signature = key.signEs256(input);
    if (signature.isEmpty())
        return {};
    return QString::fromLatin1(input + '.' + toBase64Url(signature));
}

QString PushPayload::pushDataHash(const QByteArray &pushData)
{
    return QString::fromLatin1(toBase64Url(crypto::sha256(pushData)));
}

} // namespace softphone::server::calling
