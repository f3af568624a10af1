#pragma once
// The closed vocabularies of the wire protocol (error codes, end causes, message
// statuses) with their wire names, so no string is spelled twice.

#include <QJsonObject>
#include <QString>
#include <optional>

namespace softphone::protocol {

enum class ErrorCode {
    BadJson,
    BadRequest,
    UnknownType,
    NotAuthenticated,
    Unauthorized,
    UnknownUser,
    NotFound,
    InvalidState,
    TooLarge,
    Capability,
    RateLimited,
    TooManyCalls, // kMaxCallsPerConnection calls ringing or established on this connection
};
QString errorCodeName(ErrorCode code);
std::optional<ErrorCode> errorCodeFromName(const QString &name);

// Why a call ended (docs/protocol.md "Causes").
enum class EndCause {
    Denied,
    NoAnswer,
    Canceled,
    HungUp,
    Failure,
    OtherDeviceAnswered,
    Timeout,
};
QString endCauseName(EndCause cause);
std::optional<EndCause> endCauseFromName(const QString &name);

enum class MessageStatus { Sent, Delivered, Failed };
QString messageStatusName(MessageStatus status);
std::optional<MessageStatus> messageStatusFromName(const QString &name);

// The error object of `ended` (cause failure) and `message.status` (failed).
struct CallError
{
    QString domain; // "network" | "capability" | "other"
    QString code;   // peer_lost, unknown_user, no_device, service_restarted, ...
    QString message;

    QJsonObject toJson() const;
    static CallError fromJson(const QJsonObject &object);
    bool operator==(const CallError &) const = default;
};

// A decoding or request error: the `error` message's code and text, plus the
// request id it answers when one could be read.
struct ProtocolError
{
    ErrorCode code = ErrorCode::BadRequest;
    QString message;
    QString re;
};

} // namespace softphone::protocol
