#include "Message.h"

#include "Limits.h"
#include "MediaDescription.h"
#include "PresenceStatus.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <cmath>

namespace softphone::protocol {

namespace {

constexpr int kMaxShortTextChars = 4096;
constexpr int kMaxCodeChars = 64;
constexpr double kMaxTimestamp = 9007199254740992.0; // 2^53: exact in a JSON double

ProtocolError bad(const QString &field, const QString &rule)
{
    return {ErrorCode::BadRequest, QStringLiteral("field '%1' must be %2").arg(field, rule), {}};
}

bool isCode(const QString &code)
{
    if (code.isEmpty() || code.size() > kMaxCodeChars)
        return false;
    for (QChar c : code) {
        if (!((c >= QLatin1Char('a') && c <= QLatin1Char('z')) || c == QLatin1Char('_') ||
              (c >= QLatin1Char('0') && c <= QLatin1Char('9'))))
            return false;
    }
    return true;
}

std::optional<ProtocolError> checkErrorDetail(const QString &field, const QJsonValue &value)
{
    if (value.isNull())
        return std::nullopt;
    if (!value.isObject())
        return bad(field, QStringLiteral("null or an object {domain, code, message}"));
    const QJsonObject o = value.toObject();
    const QString domain = o.value(QLatin1StringView("domain")).toString();
    if (domain != QLatin1StringView("network") && domain != QLatin1StringView("capability") &&
        domain != QLatin1StringView("other"))
        return bad(field + QStringLiteral(".domain"),
                   QStringLiteral("\"network\", \"capability\" or \"other\""));
    if (!isCode(o.value(QLatin1StringView("code")).toString()))
        return bad(field + QStringLiteral(".code"), QStringLiteral("a code of [a-z0-9_]"));
    const QJsonValue message = o.value(QLatin1StringView("message"));
    if (!message.isUndefined() && !message.isString())
        return bad(field + QStringLiteral(".message"), QStringLiteral("a string"));
    return std::nullopt;
}

std::optional<ProtocolError> checkPairs(const QString &field, const QJsonValue &value)
{
    if (!value.isArray() || value.toArray().isEmpty() || value.toArray().size() > kMaxPushPairs)
        return bad(field, QStringLiteral("an array of 1-%1 push pairs").arg(kMaxPushPairs));
    const QJsonArray pairs = value.toArray();
    for (qsizetype i = 0; i < pairs.size(); ++i) {
        const QString at = QStringLiteral("%1[%2]").arg(field).arg(i);
        if (!pairs[i].isObject())
            return bad(at, QStringLiteral("an object"));
        const QJsonObject pair = pairs[i].toObject();
        if (!isValidDeviceId(pair.value(QLatin1StringView("device")).toString()))
            return bad(at + QStringLiteral(".device"), QStringLiteral("a device id"));
        const QJsonValue payload = pair.value(QLatin1StringView("payload"));
        if (!payload.isString() || payload.toString().isEmpty() ||
            payload.toString().size() > kMaxShortTextChars)
            return bad(at + QStringLiteral(".payload"), QStringLiteral("a non-empty string"));
        const QJsonValue data = pair.value(QLatin1StringView("pushData"));
        if (!data.isString())
            return bad(at + QStringLiteral(".pushData"), QStringLiteral("base64 push data"));
        if (auto e = checkPushData(data.toString(), at + QStringLiteral(".pushData")))
            return e;
    }
    return std::nullopt;
}

// An array of minCount-maxCount distinct user ids ("to" of message, "users" of
// presence_subscribe).
std::optional<ProtocolError> checkUserList(const QString &field, const QJsonValue &value,
                                           int minCount, int maxCount)
{
    const QString rule =
        QStringLiteral("an array of %1-%2 distinct user ids").arg(minCount).arg(maxCount);
    if (!value.isArray())
        return bad(field, rule);
    const QJsonArray to = value.toArray();
    if (to.size() < minCount || to.size() > maxCount)
        return bad(field, rule);
    QSet<QString> seen;
    for (const QJsonValue &v : to) {
        const QString user = v.toString();
        if (!v.isString() || !isValidUserId(user) || seen.contains(user))
            return bad(field, rule);
        seen.insert(user);
    }
    return std::nullopt;
}

std::optional<ProtocolError> checkField(const FieldSpec &spec, const QJsonValue &value)
{
    const QString field = spec.name;
    switch (spec.kind) {
    case FieldKind::RequestId:
        if (!value.isString() || !isValidRequestId(value.toString()))
            return bad(field,
                       QStringLiteral("a string of 1-%1 characters").arg(kMaxRequestIdChars));
        break;
    case FieldKind::UserId:
        if (!value.isString() || !isValidUserId(value.toString()))
            return bad(field, QStringLiteral("a user id"));
        break;
    case FieldKind::DeviceId:
        if (!value.isString() || !isValidDeviceId(value.toString()))
            return bad(field, QStringLiteral("a device id"));
        break;
    case FieldKind::Uuid:
        if (!value.isString() || !isValidUuid(value.toString()))
            return bad(field, QStringLiteral("a lowercase UUID"));
        break;
    case FieldKind::Token:
        if (!value.isString() || value.toString().isEmpty() ||
            value.toString().size() > kMaxTokenChars)
            return bad(field, QStringLiteral("a token of 1-%1 characters").arg(kMaxTokenChars));
        break;
    case FieldKind::ShortText:
        if (!value.isString() || value.toString().size() > kMaxShortTextChars)
            return bad(field,
                       QStringLiteral("a string of at most %1 characters").arg(kMaxShortTextChars));
        break;
    case FieldKind::Code:
        if (!value.isString() || !isCode(value.toString()))
            return bad(field, QStringLiteral("a code of [a-z0-9_]"));
        break;
    case FieldKind::Text:
        if (!value.isString() || !isValidText(value.toString()))
            return bad(field, QStringLiteral("text of 1-%1 bytes").arg(kMaxTextBytes));
        break;
    case FieldKind::Headers:
        if (auto e = checkHeaders(value, field))
            return e;
        break;
    case FieldKind::PushData:
        if (!value.isString())
            return bad(field, QStringLiteral("base64 of 1-%1 bytes").arg(kMaxPushDataBytes));
        if (auto e = checkPushData(value.toString(), field))
            return e;
        break;
    case FieldKind::Bool:
        if (!value.isBool())
            return bad(field, QStringLiteral("a boolean"));
        break;
    case FieldKind::Timestamp: {
        const double d = value.toDouble(-1);
        if (!value.isDouble() || d < 0 || d > kMaxTimestamp || std::floor(d) != d)
            return bad(field, QStringLiteral("a non-negative integer"));
        break;
    }
    case FieldKind::Capabilities: {
        if (!value.isObject())
            return bad(field, QStringLiteral("an object of booleans"));
        const QJsonObject o = value.toObject();
        for (const char *key : {"calling", "messaging", "push"}) {
            const QJsonValue v = o.value(QLatin1StringView(key));
            if (!v.isUndefined() && !v.isBool())
                return bad(field + QLatin1Char('.') + QLatin1StringView(key),
                           QStringLiteral("a boolean"));
        }
        break;
    }
    case FieldKind::EndCause:
        if (!value.isString() || !endCauseFromName(value.toString()))
            return bad(field, QStringLiteral("an end cause"));
        break;
    case FieldKind::Status:
        if (!value.isString() || !messageStatusFromName(value.toString()))
            return bad(field, QStringLiteral("\"sent\", \"delivered\" or \"failed\""));
        break;
    case FieldKind::ErrorDetail:
        return checkErrorDetail(field, value);
    case FieldKind::PushPairs:
        return checkPairs(field, value);
    case FieldKind::Recipients:
        return checkUserList(field, value, 1, kMaxRecipients);
    case FieldKind::PresenceUsers:
        return checkUserList(field, value, 0, kMaxPresenceUsers);
    case FieldKind::PresenceStatus:
        if (!value.isString() || !presenceStatusFromName(value.toString()))
            return bad(field, QStringLiteral("\"online\", \"offline\" or \"dnd\""));
        break;
    case FieldKind::Media: {
        QString why;
        if (!MediaDescription::fromJson(value, &why))
            return bad(field, why);
        break;
    }
    case FieldKind::IceUfrag:
        if (!value.isString() || !isValidIceUfrag(value.toString()))
            return bad(field, QStringLiteral("4-%1 ICE characters").arg(kMaxIceUfragChars));
        break;
    case FieldKind::Candidate:
        if (!value.isString() || !isValidCandidateLine(value.toString()))
            return bad(field, QStringLiteral("an ICE candidate line of at most %1 characters")
                                  .arg(kMaxCandidateChars));
        break;
    }
    return std::nullopt;
}

std::optional<ProtocolError> checkMessage(const MessageSpec &spec, const QJsonObject &object)
{
    const auto implicitId = QLatin1StringView(spec.sender == Sender::Client ? "id" : "re");
    bool idListed = false;
    for (const FieldSpec &field : spec.fields) {
        idListed = idListed || field.name == implicitId;
        const QJsonValue value = object.value(field.name);
        if (value.isUndefined()) {
            if (field.required)
                return ProtocolError{ErrorCode::BadRequest,
                                     QStringLiteral("field '%1' is missing").arg(field.name),
                                     {}};
            continue;
        }
        if (auto e = checkField(field, value))
            return e;
    }
    if (!idListed && object.contains(implicitId)) {
        if (auto e =
                checkField({implicitId, FieldKind::RequestId, false}, object.value(implicitId)))
            return e;
    }
    if (spec.type == MessageType::Push && object.contains(QLatin1StringView("callId")) ==
                                              object.contains(QLatin1StringView("messageId")))
        return ProtocolError{
            ErrorCode::BadRequest,
            QStringLiteral("field 'callId' or 'messageId' (exactly one) is required"),
            {}};
    // The caller is the DTLS server (actpass), the answerer the client (active).
    const bool offer = spec.type == MessageType::Call || spec.type == MessageType::Incoming;
    const bool answer = spec.type == MessageType::Answer || spec.type == MessageType::Established;
    const QString setup = object.value(QLatin1StringView("media"))
                              .toObject()
                              .value(QLatin1StringView("dtls"))
                              .toObject()
                              .value(QLatin1StringView("setup"))
                              .toString();
    if ((offer && !setup.isEmpty() && setup != QLatin1StringView("actpass")) ||
        (answer && !setup.isEmpty() && setup != QLatin1StringView("active")))
        return ProtocolError{
            ErrorCode::BadRequest,
            QStringLiteral("field 'media' must have dtls.setup \"%1\" in %2")
                .arg(offer ? QStringLiteral("actpass") : QStringLiteral("active"),
                     offer ? QStringLiteral("an offer") : QStringLiteral("an answer")),
            {}};
    if (spec.type == MessageType::PresenceSet &&
        object.value(QLatin1StringView("status")).toString() == QLatin1StringView("offline"))
        return ProtocolError{ErrorCode::BadRequest,
                             QStringLiteral("field 'status' must be \"online\" or \"dnd\""),
                             {}};
    const bool candidate =
        spec.type == MessageType::Candidate || spec.type == MessageType::RemoteCandidate;
    if (candidate && object.contains(QLatin1StringView("candidate")) ==
                         object.value(QLatin1StringView("done")).toBool())
        return ProtocolError{
            ErrorCode::BadRequest,
            QStringLiteral("field 'candidate' or 'done': true (exactly one) is required"),
            {}};
    return std::nullopt;
}

std::variant<Message, ProtocolError> decode(const QByteArray &utf8, std::optional<Sender> from)
{
    if (utf8.size() > kMaxControlMessageBytes)
        return ProtocolError{ErrorCode::TooLarge,
                             QStringLiteral("message over %1 bytes").arg(kMaxControlMessageBytes),
                             {}};
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(utf8, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return ProtocolError{
            ErrorCode::BadJson, QStringLiteral("message is not a JSON object"), {}};
    const QJsonObject object = doc.object();

    // Read the request id first so every later error can answer it.
    QString re;
    const QJsonValue id = object.value(QLatin1StringView("id"));
    if (id.isString() && isValidRequestId(id.toString()))
        re = id.toString();

    const QJsonValue type = object.value(QLatin1StringView("type"));
    if (!type.isString())
        return ProtocolError{ErrorCode::BadRequest, QStringLiteral("field 'type' must be a string"),
                             re};
    const MessageSpec *spec = findMessageSpec(type.toString());
    if (!spec || (from && spec->sender != *from))
        return ProtocolError{
            ErrorCode::UnknownType,
            QStringLiteral("unknown message type '%1'").arg(type.toString().left(64)), re};
    if (auto e = checkMessage(*spec, object)) {
        e->re = re;
        return *e;
    }
    return Message{spec->type, object};
}

} // namespace

std::variant<Message, ProtocolError> decodeFrame(const QByteArray &utf8)
{
    return decode(utf8, std::nullopt);
}

std::variant<Message, ProtocolError> decodeFrame(const QByteArray &utf8, Sender from)
{
    return decode(utf8, from);
}

QString toText(const QJsonObject &message)
{
    return QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact));
}

