#include "CallCoordinator.h"

#include "AppLogging.h"
#include "CallHistory.h"
#include "CallText.h"
#include "CallWindow.h"
#include "IncomingCallWindow.h"
#include "Settings.h"
#include "SoftphoneClient.h"

namespace softphone::app {

using client::Call;
using client::CallState;

CallCoordinator::CallCoordinator(storage::Settings &settings, storage::CallHistory &history,
                                 QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_history(history)
{}

void CallCoordinator::setClient(client::SoftphoneClient *client)
{
    if (m_client)
        m_client->disconnect(this);
    m_client = client;
    if (client)
        connect(client, &client::SoftphoneClient::incomingCall, this, &CallCoordinator::onIncoming);
}

bool CallCoordinator::hasActiveCalls() const
{
    for (const auto &call : m_calls) {
        if (call && call->state() != CallState::Ended)
            return true;
    }
    return false;
}

bool CallCoordinator::placeCall(const QString &user, QString *reason)
{
    if (!m_client ||
        m_client->connectionState() != client::SoftphoneClient::ConnectionState::Connected) {
        if (reason)
            *reason = tr("Not connected.");
        return false;
    }
    // One conversation at a time: a second outgoing call would need hold, which
    // the service does not have yet.
    if (m_callWindow) {
        if (reason)
            *reason = tr("Hang up the current call first.");
        m_callWindow->raise();
        m_callWindow->activateWindow();
        return false;
    }
    Call *call = m_client->callUser(user);
    track(call);
    openCallWindow(call);
    return true;
}

void CallCoordinator::onIncoming(Call *call)
{
    track(call);
    if (m_settings.flag(storage::Settings::Key::DoNotDisturb)) {
        qCInfo(lcApp) << "do not disturb: declining call" << call->id() << "from"
                      << call->remoteUserId();
        call->setProperty("softphone_dnd", true);
        call->hangup();
        return;
    }
    auto *window = new ui::IncomingCallWindow(call);
    m_incomingWindow = window;
    connect(window, &ui::IncomingCallWindow::answered, this, &CallCoordinator::openCallWindow);
    // The ring stops the moment the call stops ringing here: answered, declined,
    // canceled by the caller, taken on another device, timed out.
    const QString id = call->id();
    m_ringingCalls.insert(id);
    connect(call, &Call::stateChanged, this, [this, id] { stopRinging(id); });
    connect(window, &ui::IncomingCallWindow::answered, this, [this, id] { stopRinging(id); });
    connect(window, &ui::IncomingCallWindow::finished, this, [this, id] { stopRinging(id); });
    m_ringer->start(m_settings.string(storage::Settings::Key::AudioRinger));
    window->present();
    emit incomingWindowShown(window);
}

void CallCoordinator::stopRinging(const QString &callId)
{
    m_ringingCalls.remove(callId);
    if (m_ringingCalls.isEmpty())
        m_ringer->stop();
}

void CallCoordinator::openCallWindow(Call *call)
{
    auto *window = new ui::CallWindow(call);
    m_callWindow = window;
    window->show();
    window->raise();
    window->activateWindow();
    emit callWindowOpened(window);
}

void CallCoordinator::track(Call *call)
{
    m_calls.insert(call->id(), call);
    // What the history needs is copied now: ended calls are deleted by the client after a while.
    const QString id = call->id();
    const QString remote = call->remoteUserId();
    const bool outgoing = call->direction() == client::CallDirection::Outgoing;
    const QString subject = call->headers().value(QStringLiteral("subject"));
    connect(call, &Call::stateChanged, this,
            [this, call, id, remote, outgoing, subject](CallState state) {
                if (state != CallState::Ended)
                    return;
                m_calls.remove(id);
                const client::CallDetails details = call->details();
                storage::CallRecord record;
                record.callId = id;
                record.remoteUser = remote;
                record.outgoing = outgoing;
                record.startedAt = details.startedAt.isValid() ? details.startedAt
                                                               : QDateTime::currentDateTimeUtc();
                record.durationMs = details.durationMs;
                record.endCause = call->property("softphone_dnd").toBool()
                                      ? QStringLiteral("dnd")
                                      : ui::CallText::causeKey(details);
                record.missed = !outgoing && !details.establishedAt.isValid() &&
                                ui::CallText::isMissed(record.endCause);
                record.subject = subject;
                m_history.add(record);
            });
}

} // namespace softphone::app
