#pragma once
// The call's state machine as a plain value, apart from the QObject and the
// network, so every legal path and every refused transition can be unit-tested.
// A refused transition leaves the state and details untouched and says why: the
// service may race us (an `ended` after we ended locally), that must be harmless.

#include "CallTypes.h"

namespace softphone::client {

class CallStateMachine
{
public:
    CallStateMachine(CallDirection direction, const QDateTime &startedAt);

    CallDirection direction() const { return m_direction; }
    CallState state() const { return m_state; }
    const CallDetails &details() const { return m_details; }
    bool isEnded() const { return m_state == CallState::Ended; }

    // The remote is ringing: outgoing calls only, from Initiating.
    bool progress(const QDateTime &at, QString *why = nullptr);
    // Answered: from Initiating or Progressing.
    bool establish(const QDateTime &at, QString *why = nullptr);
    // Final: from any state but Ended. A Failure without an error gets an
    // "other/unknown" error; an error given with any other cause is dropped,
    // so details.error is set exactly when the cause is Failure.
    bool end(EndCause cause, const std::optional<CallError> &error, const QDateTime &at,
             QString *why = nullptr);

private:
    CallDirection m_direction;
    CallState m_state = CallState::Initiating;
    CallDetails m_details;
};

} // namespace softphone::client