QJsonObject Capabilities::toJson() const
{
    return {{QStringLiteral("calling"), calling},
            {QStringLiteral("messaging"), messaging},
            {QStringLiteral("push"), push}};
}

Capabilities Capabilities::fromJson(const QJsonObject &object)
{
    return {object.value(QLatin1StringView("calling")).toBool(),
            object.value(QLatin1StringView("messaging")).toBool(),
            object.value(QLatin1StringView("push")).toBool()};
}

QString Message::requestId() const
{
    const bool fromClient = messageSpec(type).sender == Sender::Client;
    return json.value(QLatin1StringView(fromClient ? "id" : "re")).toString();
}

QString Message::string(QLatin1StringView field) const
{
    return json.value(field).toString();
}
bool Message::boolean(QLatin1StringView field) const
{
    return json.value(field).toBool();
}
qint64 Message::integer(QLatin1StringView field) const
{
    return static_cast<qint64>(json.value(field).toDouble());
}

Headers Message::headers() const
{
    return headersFromJson(json.value(QLatin1StringView("headers")).toObject());
}

Capabilities Message::capabilities() const
{
    return Capabilities::fromJson(json.value(QLatin1StringView("capabilities")).toObject());
}

std::optional<EndCause> Message::cause() const
{
    return endCauseFromName(string(QLatin1StringView("cause")));
}

