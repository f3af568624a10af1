#include "NotificationResult.h"

#include "crypto/EcKey.h"
#include "crypto/Jwt.h"

#include <QJsonArray>
#include <QJsonObject>

namespace softphone::client {

namespace {
// A payload rides in a 4 KB push; anything longer is not ours and is not parsed.
constexpr qsizetype kMaxPayloadChars = 4096;
} // namespace

NotificationResult NotificationResult::invalid(const QString &error)
{
    NotificationResult result;
    result.m_error = error;
    return result;
}

NotificationResult NotificationResult::fromPayload(const QString &payload,
                                                   const crypto::EcKey &payloadKey,
                                                   const QString &expectedUser,
                                                   const QDateTime &now)
{
    if (payload.isEmpty())
        return invalid(QStringLiteral("empty payload"));
    if (payload.size() > kMaxPayloadChars)
        return invalid(QStringLiteral("payload longer than %1 characters").arg(kMaxPayloadChars));
    if (payloadKey.isNull())
        return invalid(QStringLiteral("the service's payload key is not known yet"));

    crypto::JwtVerifyOptions options;
    options.now = now;
    options.requireSubject = false;
    // The deadline is checked below so an expired call is still a genuine missed call.
    options.leewaySeconds = 0;
    crypto::JwtResult jwt = crypto::verifyJwt(payload, payloadKey, options);
    bool expired = false;
    if (jwt.error == crypto::JwtError::Expired) {
        // verifyJwt checks the signature before exp, so Expired means it is authentic.
        expired = true;
    } else if (!jwt.ok()) {
        return invalid(QStringLiteral("payload rejected: %1").arg(crypto::jwtErrorText(jwt.error)));
    }
    // The header's typ ("sp-push") is not relied on: the payload key signs nothing
    // else, and the claims below must all be present and well-formed.
    const QJsonObject &claims = jwt.claims;
    const QString kind = claims.value(QLatin1StringView("t")).toString();
    NotificationResult result;
    if (kind == QLatin1StringView("call"))
        result.m_type = Type::Call;
    else if (kind == QLatin1StringView("message"))
        result.m_type = Type::Message;
    else if (kind == QLatin1StringView("cancel"))
        result.m_type = Type::Cancel;
    else
        return invalid(QStringLiteral("unknown payload kind '%1'").arg(kind));

    result.m_id = claims.value(QLatin1StringView("id")).toString();
    result.m_from = claims.value(QLatin1StringView("from")).toString();
    result.m_to = claims.value(QLatin1StringView("to")).toString();
    if (!protocol::isValidUuid(result.m_id))
        return invalid(QStringLiteral("payload id is not a UUID"));
    if (!protocol::isValidUserId(result.m_from) || !protocol::isValidUserId(result.m_to))
        return invalid(QStringLiteral("payload from/to are not user ids"));
    if (!expectedUser.isEmpty() && result.m_to != expectedUser)
        return invalid(
            QStringLiteral("payload is for user '%1', not '%2'").arg(result.m_to, expectedUser));
    const QJsonValue headers = claims.value(QLatin1StringView("h"));
    if (!headers.isUndefined() && !headers.isNull()) {
        if (protocol::checkHeaders(headers))
            return invalid(QStringLiteral("payload headers are malformed"));
        result.m_headers = protocol::headersFromJson(headers.toObject());
    }
    result.m_video = claims.value(QLatin1StringView("v")).toBool();
    result.m_expiresAt = QDateTime::fromSecsSinceEpoch(
        qint64(claims.value(QLatin1StringView("exp")).toDouble()), Qt::UTC);
    result.m_canceled = result.m_type == Type::Cancel;
    // A message past its 30 days is simply gone; only a call has a deadline a user sees.
    result.m_timedOut = expired && result.m_type == Type::Call;
    if (expired && result.m_type == Type::Message)
        return invalid(QStringLiteral("message payload expired"));
    return result;
}

QString NotificationResult::typeName(Type type)
{
    switch (type) {
    case Type::None:
        return QStringLiteral("none");
    case Type::Call:
        return QStringLiteral("call");
    case Type::Message:
        return QStringLiteral("message");
    case Type::Cancel:
        return QStringLiteral("cancel");
    }
    return {};
}

QJsonObject NotificationResult::toJson() const
{
    QJsonObject json{{"valid", isValid()}, {"type", typeName(m_type)}};
    if (!isValid()) {
        json.insert(QLatin1StringView("error"), m_error);
        return json;
    }
    json.insert(QLatin1StringView(isMessage() ? "messageId" : "callId"), m_id);
    json.insert(QLatin1StringView("remote"), m_from);
    json.insert(QLatin1StringView("headers"), protocol::headersToJson(m_headers));
    json.insert(QLatin1StringView("video"), m_video);
    json.insert(QLatin1StringView("timedOut"), m_timedOut);
    json.insert(QLatin1StringView("canceled"), m_canceled);
    json.insert(QLatin1StringView("expiresAt"), m_expiresAt.toString(Qt::ISODate));
    return json;
}

} // namespace softphone::client
