#pragma once
// The one table of message types: each type's wire name, who sends it and the
// rule of every field. The decoder and the tests walk this table; adding a
// message means adding one row here and one builder.

#include <QLatin1StringView>
#include <QStringView>
#include <vector>

namespace softphone::protocol {

enum class MessageType {
    Hello,
    Welcome,
    Token,
    TokenExpiring,
    Ok,
    Error,
    Call,
    Incoming,
    Ringing,
    Progress,
    Answer,
    Established,
    Decline,
    Hangup,
    Ended,
    PushRegister,
    PushUnregister,
    Push,
    Claim,
    Message,
    MessageStatus,
    MessageIncoming,
    MessageAck,
    // UDP media (docs/protocol.md "UDP media")
    Candidate,
    RemoteCandidate,
    MediaUpdate,
    RemoteMediaUpdate,
    // Presence (docs/protocol.md "Presence")
    PresenceSubscribe,
    PresenceSet,
    Presence,
    // Hold (docs/protocol.md "Hold and resume")
    Hold,
    Resume,
    HoldState,
    // Blind transfer (docs/protocol.md "Blind transfer")
    Transfer,
    TransferRequest,
    // Attended transfer's report (docs/protocol.md "Attended transfer")
    TransferReport,
    TransferResult,
};

enum class Sender { Client, Server };

enum class FieldKind {
    RequestId,      // string, 1-64 chars ("id" from clients, "re" in replies)
    UserId,         // see isValidUserId
    DeviceId,       // see isValidDeviceId
    Uuid,           // call id, message id
    Token,          // JWT, 1-8192 chars (verified by the service, not here)
    ShortText,      // string, 0-1024 chars (error messages, client name, keys)
    Code,           // string of [a-z_], 1-64 chars (error codes; open set for newer servers)
    Text,           // message text, 1-8192 bytes
    Headers,        // see checkHeaders
    PushData,       // see checkPushData
    Bool,           // true/false
    Timestamp,      // integer >= 0 (ms since epoch or seconds, per field)
    Capabilities,   // object; calling/messaging/push must be booleans when present
    EndCause,       // one of the causes
    Status,         // sent | delivered | failed
    ErrorDetail,    // null or {domain, code, message}
    PushPairs,      // array of 1-64 {device, payload, pushData}
    Recipients,     // array of 1-100 distinct user ids
    Media,          // see MediaDescription::fromJson
    IceUfrag,       // see isValidIceUfrag
    Candidate,      // see isValidCandidateLine
    PresenceUsers,  // array of 0-kMaxPresenceUsers distinct user ids
    PresenceStatus, // online | offline | dnd
};

struct FieldSpec
{
    QLatin1StringView name;
    FieldKind kind;
    bool required;
};

struct MessageSpec
{
    MessageType type;
    QLatin1StringView name;
    Sender sender;
    std::vector<FieldSpec> fields; // besides "type"; "id"/"re" are implicit unless listed
};

const std::vector<MessageSpec> &messageSpecs();
const MessageSpec &messageSpec(MessageType type);
const MessageSpec *findMessageSpec(QStringView name);
QLatin1StringView messageTypeName(MessageType type);

} // namespace softphone::protocol
