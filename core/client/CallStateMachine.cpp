#include "CallStateMachine.h"

namespace softphone::client {

namespace {
bool refuse(QString *why, const QString &reason)
{
    if (why)
        *why = reason;
    return false;
}
} // namespace

CallStateMachine::CallStateMachine(CallDirection direction, const QDateTime &startedAt)
    : m_direction(direction)
{
    m_details.startedAt = startedAt;
}

bool CallStateMachine::progress(const QDateTime &at, QString *why)
{
    if (m_direction != CallDirection::Outgoing)
        return refuse(why, QStringLiteral("an incoming call has no progressing state"));
    if (m_state != CallState::Initiating)
        return refuse(why, QStringLiteral("progress in state %1").arg(callStateName(m_state)));
    m_state = CallState::Progressing;
    m_details.progressedAt = at;
    return true;
}

bool CallStateMachine::establish(const QDateTime &at, QString *why)
{
    if (m_state != CallState::Initiating && m_state != CallState::Progressing)
        return refuse(why, QStringLiteral("established in state %1").arg(callStateName(m_state)));
    m_state = CallState::Established;
    m_details.establishedAt = at;
    return true;
}

bool CallStateMachine::end(EndCause cause, const std::optional<CallError> &error,
                           const QDateTime &at, QString *why)
{
    if (cause == EndCause::None)
        return refuse(why, QStringLiteral("a call cannot end without a cause"));
    if (m_state == CallState::Ended)
        return refuse(why,
                      QStringLiteral("already ended (%1)").arg(endCauseName(m_details.endCause)));
    m_state = CallState::Ended;
    m_details.endedAt = at;
    m_details.endCause = cause;
    if (cause == EndCause::Failure)
        m_details.error = error.value_or(CallError{
            QStringLiteral("other"), QStringLiteral("unknown"), QStringLiteral("the call failed")});
    else
        m_details.error.reset();
    m_details.durationMs = m_details.establishedAt.isValid()
                               ? std::max<qint64>(0, m_details.establishedAt.msecsTo(at))
                               : 0;
    return true;
}

} // namespace softphone::client
