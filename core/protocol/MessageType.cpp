#include "MessageType.h"

namespace softphone::protocol {

namespace {

using K = FieldKind;
constexpr bool Req = true;
constexpr bool Opt = false;

constexpr QLatin1StringView f(const char *name)
{
    return QLatin1StringView(name);
}

std::vector<MessageSpec> buildTable()
{
    return {
        // Authentication
        {MessageType::Hello,
         f("hello"),
         Sender::Client,
         {{f("token"), K::Token, Req},
          {f("device"), K::DeviceId, Req},
          {f("capabilities"), K::Capabilities, Req},
          {f("client"), K::ShortText, Opt}}},
        {MessageType::Welcome,
         f("welcome"),
         Sender::Server,
         {{f("user"), K::UserId, Req},
          {f("device"), K::DeviceId, Req},
          {f("serverTime"), K::Timestamp, Req},
          {f("pingInterval"), K::Timestamp, Req},
          {f("payloadKey"), K::ShortText, Opt}}},
        {MessageType::Token, f("token"), Sender::Client, {{f("token"), K::Token, Req}}},
        {MessageType::TokenExpiring,
         f("token_expiring"),
         Sender::Server,
         {{f("expiresAt"), K::Timestamp, Opt}}},
        {MessageType::Ok, f("ok"), Sender::Server, {{f("re"), K::RequestId, Opt}}},
        {MessageType::Error,
         f("error"),
         Sender::Server,
         {{f("code"), K::Code, Req}, {f("message"), K::ShortText, Opt}}},
        // Calls
        {MessageType::Call,
         f("call"),
         Sender::Client,
         {{f("callId"), K::Uuid, Req},
          {f("to"), K::UserId, Req},
          {f("headers"), K::Headers, Opt},
          {f("video"), K::Bool, Opt},
          {f("media"), K::Media, Opt}}},
        {MessageType::Incoming,
         f("incoming"),
         Sender::Server,
         {{f("callId"), K::Uuid, Req},
          {f("from"), K::UserId, Req},
          {f("headers"), K::Headers, Opt},
          {f("video"), K::Bool, Opt},
          {f("expiresAt"), K::Timestamp, Req},
          {f("media"), K::Media, Opt}}},
        {MessageType::Ringing, f("ringing"), Sender::Client, {{f("callId"), K::Uuid, Req}}},
        {MessageType::Progress, f("progress"), Sender::Server, {{f("callId"), K::Uuid, Req}}},
        {MessageType::Answer,
         f("answer"),
         Sender::Client,
         {{f("callId"), K::Uuid, Req}, {f("media"), K::Media, Opt}}},
        {MessageType::Established,
         f("established"),
         Sender::Server,
         {{f("callId"), K::Uuid, Req},
          {f("device"), K::DeviceId, Req},
          {f("media"), K::Media, Opt}}},
        {MessageType::Decline, f("decline"), Sender::Client, {{f("callId"), K::Uuid, Req}}},
        {MessageType::Hangup, f("hangup"), Sender::Client, {{f("callId"), K::Uuid, Req}}},
        {MessageType::Ended,
         f("ended"),
         Sender::Server,
         {{f("callId"), K::Uuid, Req},
          {f("cause"), K::EndCause, Req},
          {f("error"), K::ErrorDetail, Opt}}},
        // Push
        {MessageType::PushRegister,
         f("push.register"),
         Sender::Client,
         {{f("data"), K::PushData, Req}}},
        {MessageType::PushUnregister, f("push.unregister"), Sender::Client, {}},
        {MessageType::Push,
         f("push"),
         Sender::Server,
         {{f("callId"), K::Uuid, Opt},
          {f("messageId"), K::Uuid, Opt},
          {f("pairs"), K::PushPairs, Req}}},
        {MessageType::Claim, f("claim"), Sender::Client, {{f("callId"), K::Uuid, Req}}},
        // Messages
        {MessageType::Message,
         f("message"),
         Sender::Client,
         {{f("messageId"), K::Uuid, Req},
          {f("to"), K::Recipients, Req},
          {f("text"), K::Text, Req},
          {f("headers"), K::Headers, Opt}}},
        {MessageType::MessageStatus,
         f("message.status"),
         Sender::Server,
         {{f("messageId"), K::Uuid, Req},
          {f("to"), K::UserId, Req},
          {f("status"), K::Status, Req},
          {f("error"), K::ErrorDetail, Opt}}},
        {MessageType::MessageIncoming,
         f("message.incoming"),
         Sender::Server,
         {{f("messageId"), K::Uuid, Req},
          {f("from"), K::UserId, Req},
          {f("text"), K::Text, Req},
          {f("headers"), K::Headers, Opt},
          {f("sentAt"), K::Timestamp, Req}}},
        {MessageType::MessageAck,
         f("message.ack"),
         Sender::Client,
         {{f("messageId"), K::Uuid, Req}}},
        // UDP media: exactly one of "candidate" / "done" (checked by the decoder)
        {MessageType::Candidate,
         f("candidate"),
         Sender::Client,
         {{f("callId"), K::Uuid, Req},
          {f("ufrag"), K::IceUfrag, Req},
          {f("candidate"), K::Candidate, Opt},
          {f("done"), K::Bool, Opt}}},
        {MessageType::RemoteCandidate,
         f("remote_candidate"),
         Sender::Server,
         {{f("callId"), K::Uuid, Req},
          {f("ufrag"), K::IceUfrag, Req},
          {f("candidate"), K::Candidate, Opt},
          {f("done"), K::Bool, Opt}}},
        {MessageType::MediaUpdate,
         f("media_update"),
         Sender::Client,
         {{f("callId"), K::Uuid, Req}, {f("media"), K::Media, Req}}},
        {MessageType::RemoteMediaUpdate,
         f("remote_media_update"),
         Sender::Server,
         {{f("callId"), K::Uuid, Req}, {f("media"), K::Media, Req}}},
        // Presence: "status" of presence_set is online or dnd (checked by the decoder)
        {MessageType::PresenceSubscribe,
         f("presence_subscribe"),
         Sender::Client,
         {{f("users"), K::PresenceUsers, Req}}},
        {MessageType::PresenceSet,
         f("presence_set"),
         Sender::Client,
         {{f("status"), K::PresenceStatus, Req}}},
        {MessageType::Presence,
         f("presence"),
         Sender::Server,
         {{f("user"), K::UserId, Req}, {f("status"), K::PresenceStatus, Req}}},
        // Hold and resume: each party's own hold, told to both parties as hold_state
        {MessageType::Hold, f("hold"), Sender::Client, {{f("callId"), K::Uuid, Req}}},
        {MessageType::Resume, f("resume"), Sender::Client, {{f("callId"), K::Uuid, Req}}},
        {MessageType::HoldState,
         f("hold_state"),
         Sender::Server,
         {{f("callId"), K::Uuid, Req}, {f("byYou"), K::Bool, Req}, {f("byPeer"), K::Bool, Req}}},
        // Blind transfer: a party asks the other to call someone else
        {MessageType::Transfer,
         f("transfer"),
         Sender::Client,
         {{f("callId"), K::Uuid, Req}, {f("to"), K::UserId, Req}, {f("replaces"), K::Uuid, Opt}}},
        {MessageType::TransferRequest,
         f("transfer_request"),
         Sender::Server,
         {{f("callId"), K::Uuid, Req},
          {f("to"), K::UserId, Req},
          {f("by"), K::UserId, Req},
          {f("replaces"), K::Uuid, Opt}}},
        // Attended transfer: the transferee's report of its new call, forwarded
        // to the transferor as transfer_result
        {MessageType::TransferReport,
         f("transfer_report"),
         Sender::Client,
         {{f("callId"), K::Uuid, Req}, {f("ok"), K::Bool, Req}, {f("cause"), K::Code, Opt}}},
        {MessageType::TransferResult,
         f("transfer_result"),
         Sender::Server,
         {{f("callId"), K::Uuid, Req}, {f("ok"), K::Bool, Req}, {f("cause"), K::Code, Opt}}},
    };
}

} // namespace

const std::vector<MessageSpec> &messageSpecs()
{
    static const std::vector<MessageSpec> table = buildTable();
    return table;
}

const MessageSpec &messageSpec(MessageType type)
{
    // The table is in enum order; checked by the unit test.
    return messageSpecs()[static_cast<std::size_t>(type)];
}

const MessageSpec *findMessageSpec(QStringView name)
{
    for (const MessageSpec &spec : messageSpecs()) {
        if (name == spec.name)
            return &spec;
    }
    return nullptr;
}

QLatin1StringView messageTypeName(MessageType type)
{
    return messageSpec(type).name;
}

} // namespace softphone::protocol