std::optional<CallError> Message::error() const
{
    const QJsonValue value = json.value(QLatin1StringView("error"));
    if (!value.isObject())
        return std::nullopt;
    return CallError::fromJson(value.toObject());
}

std::optional<ErrorCode> Message::errorCode() const
{
    return errorCodeFromName(string(QLatin1StringView("code")));
}

QList<PushPair> Message::pairs() const
{
    QList<PushPair> result;
    for (const QJsonValue &v : json.value(QLatin1StringView("pairs")).toArray()) {
        const QJsonObject o = v.toObject();
        result.append({o.value(QLatin1StringView("device")).toString(),
                       o.value(QLatin1StringView("payload")).toString(),
                       decodePushData(o.value(QLatin1StringView("pushData")).toString())
                           .value_or(QByteArray())});
    }
    return result;
}

QStringList Message::recipients() const
{
    return userList(QLatin1StringView("to"));
}

QStringList Message::userList(QLatin1StringView field) const
{
    QStringList result;
    for (const QJsonValue &v : json.value(field).toArray())
        result.append(v.toString());
    return result;
}

std::optional<PresenceStatus> Message::presenceStatus() const
{
    return presenceStatusFromName(string(QLatin1StringView("status")));
}

std::optional<MediaDescription> Message::media() const
{
    if (!has(QLatin1StringView("media")))
        return std::nullopt;
    return MediaDescription::fromJson(json.value(QLatin1StringView("media")));
}

QByteArray Message::pushData() const
{
    return decodePushData(string(QLatin1StringView("data"))).value_or(QByteArray());
}

} // namespace softphone::protocol
