#include "RelayedPushStatus.h"

namespace softphone::app {

void RelayedPushStatus::pushRelayed(const QDateTime &at)
{
    m_status.state = ui::PushStatus::State::Registered;
    // The agent knows the push service URL; it does not tell the app.
    m_status.endpoint = tr("an endpoint known to the background agent");
    m_status.lastPush = at;
    m_status.error.clear();
    emit pushStatusChanged();
}

void RelayedPushStatus::pushRefused(const QString &reason, const QDateTime &at)
{
    m_status.state = ui::PushStatus::State::Failed;
    m_status.lastPush = at;
    m_status.error = tr("a relayed push was refused (%1)").arg(reason);
    emit pushStatusChanged();
}

} // namespace softphone::app
