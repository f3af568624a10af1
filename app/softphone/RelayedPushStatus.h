#pragma once
// The push status the softphone itself can vouch for. The tray agent keeps
// this device's push registration and does not report it to the app, so the
// app knows only what the agent relays: a push that verified proves the
// registration works (Registered, endpoint unknown here); one that did not
// verify is a fault worth showing (Failed). Before any relayed push the state
// is NotSetUp with no last push - the same as when no source is set - never a
// guessed "registered".

#include "PushStatusSource.h"

namespace softphone::app {

class RelayedPushStatus : public ui::PushStatusSource
{
    Q_OBJECT

public:
    using ui::PushStatusSource::PushStatusSource;

    ui::PushStatus pushStatus() const override { return m_status; }

    // A relayed push the client verified (a call, cancel or message for us).
    void pushRelayed(const QDateTime &at = QDateTime::currentDateTimeUtc());
    // A relayed push the client refused (bad signature, expired, not for us).
    void pushRefused(const QString &reason, const QDateTime &at = QDateTime::currentDateTimeUtc());

private:
    ui::PushStatus m_status;
};

} // namespace softphone::app
