#pragma once
// The tray agent's push status as the softphone sees it: what the Settings
// page and the status line show. The tray agent keeps this device's push
// registration and reports it over the instance socket (InstanceChannel
// "push_status"): registered (with the push service's host), registering,
// failed (why), off (why). Pushes the agent hands over add the time of the
// last push; before the agent ever reported (an older agent, or none) a
// push that verified is the only proof the registration works (Registered,
// host unknown) and one that did not verify is a fault worth showing (Failed).
// Without either the state is NotSetUp - never a guessed "registered".

#include "ui/PushStatusSource.h"

namespace softphone::app {

class TrayPushStatus : public ui::PushStatusSource
{
    Q_OBJECT

public:
    using ui::PushStatusSource::PushStatusSource;

    ui::PushStatus pushStatus() const override { return m_status; }

    // The agent's report: state is registered, registering, failed or off.
    void agentReported(const QString &state, const QString &endpointHost, const QString &reason);
    // A push from the agent that the client verified (a call, cancel or message for us).
    void pushVerified(const QDateTime &at = QDateTime::currentDateTimeUtc());
    // A push from the agent that the client refused (bad signature, expired, not for us).
    void pushRefused(const QString &reason, const QDateTime &at = QDateTime::currentDateTimeUtc());

private:
    ui::PushStatus m_status;
    bool m_agentReported = false;
};

} // namespace softphone::app
