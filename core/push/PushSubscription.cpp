#include "PushSubscription.h"

#include "crypto/Base64Url.h"
#include "crypto/EcKey.h"

#include <QJsonDocument>

namespace softphone::push {

namespace {
bool fail(QString *error, const QString &text)
{
    if (error)
        *error = text;
    return false;
}
} // namespace

bool PushSubscription::isValid() const
{
    const QString scheme = endpoint.scheme();
    return endpoint.isValid() && (scheme == u"https" || scheme == u"http") && p256dh.size() == 65 &&
           p256dh.at(0) == '\x04' && auth.size() == 16;
}

QJsonObject PushSubscription::toJson() const
{
    return QJsonObject{
        {QStringLiteral("endpoint"), endpoint.toString(QUrl::FullyEncoded)},
        {QStringLiteral("keys"),
         QJsonObject{{QStringLiteral("p256dh"), QString::fromLatin1(toBase64Url(p256dh))},
                     {QStringLiteral("auth"), QString::fromLatin1(toBase64Url(auth))}}},
    };
}

QByteArray PushSubscription::toJsonBytes() const
{
    return QJsonDocument(toJson()).toJson(QJsonDocument::Compact);
}

std::optional<PushSubscription> PushSubscription::fromJson(const QJsonObject &json, QString *error)
{
    PushSubscription sub;
    const QJsonValue endpoint = json.value(u"endpoint");
    if (!endpoint.isString())
        return fail(error, QStringLiteral("'endpoint' must be a string")), std::nullopt;
    sub.endpoint = QUrl(endpoint.toString(), QUrl::StrictMode);
    if (!sub.endpoint.isValid() ||
        (sub.endpoint.scheme() != u"https" && sub.endpoint.scheme() != u"http"))
        return fail(error, QStringLiteral("'endpoint' must be an http(s) URL")), std::nullopt;
    const QJsonObject keys = json.value(u"keys").toObject();
    const auto p256dh = fromBase64Url(keys.value(u"p256dh").toString().toLatin1());
    if (!p256dh || p256dh->size() != 65 || p256dh->at(0) != '\x04')
        return fail(error, QStringLiteral("'keys.p256dh' must be a base64url 65-byte P-256 point")),
               std::nullopt;
    // A point off the curve would only fail later, at the first send; say it now.
    if (!crypto::EcKey::fromPublicRaw(*p256dh))
        return fail(error, QStringLiteral("'keys.p256dh' is not a point on the P-256 curve")),
               std::nullopt;
    const auto auth = fromBase64Url(keys.value(u"auth").toString().toLatin1());
    if (!auth || auth->size() != 16)
        return fail(error, QStringLiteral("'keys.auth' must be base64url of 16 bytes")),
               std::nullopt;
    sub.p256dh = *p256dh;
    sub.auth = *auth;
    return sub;
}

std::optional<PushSubscription> PushSubscription::fromJsonBytes(const QByteArray &json,
                                                                QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (!doc.isObject())
        return fail(error, QStringLiteral("subscription is not a JSON object: %1")
                               .arg(parseError.errorString())),
               std::nullopt;
    return fromJson(doc.object(), error);
}

} // namespace softphone::push
