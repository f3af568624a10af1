#include "FieldValidators.h"

#include "Limits.h"

namespace softphone::protocol {

namespace {

bool isUrlSafe(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '.' ||
           u == '_' || u == '~' || u == '-';
}

// The alphabet is ASCII, so chars == bytes.
bool isUrlSafeId(QStringView id, int maxBytes)
{
    if (id.isEmpty() || id.size() > maxBytes)
        return false;
    for (QChar c : id) {
        if (!isUrlSafe(c))
            return false;
    }
    return true;
}

bool isLowerHex(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'f');
}

ProtocolError error(ErrorCode code, const QString &message)
{
    return {code, message, {}};
}

} // namespace

bool isValidUserId(QStringView id)
{
    return isUrlSafeId(id, kMaxUserIdBytes);
}
bool isValidDeviceId(QStringView id)
{
    return isUrlSafeId(id, kMaxDeviceIdBytes);
}

bool isValidUuid(QStringView id)
{
    if (id.size() != 36)
        return false;
    for (qsizetype i = 0; i < id.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? id[i] != QLatin1Char('-') : !isLowerHex(id[i]))
            return false;
    }
    return true;
}

bool isValidRequestId(QStringView id)
{
    return !id.isEmpty() && id.size() <= kMaxRequestIdChars && id.isValidUtf16();
}

bool isValidText(QStringView text)
{
    if (text.isEmpty() || !text.isValidUtf16())
        return false;
    return text.toUtf8().size() <= kMaxTextBytes;
}

qint64 headersBytes(const Headers &headers)
{
    qint64 total = 0;
    for (auto it = headers.cbegin(); it != headers.cend(); ++it)
        total += it.key().toUtf8().size() + it.value().toUtf8().size();
    return total;
}

std::optional<ProtocolError> checkHeaders(const QJsonValue &value, const QString &field)
{
    if (!value.isObject())
        return error(ErrorCode::BadRequest,
                     QStringLiteral("field '%1' must be an object of strings").arg(field));
    const QJsonObject object = value.toObject();
    qint64 total = 0;
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = it.key();
        if (key.isEmpty() || key.size() > kMaxHeaderKeyChars || !key.isValidUtf16())
            return error(ErrorCode::BadRequest,
                         QStringLiteral("field '%1' has a key that is not 1-%2 characters")
                             .arg(field)
                             .arg(kMaxHeaderKeyChars));
        if (!it.value().isString() || !it.value().toString().isValidUtf16())
            return error(ErrorCode::BadRequest,
                         QStringLiteral("field '%1' value of '%2' must be a string")
                             .arg(field, key.left(kMaxHeaderKeyChars)));
        total += key.toUtf8().size() + it.value().toString().toUtf8().size();
    }
    if (total > kMaxHeadersBytes)
        return error(ErrorCode::TooLarge, QStringLiteral("field '%1' is %2 bytes, over %3")
                                              .arg(field)
                                              .arg(total)
                                              .arg(kMaxHeadersBytes));
    return std::nullopt;
}

std::optional<ProtocolError> checkHeaders(const Headers &headers)
{
    return checkHeaders(headersToJson(headers));
}

std::optional<QByteArray> decodePushData(const QString &base64)
{
    if (base64.isEmpty())
        return std::nullopt;
    auto decoded =
        QByteArray::fromBase64Encoding(base64.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    // toLatin1 maps non-Latin-1 to '?', which the strict decoder rejects.
    if (!decoded || decoded.decoded.isEmpty())
        return std::nullopt;
    return decoded.decoded;
}

std::optional<ProtocolError> checkPushData(const QString &base64, const QString &field)
{
    // Cheap bound before decoding: 1024 bytes are at most 1368 base64 chars.
    if (base64.size() > (kMaxPushDataBytes + 2) / 3 * 4)
        return error(
            ErrorCode::TooLarge,
            QStringLiteral("field '%1' is over %2 bytes").arg(field).arg(kMaxPushDataBytes));
    const auto decoded = decodePushData(base64);
    if (!decoded)
        return error(ErrorCode::BadRequest,
                     QStringLiteral("field '%1' must be base64 of 1-%2 bytes")
                         .arg(field)
                         .arg(kMaxPushDataBytes));
    if (decoded->size() > kMaxPushDataBytes)
        return error(
            ErrorCode::TooLarge,
            QStringLiteral("field '%1' is over %2 bytes").arg(field).arg(kMaxPushDataBytes));
    return std::nullopt;
}

QJsonObject headersToJson(const Headers &headers)
{
    QJsonObject object;
    for (auto it = headers.cbegin(); it != headers.cend(); ++it)
        object.insert(it.key(), it.value());
    return object;
}

Headers headersFromJson(const QJsonObject &object)
{
    Headers headers;
    for (auto it = object.begin(); it != object.end(); ++it)
        headers.insert(it.key(), it.value().toString());
    return headers;
}

} // namespace softphone::protocol
