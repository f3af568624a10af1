#pragma once
// base64url without padding (RFC 7515 §2), the encoding of JWT, VAPID and Web Push keys.

#include <QByteArray>
#include <optional>

namespace softphone {

inline QByteArray toBase64Url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

// Strict: rejects characters outside the base64url alphabet (and '=' padding is accepted).
inline std::optional<QByteArray> fromBase64Url(const QByteArray &text)
{
    auto result = QByteArray::fromBase64Encoding(text, QByteArray::Base64UrlEncoding |
                                                           QByteArray::AbortOnBase64DecodingErrors);
    if (!result)
        return std::nullopt;
    return *result;
}

} // namespace softphone
