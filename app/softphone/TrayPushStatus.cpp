#include "TrayPushStatus.h"

namespace softphone::app {

using State = ui::PushStatus::State;

void TrayPushStatus::agentReported(const QString &state, const QString &endpointHost,
                                   const QString &reason)
{
    m_agentReported = true;
    m_status.endpoint.clear();
    m_status.error.clear();
    if (state == QLatin1String("registered")) {
        m_status.state = State::Registered;
        m_status.endpoint = endpointHost;
    } else if (state == QLatin1String("registering")) {
        m_status.state = State::Registering;
    } else if (state == QLatin1String("failed")) {
        m_status.state = State::Failed;
        m_status.error = reason;
    } else {
        m_status.state = State::Off;
        m_status.error = reason;
    }
    emit pushStatusChanged();
}

void TrayPushStatus::pushVerified(const QDateTime &at)
{
    m_status.lastPush = at;
    if (!m_agentReported) {
        m_status.state = State::Registered;
        m_status.endpoint = tr("an endpoint known to the background agent");
        m_status.error.clear();
    }
    emit pushStatusChanged();
}

void TrayPushStatus::pushRefused(const QString &reason, const QDateTime &at)
{
    m_status.state = State::Failed;
    m_status.lastPush = at;
    m_status.error = tr("a relayed push was refused (%1)").arg(reason);
    emit pushStatusChanged();
}

} // namespace softphone::app
