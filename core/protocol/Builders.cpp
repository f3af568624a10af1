#include "Builders.h"

#include "MessageType.h"

#include <QJsonArray>

namespace softphone::protocol {

namespace {

QJsonObject base(MessageType type, const QString &id = {}, const char *idField = "id")
{
    QJsonObject o{{QStringLiteral("type"), QString(messageTypeName(type))}};
    if (!id.isEmpty())
        o.insert(QLatin1StringView(idField), id);
    return o;
}

QJsonObject withCallId(MessageType type, const QString &callId, const QString &id = {})
{
    QJsonObject o = base(type, id);
    o.insert(QStringLiteral("callId"), callId);
    return o;
}

QJsonArray pairsToJson(const QList<PushPair> &pairs)
{
    QJsonArray array;
    for (const PushPair &pair : pairs) {
        array.append(QJsonObject{
            {QStringLiteral("device"), pair.device},
            {QStringLiteral("payload"), pair.payload},
            {QStringLiteral("pushData"), QString::fromLatin1(pair.pushData.toBase64())}});
    }
    return array;
}

void insertMedia(QJsonObject &o, const std::optional<MediaDescription> &media)
{
    if (media)
        o.insert(QStringLiteral("media"), media->toJson());
}

QJsonObject candidate(MessageType type, const QString &callId, const QString &ufrag,
                      const QString &line, const QString &id)
{
    QJsonObject o = withCallId(type, callId, id);
    o.insert(QStringLiteral("ufrag"), ufrag);
    if (line.isEmpty())
        o.insert(QStringLiteral("done"), true);
    else
        o.insert(QStringLiteral("candidate"), line);
    return o;
}

QJsonValue errorValue(const std::optional<CallError> &error)
{
    return error ? QJsonValue(error->toJson()) : QJsonValue(QJsonValue::Null);
}

} // namespace

QJsonObject makeHello(const QString &token, const QString &device, const Capabilities &capabilities,
                      const QString &client, const QString &id)
{
    QJsonObject o = base(MessageType::Hello, id);
    o.insert(QStringLiteral("token"), token);
    o.insert(QStringLiteral("device"), device);
    o.insert(QStringLiteral("capabilities"), capabilities.toJson());
    if (!client.isEmpty())
        o.insert(QStringLiteral("client"), client);
    return o;
}

QJsonObject makeWelcome(const QString &user, const QString &device, qint64 serverTimeMs,
                        int pingIntervalSeconds, const QString &payloadKey, const QString &re)
{
    QJsonObject o = base(MessageType::Welcome, re, "re");
    o.insert(QStringLiteral("user"), user);
    o.insert(QStringLiteral("device"), device);
    o.insert(QStringLiteral("serverTime"), serverTimeMs);
    o.insert(QStringLiteral("pingInterval"), pingIntervalSeconds);
    if (!payloadKey.isEmpty())
        o.insert(QStringLiteral("payloadKey"), payloadKey);
    return o;
}

QJsonObject makeToken(const QString &token, const QString &id)
{
    QJsonObject o = base(MessageType::Token, id);
    o.insert(QStringLiteral("token"), token);
    return o;
}

QJsonObject makeTokenExpiring(qint64 expiresAtMs)
{
    QJsonObject o = base(MessageType::TokenExpiring);
    o.insert(QStringLiteral("expiresAt"), expiresAtMs);
    return o;
}

QJsonObject makeOk(const QString &re)
{
    return base(MessageType::Ok, re, "re");
}

QJsonObject makeError(ErrorCode code, const QString &message, const QString &re)
{
    QJsonObject o = base(MessageType::Error, re, "re");
    o.insert(QStringLiteral("code"), errorCodeName(code));
    o.insert(QStringLiteral("message"), message);
    return o;
}

QJsonObject makeError(const ProtocolError &error)
{
    return makeError(error.code, error.message, error.re);
}

QJsonObject makeCall(const QString &callId, const QString &to, const Headers &headers, bool video,
                     const QString &id, const std::optional<MediaDescription> &media)
{
    QJsonObject o = withCallId(MessageType::Call, callId, id);
    o.insert(QStringLiteral("to"), to);
    o.insert(QStringLiteral("headers"), headersToJson(headers));
    o.insert(QStringLiteral("video"), video);
    insertMedia(o, media);
    return o;
}

QJsonObject makeIncoming(const QString &callId, const QString &from, const Headers &headers,
                         bool video, qint64 expiresAtMs,
                         const std::optional<MediaDescription> &media)
{
    QJsonObject o = withCallId(MessageType::Incoming, callId);
    o.insert(QStringLiteral("from"), from);
    o.insert(QStringLiteral("headers"), headersToJson(headers));
    o.insert(QStringLiteral("video"), video);
    o.insert(QStringLiteral("expiresAt"), expiresAtMs);
    insertMedia(o, media);
    return o;
}

QJsonObject makeRinging(const QString &callId, const QString &id)
{
    return withCallId(MessageType::Ringing, callId, id);
}

QJsonObject makeProgress(const QString &callId)
{
    return withCallId(MessageType::Progress, callId);
}

QJsonObject makeAnswer(const QString &callId, const QString &id,
                       const std::optional<MediaDescription> &media)
{
    QJsonObject o = withCallId(MessageType::Answer, callId, id);
    insertMedia(o, media);
    return o;
}

QJsonObject makeEstablished(const QString &callId, const QString &device,
                            const std::optional<MediaDescription> &media)
{
    QJsonObject o = withCallId(MessageType::Established, callId);
    o.insert(QStringLiteral("device"), device);
    insertMedia(o, media);
    return o;
}

QJsonObject makeDecline(const QString &callId, const QString &id)
{
    return withCallId(MessageType::Decline, callId, id);
}

QJsonObject makeHangup(const QString &callId, const QString &id)
{
    return withCallId(MessageType::Hangup, callId, id);
}

QJsonObject makeEnded(const QString &callId, EndCause cause, const std::optional<CallError> &error)
{
    QJsonObject o = withCallId(MessageType::Ended, callId);
    o.insert(QStringLiteral("cause"), endCauseName(cause));
    o.insert(QStringLiteral("error"), errorValue(error));
    return o;
}

QJsonObject makePushRegister(const QByteArray &pushData, const QString &id)
{
    QJsonObject o = base(MessageType::PushRegister, id);
    o.insert(QStringLiteral("data"), QString::fromLatin1(pushData.toBase64()));
    return o;
}

QJsonObject makePushUnregister(const QString &id)
{
    return base(MessageType::PushUnregister, id);
}

QJsonObject makeCallPush(const QString &callId, const QList<PushPair> &pairs)
{
    QJsonObject o = withCallId(MessageType::Push, callId);
    o.insert(QStringLiteral("pairs"), pairsToJson(pairs));
    return o;
}

QJsonObject makeMessagePush(const QString &messageId, const QList<PushPair> &pairs)
{
    QJsonObject o = base(MessageType::Push);
    o.insert(QStringLiteral("messageId"), messageId);
    o.insert(QStringLiteral("pairs"), pairsToJson(pairs));
    return o;
}

QJsonObject makeClaim(const QString &callId, const QString &id)
{
    return withCallId(MessageType::Claim, callId, id);
}

QJsonObject makeMessage(const QString &messageId, const QStringList &to, const QString &text,
                        const Headers &headers, const QString &id)
{
    QJsonObject o = base(MessageType::Message, id);
    o.insert(QStringLiteral("messageId"), messageId);
    o.insert(QStringLiteral("to"), QJsonArray::fromStringList(to));
    o.insert(QStringLiteral("text"), text);
    o.insert(QStringLiteral("headers"), headersToJson(headers));
    return o;
}

QJsonObject makeMessageStatus(const QString &messageId, const QString &to, MessageStatus status,
                              const std::optional<CallError> &error)
{
    QJsonObject o = base(MessageType::MessageStatus);
    o.insert(QStringLiteral("messageId"), messageId);
    o.insert(QStringLiteral("to"), to);
    o.insert(QStringLiteral("status"), messageStatusName(status));
    o.insert(QStringLiteral("error"), errorValue(error));
    return o;
}

QJsonObject makeMessageIncoming(const QString &messageId, const QString &from, const QString &text,
                                const Headers &headers, qint64 sentAtMs)
{
    QJsonObject o = base(MessageType::MessageIncoming);
    o.insert(QStringLiteral("messageId"), messageId);
    o.insert(QStringLiteral("from"), from);
    o.insert(QStringLiteral("text"), text);
    o.insert(QStringLiteral("headers"), headersToJson(headers));
    o.insert(QStringLiteral("sentAt"), sentAtMs);
    return o;
}

QJsonObject makeMessageAck(const QString &messageId, const QString &id)
{
    QJsonObject o = base(MessageType::MessageAck, id);
    o.insert(QStringLiteral("messageId"), messageId);
    return o;
}

QJsonObject makeCandidate(const QString &callId, const QString &ufrag, const QString &line,
                          const QString &id)
{
    return candidate(MessageType::Candidate, callId, ufrag, line, id);
}

QJsonObject makeRemoteCandidate(const QString &callId, const QString &ufrag, const QString &line)
{
    return candidate(MessageType::RemoteCandidate, callId, ufrag, line, {});
}

QJsonObject makeMediaUpdate(const QString &callId, const MediaDescription &media, const QString &id)
{
    QJsonObject o = withCallId(MessageType::MediaUpdate, callId, id);
    insertMedia(o, media);
    return o;
}

QJsonObject makeRemoteMediaUpdate(const QString &callId, const MediaDescription &media)
{
    QJsonObject o = withCallId(MessageType::RemoteMediaUpdate, callId);
    insertMedia(o, media);
    return o;
}

QJsonObject makePresenceSubscribe(const QStringList &users, const QString &id)
{
    QJsonObject o = base(MessageType::PresenceSubscribe, id);
    o.insert(QStringLiteral("users"), QJsonArray::fromStringList(users));
    return o;
}

QJsonObject makePresenceSet(PresenceStatus status, const QString &id)
{
    QJsonObject o = base(MessageType::PresenceSet, id);
    o.insert(QStringLiteral("status"), presenceStatusName(status));
    return o;
}

QJsonObject makePresence(const QString &user, PresenceStatus status)
{
    QJsonObject o = base(MessageType::Presence);
    o.insert(QStringLiteral("user"), user);
    o.insert(QStringLiteral("status"), presenceStatusName(status));
    return o;
}

QJsonObject makeHold(const QString &callId, const QString &id)
{
    return withCallId(MessageType::Hold, callId, id);
}

QJsonObject makeResume(const QString &callId, const QString &id)
{
    return withCallId(MessageType::Resume, callId, id);
}

QJsonObject makeHoldState(const QString &callId, bool byYou, bool byPeer)
{
    QJsonObject o = withCallId(MessageType::HoldState, callId);
    o.insert(QStringLiteral("byYou"), byYou);
    o.insert(QStringLiteral("byPeer"), byPeer);
    return o;
}

QJsonObject makeTransfer(const QString &callId, const QString &to, const QString &id,
                         const QString &replaces)
{
    QJsonObject o = withCallId(MessageType::Transfer, callId, id);
    o.insert(QStringLiteral("to"), to);
    if (!replaces.isEmpty())
        o.insert(QStringLiteral("replaces"), replaces);
    return o;
}

QJsonObject makeTransferRequest(const QString &callId, const QString &to, const QString &by,
                                const QString &replaces)
{
    QJsonObject o = withCallId(MessageType::TransferRequest, callId);
    o.insert(QStringLiteral("to"), to);
    o.insert(QStringLiteral("by"), by);
    if (!replaces.isEmpty())
        o.insert(QStringLiteral("replaces"), replaces);
    return o;
}

namespace {
QJsonObject withTransferOutcome(MessageType type, const QString &callId, bool ok,
                                const QString &cause, const QString &id)
{
    QJsonObject o = withCallId(type, callId, id);
    o.insert(QStringLiteral("ok"), ok);
    if (!cause.isEmpty())
        o.insert(QStringLiteral("cause"), cause);
    return o;
}
} // namespace

QJsonObject makeTransferReport(const QString &callId, bool ok, const QString &cause,
                               const QString &id)
{
    return withTransferOutcome(MessageType::TransferReport, callId, ok, cause, id);
}

QJsonObject makeTransferResult(const QString &callId, bool ok, const QString &cause)
{
    return withTransferOutcome(MessageType::TransferResult, callId, ok, cause, {});
}

} // namespace softphone::protocol
