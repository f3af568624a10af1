#pragma once
// The vocabulary of a call as the app sees it (the seed's client model):
// direction, state, end cause and the details value. Kept apart from the wire
// names of core/protocol so the app never depends on how the service spells them.

#include "protocol/Codes.h"

#include <QDateTime>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <optional>

namespace softphone::client {
Q_NAMESPACE

enum class CallDirection { Incoming, Outgoing };
Q_ENUM_NS(CallDirection)

// Initiating -> Progressing (remote rings; start ringback) -> Established -> Ended.
// An incoming call goes Initiating -> Established or Ended.
enum class CallState { Initiating, Progressing, Established, Ended };
Q_ENUM_NS(CallState)

enum class EndCause {
    None,
    Denied,
    NoAnswer,
    Timeout,
    Canceled,
    HungUp,
    Failure,
    OtherDeviceAnswered
};
Q_ENUM_NS(EndCause)

// {domain, code, message}; domain is "network", "capability" or "other".
using CallError = protocol::CallError;

struct CallDetails
{
    QDateTime startedAt;
    QDateTime progressedAt;  // invalid until the remote rings
    QDateTime establishedAt; // invalid until answered
    QDateTime endedAt;       // invalid until ended
    qint64 durationMs = 0;   // established -> ended; 0 when never established
    EndCause endCause = EndCause::None;
    std::optional<CallError> error; // only when endCause is Failure
};

// Wire names ("hung_up", ...) for logs and the CLI; the reverse for the service's causes.
QString endCauseName(EndCause cause);
EndCause endCauseFromProtocol(protocol::EndCause cause);
QString callStateName(CallState state);

} // namespace softphone::client

Q_DECLARE_METATYPE(softphone::client::CallDetails)
