#pragma once
// A validated control message and the decoder that produces it. Nothing reads
// a frame's JSON except through decodeFrame, so every field used downstream has
// already passed the rules of docs/protocol.md.

#include "Codes.h"
#include "FieldValidators.h"
#include "MediaDescription.h"
#include "MessageType.h"
#include "PresenceStatus.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <variant>

namespace softphone::protocol {

struct PushPair
{
    QString device;
    QString payload;
    QByteArray pushData; // the registered bytes, not base64
    bool operator==(const PushPair &) const = default;
};

struct Capabilities
{
    bool calling = false;
    bool messaging = false;
    bool push = false;
    QJsonObject toJson() const;
    static Capabilities fromJson(const QJsonObject &object);
    bool operator==(const Capabilities &) const = default;
};

struct Message
{
    MessageType type = MessageType::Error;
    QJsonObject json; // the whole validated object, "type" included

    // "id" of a client request or "re" of a server reply; empty when absent.
    QString requestId() const;
    QString string(QLatin1StringView field) const;
    bool boolean(QLatin1StringView field) const;
    qint64 integer(QLatin1StringView field) const;
    bool has(QLatin1StringView field) const { return json.contains(field); }

    // Typed views of the composite fields (empty/default when absent).
    Headers headers() const;
    Capabilities capabilities() const;
    std::optional<EndCause> cause() const;
    std::optional<CallError> error() const;     // "error" of ended / message.status
    std::optional<ErrorCode> errorCode() const; // "code" of error (nullopt: unknown to us)
    QList<PushPair> pairs() const;
    QStringList recipients() const;
    QStringList userList(QLatin1StringView field) const;  // "users" of presence_subscribe
    std::optional<PresenceStatus> presenceStatus() const; // "status" of presence_set / presence
    QByteArray pushData() const;                          // decoded "data" of push.register
    std::optional<MediaDescription> media() const;        // "media" of call, answer, ...
};

// Decodes one text frame (UTF-8). `from` restricts the accepted types to those
// that party sends (the service decodes with Sender::Client, a client with
// Sender::Server); a type of the other party is unknown_type. Unknown extra
// fields are ignored so newer peers stay compatible within version 1.
std::variant<Message, ProtocolError> decodeFrame(const QByteArray &utf8);
std::variant<Message, ProtocolError> decodeFrame(const QByteArray &utf8, Sender from);

// Compact JSON for sendTextMessage.
QString toText(const QJsonObject &message);

} // namespace softphone::protocol
