#pragma once
// The field rules of docs/protocol.md ("Field rules"), usable on their own by
// clients before they send and by the decoder on everything received.

#include "Codes.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QMap>
#include <QString>
#include <optional>

namespace softphone::protocol {

using Headers = QMap<QString, QString>;

// 1-255 bytes of [A-Za-z0-9._~-].
bool isValidUserId(QStringView id);
// 1-64 bytes of the same alphabet.
bool isValidDeviceId(QStringView id);
// A lowercase RFC 4122 UUID, 36 chars (8-4-4-4-12 hex).
bool isValidUuid(QStringView id);
// A client's request id: 1-64 chars.
bool isValidRequestId(QStringView id);
// Message text: 1-8192 bytes of UTF-8 (no lone surrogates).
bool isValidText(QStringView text);

// Headers: object of string -> string, keys 1-64 chars, all keys and values
// together at most 1024 bytes of UTF-8. Over the size limit -> TooLarge, wrong
// shape -> BadRequest. `field` names the field in the error message.
std::optional<ProtocolError> checkHeaders(const QJsonValue &value,
                                          const QString &field = QStringLiteral("headers"));
std::optional<ProtocolError> checkHeaders(const Headers &headers);
qint64 headersBytes(const Headers &headers);

// Push data on the wire: standard base64 of 1-1024 bytes. Over the limit ->
// TooLarge, not base64 or empty -> BadRequest.
std::optional<ProtocolError> checkPushData(const QString &base64,
                                           const QString &field = QStringLiteral("data"));
// The decoded bytes of valid push data, nullopt when invalid.
std::optional<QByteArray> decodePushData(const QString &base64);

QJsonObject headersToJson(const Headers &headers);
Headers headersFromJson(const QJsonObject &object);

} // namespace softphone::protocol
