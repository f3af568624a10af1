#pragma once
// One builder per message of docs/protocol.md. Each returns the JSON object
// (send it with toText()); optional request ids ("id") and reply ids ("re")
// are left out when empty. Builders do not validate: run the validators of
// FieldValidators.h on user input first.

#include "Codes.h"
#include "FieldValidators.h"
#include "Message.h"

#include <QJsonObject>
#include <QStringList>
#include <optional>

namespace softphone::protocol {

// Authentication
QJsonObject makeHello(const QString &token, const QString &device, const Capabilities &capabilities,
                      const QString &client = {}, const QString &id = {});
QJsonObject makeWelcome(const QString &user, const QString &device, qint64 serverTimeMs,
                        int pingIntervalSeconds, const QString &payloadKey = {},
                        const QString &re = {});
QJsonObject makeToken(const QString &token, const QString &id = {});
QJsonObject makeTokenExpiring(qint64 expiresAtMs);
QJsonObject makeOk(const QString &re);
QJsonObject makeError(ErrorCode code, const QString &message, const QString &re = {});
QJsonObject makeError(const ProtocolError &error);

// Calls
// `media` (UDP media, docs/protocol.md "UDP media") is left out when absent.
QJsonObject makeCall(const QString &callId, const QString &to, const Headers &headers = {},
                     bool video = false, const QString &id = {},
                     const std::optional<MediaDescription> &media = std::nullopt);
QJsonObject makeIncoming(const QString &callId, const QString &from, const Headers &headers,
                         bool video, qint64 expiresAtMs,
                         const std::optional<MediaDescription> &media = std::nullopt);
QJsonObject makeRinging(const QString &callId, const QString &id = {});
QJsonObject makeProgress(const QString &callId);
QJsonObject makeAnswer(const QString &callId, const QString &id = {},
                       const std::optional<MediaDescription> &media = std::nullopt);
QJsonObject makeEstablished(const QString &callId, const QString &device,
                            const std::optional<MediaDescription> &media = std::nullopt);
QJsonObject makeDecline(const QString &callId, const QString &id = {});
QJsonObject makeHangup(const QString &callId, const QString &id = {});
QJsonObject makeEnded(const QString &callId, EndCause cause,
                      const std::optional<CallError> &error = std::nullopt);

// Push
QJsonObject makePushRegister(const QByteArray &pushData, const QString &id = {});
QJsonObject makePushUnregister(const QString &id = {});
// Exactly one of callId / messageId is set by these two.
QJsonObject makeCallPush(const QString &callId, const QList<PushPair> &pairs);
QJsonObject makeMessagePush(const QString &messageId, const QList<PushPair> &pairs);
QJsonObject makeClaim(const QString &callId, const QString &id = {});

// Messages
QJsonObject makeMessage(const QString &messageId, const QStringList &to, const QString &text,
                        const Headers &headers = {}, const QString &id = {});
QJsonObject makeMessageStatus(const QString &messageId, const QString &to, MessageStatus status,
                              const std::optional<CallError> &error = std::nullopt);
QJsonObject makeMessageIncoming(const QString &messageId, const QString &from, const QString &text,
                                const Headers &headers, qint64 sentAtMs);
QJsonObject makeMessageAck(const QString &messageId, const QString &id = {});

// UDP media: a trickled ICE candidate of generation `ufrag`, or (empty line)
// the end of that generation's candidates; the service forwards a client's
// `candidate` as `remote_candidate`, its `media_update` (ICE restart) as
// `remote_media_update`.
QJsonObject makeCandidate(const QString &callId, const QString &ufrag, const QString &line,
                          const QString &id = {});
QJsonObject makeRemoteCandidate(const QString &callId, const QString &ufrag, const QString &line);
QJsonObject makeMediaUpdate(const QString &callId, const MediaDescription &media,
                            const QString &id = {});
QJsonObject makeRemoteMediaUpdate(const QString &callId, const MediaDescription &media);

// Presence: the users a connection watches (replacing its earlier list), this
// device's own status (online or dnd), and the service's event about one user.
QJsonObject makePresenceSubscribe(const QStringList &users, const QString &id = {});
QJsonObject makePresenceSet(PresenceStatus status, const QString &id = {});
QJsonObject makePresence(const QString &user, PresenceStatus status);

// Hold and resume (docs/protocol.md "Hold and resume"): a party's request, and
// the call's hold as one party sees it (its own hold, the other party's).
QJsonObject makeHold(const QString &callId, const QString &id = {});
QJsonObject makeResume(const QString &callId, const QString &id = {});
QJsonObject makeHoldState(const QString &callId, bool byYou, bool byPeer);

// Blind transfer (docs/protocol.md "Blind transfer"): a party's request that
// the other party call `to`, and that request as the other party gets it.
// With `replaces` (attended transfer, "Attended transfer"): the new call
// replaces the sender's own call `replaces` with `to`.
QJsonObject makeTransfer(const QString &callId, const QString &to, const QString &id = {},
                         const QString &replaces = {});
QJsonObject makeTransferRequest(const QString &callId, const QString &to, const QString &by,
                                const QString &replaces = {});
// The transferee's report of how the new call went (`cause`: an end cause or
// error code when it failed), and that report as the transferor gets it.
QJsonObject makeTransferReport(const QString &callId, bool ok, const QString &cause = {},
                               const QString &id = {});
QJsonObject makeTransferResult(const QString &callId, bool ok, const QString &cause = {});

} // namespace softphone::protocol
