#include "CallCoordinator.h"

#include "AppLogging.h"
#include "client/CallWaiting.h"
#include "client/SoftphoneClient.h"
#include "client/devices/DeviceAudioSink.h"
#include "client/devices/DeviceAudioSource.h"
#include "storage/CallEndCause.h"
#include "storage/CallHistory.h"
#include "storage/Settings.h"
#include "ui/CallText.h"
#include "ui/CallWindow.h"
#include "ui/DeviceWarning.h"
#include "ui/IncomingCallWindow.h"

namespace softphone::app {

using client::Call;
using client::CallState;

CallCoordinator::CallCoordinator(storage::Settings &settings, storage::CallHistory &history,
                                 QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_history(history)
{
    // A device chosen in Settings mid-call takes over at once, and so does
    // audio processing turned on or off (the microphone only).
    connect(&m_settings, &storage::Settings::changed, this, [this](storage::Settings::Key key) {
        if (key == storage::Settings::Key::AudioInput || key == storage::Settings::Key::AudioOutput)
            reattachAudio();
        if (key == storage::Settings::Key::AudioProcessing)
            for (const auto &call : std::as_const(m_calls))
                if (call && call->state() == CallState::Established && call->media())
                    call->media()->setSource(makeSource());
    });
}

QByteArray CallCoordinator::callOutputInUse() const
{
    const auto sink = m_lastSink.lock();
    return sink ? sink->device()->outputDeviceId() : QByteArray();
}

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
    // One conversation at a time: the calls in progress go on hold and the
    // new one is dialled. A call still ringing (either way) is settled first.
    for (const auto &call : std::as_const(m_calls)) {
        if (!call || call->state() == CallState::Established || call->state() == CallState::Ended)
            continue;
        if (reason)
            *reason = tr("Hang up the current call first.");
        if (ui::CallWindow *window = m_callWindows.value(call->id())) {
            window->raise();
            window->activateWindow();
        }
        return false;
    }
    holdOthers(nullptr);
    Call *call = m_client->callUser(user);
    track(call);
    openCallWindow(call);
    return true;
}

bool CallCoordinator::placeOnlyCall(const QString &user, QString *reason)
{
    if (hasActiveCalls()) {
        if (reason)
            *reason = tr("Hang up the current call first.");
        return false;
    }
    return placeCall(user, reason);
}

void CallCoordinator::onIncoming(Call *call)
{
    track(call);
    // Attended transfer: it takes over a call in progress and is answered by
    // the client itself; its window opens when it is established.
    if (!call->replacedCallId().isEmpty()) {
        connect(call, &Call::stateChanged, this, [this, call](CallState state) {
            if (state == CallState::Established)
                openCallWindow(call);
        });
        return;
    }
    // The tray menu may have switched do not disturb: read the shared file again.
    m_settings.sync();
    if (m_settings.flag(storage::Settings::Key::DoNotDisturb)) {
        qCInfo(lcApp) << "do not disturb: declining call" << call->id() << "from"
                      << call->remoteUserId();
        call->setProperty("softphone_dnd", true);
        call->hangup();
        return;
    }
    auto *window = new ui::IncomingCallWindow(call);
    if (m_client)
        window->setPresence(m_client->presence());
    m_incomingWindow = window;
    // In a call already: call waiting. The other calls are held (or ended)
    // before the answer goes out.
    const bool waiting = !otherEstablished(call).isEmpty();
    window->setCallWaiting(waiting);
    connect(window, &ui::IncomingCallWindow::answering, this,
            [this](Call *answered, bool endOthers) {
                client::makeWayFor(answered, otherEstablished(answered),
                                   endOthers ? client::WaitingAnswer::EndOthers
                                             : client::WaitingAnswer::HoldOthers);
            });
    connect(window, &ui::IncomingCallWindow::answered, this, &CallCoordinator::openCallWindow);
    // The ring stops the moment the call stops ringing here: answered, declined,
    // canceled by the caller, taken on another device, timed out.
    const QString id = call->id();
    m_ringingCalls.insert(id);
    connect(call, &Call::stateChanged, this, [this, id] { stopRinging(id); });
    connect(window, &ui::IncomingCallWindow::answered, this, [this, id] {
        stopRinging(id);
        rememberHandled(id);
    });
    connect(window, &ui::IncomingCallWindow::finished, this, [this, id] { stopRinging(id); });
    if (waiting) {
        qCInfo(lcApp) << "call waiting:" << id << "from" << call->remoteUserId();
        updateWaitingTone();
    } else {
        m_sounds->startRinging(m_settings.string(storage::Settings::Key::AudioRinger).toUtf8());
    }
    m_incomingWindows.insert(id, window);
    connect(window, &QObject::destroyed, this, [this, id] { m_incomingWindows.remove(id); });
    window->present();
    emit incomingWindowShown(window);
    // Answer / Decline was picked on the notification before the call got here.
    if (m_pendingActions.contains(id))
        applyAction(id, m_pendingActions.take(id));
}

void CallCoordinator::rememberHandled(const QString &callId)
{
    m_handled.remember(callId);
}

bool CallCoordinator::answerIncoming(const QString &callId)
{
    if (callId.isEmpty())
        return false;
    applyAction(callId, true);
    return true;
}

bool CallCoordinator::declineIncoming(const QString &callId)
{
    if (callId.isEmpty())
        return false;
    applyAction(callId, false);
    return true;
}

void CallCoordinator::applyAction(const QString &callId, bool answer)
{
    if (ui::IncomingCallWindow *window = m_incomingWindows.value(callId)) {
        qCInfo(lcApp) << (answer ? "answering" : "declining") << "call" << callId
                      << "from the notification";
        if (answer)
            window->answer();
        else
            window->decline();
        return;
    }
    if (m_calls.contains(callId))
        return; // it rang and is past ringing (or was declined by do not disturb)
    // Not here yet: keep it for when the call arrives (a handful at most).
    if (m_pendingActions.size() >= 16)
        m_pendingActions.clear();
    m_pendingActions.insert(callId, answer);
}

void CallCoordinator::stopRinging(const QString &callId)
{
    m_ringingCalls.remove(callId);
    if (m_ringingCalls.isEmpty())
        m_sounds->stopRinging();
    updateWaitingTone();
}

QList<Call *> CallCoordinator::otherEstablished(const Call *except) const
{
    QList<Call *> calls;
    for (const auto &call : m_calls) {
        if (call && call != except && call->state() == CallState::Established)
            calls << call.data();
    }
    return calls;
}

void CallCoordinator::holdOthers(const Call *except)
{
    for (Call *other : otherEstablished(except)) {
        if (!other->isHeldByMe())
            other->hold();
    }
}

void CallCoordinator::updateWaitingTone()
{
    // The waiting tone plays in the established calls' audio while a call
    // rings here (the ringer stays quiet during a conversation).
    bool ringing = false;
    for (const QString &id : std::as_const(m_ringingCalls)) {
        const Call *call = m_calls.value(id);
        ringing = ringing || (call && call->state() == CallState::Initiating);
    }
    for (Call *call : otherEstablished(nullptr)) {
        if (client::MediaSession *media = call->media())
            media->setWaitingTone(ringing);
    }
}

void CallCoordinator::openCallWindow(Call *call)
{
    auto *window = new ui::CallWindow(call);
    if (m_client)
        window->setPresence(m_client->presence());
    // An unplugged headset during the call is said in the call's window.
    window->addWarning(new ui::DeviceWarning(
        m_settings, {media::AudioDevices::Role::Input, media::AudioDevices::Role::Output}));
    m_callWindow = window;
    m_callWindows.insert(call->id(), window);
    // Switching back to a held call puts the one in progress on hold.
    connect(window, &ui::CallWindow::resuming, this,
            [this](Call *resumed) { holdOthers(resumed); });
    connect(call, &Call::holdChanged, this, &CallCoordinator::offerAttendedTransfer);
    connect(call, &Call::stateChanged, this, &CallCoordinator::offerAttendedTransfer);
    const QString id = call->id();
    connect(window, &QObject::destroyed, this, [this, id] { m_callWindows.remove(id); });
    window->show();
    window->raise();
    window->activateWindow();
    emit callWindowOpened(window);
}

void CallCoordinator::offerAttendedTransfer()
{
    // Two calls in progress, one held by us and one talking: the talking
    // one's window offers to connect the two parties.
    const QList<Call *> established = otherEstablished(nullptr);
    Call *held = nullptr;
    Call *talking = nullptr;
    if (established.size() == 2) {
        for (Call *call : established) {
            if (call->isHeldByMe())
                held = call;
            else
                talking = call;
        }
    }
    const bool offer = held && talking;
    for (auto it = m_callWindows.cbegin(); it != m_callWindows.cend(); ++it) {
        if (*it)
            (*it)->offerAttendedTransfer(offer && it.key() == talking->id() ? held : nullptr);
    }
}

void CallCoordinator::followSounds(Call *call)
{
    const bool outgoing = call->direction() == client::CallDirection::Outgoing;
    connect(call, &Call::stateChanged, this, [this, call, outgoing](CallState state) {
        const QByteArray output = m_settings.string(storage::Settings::Key::AudioOutput).toUtf8();
        switch (state) {
        case CallState::Initiating:
            break;
        case CallState::Progressing:
            if (outgoing) // the callee's phone rings; an incoming call rings here instead
                m_sounds->startRingback(output);
            break;
        case CallState::Established:
            if (outgoing)
                m_sounds->stopRingback();
            attachAudio(call);
            break;
        case CallState::Ended:
            // The user hears that a conversation (or a call they placed) is over;
            // a ring that stopped, or a do-not-disturb decline, needs no beeps.
            if (outgoing || call->details().establishedAt.isValid())
                m_sounds->playCallEnded(output);
            break;
        }
    });
}

void CallCoordinator::attachAudio(Call *call)
{
    client::MediaSession *media = call->media();
    if (!media)
        return;
    // Opening devices does not wait for them: DeviceAudioIO starts the Qt
    // audio streams and is fed by timers on this thread.
    auto sink = std::make_shared<client::DeviceAudioSink>(
        m_settings.string(storage::Settings::Key::AudioOutput).toUtf8());
    m_lastSink = sink;
    media->setSink(std::move(sink));
    media->setSource(makeSource());
    qCInfo(lcApp) << "call" << call->id() << "voice on output" << callOutputInUse();
}

std::shared_ptr<client::DeviceAudioSource> CallCoordinator::makeSource() const
{
    return std::make_shared<client::DeviceAudioSource>(
        m_settings.string(storage::Settings::Key::AudioInput).toUtf8(),
        m_settings.flag(storage::Settings::Key::AudioProcessing)
            ? client::DeviceAudioSource::Processing::On
            : client::DeviceAudioSource::Processing::Off);
}

void CallCoordinator::reattachAudio()
{
    for (const auto &call : std::as_const(m_calls)) {
        if (call && call->state() == CallState::Established)
            attachAudio(call);
    }
}

void CallCoordinator::track(Call *call)
{
    m_calls.insert(call->id(), call);
    followSounds(call);
    // Blind transfer: the other side sends us on to someone else; we follow
    // at once with a new call window (docs/protocol.md "Blind transfer").
    connect(call, &Call::transferRequested, this,
            [this, call](const QString &to, const QString &by, const QString &replaces) {
                if (!m_client)
                    return;
                Call *next = m_client->followTransfer(call, to, by, replaces);
                track(next);
                openCallWindow(next);
            });
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
                // Declined here (Denied is the callee's own hang-up while ringing).
                if (!outgoing && details.endCause == client::EndCause::Denied)
                    rememberHandled(id);
                storage::CallRecord record;
                record.callId = id;
                record.remoteUser = remote;
                record.outgoing = outgoing;
                record.startedAt = details.startedAt.isValid() ? details.startedAt
                                                               : QDateTime::currentDateTimeUtc();
                record.durationMs = details.durationMs;
                record.endCause = call->property("softphone_dnd").toBool()
                                      ? QString(storage::endcause::kDoNotDisturb)
                                      : ui::CallText::causeKey(details);
                record.missed = !outgoing && !details.establishedAt.isValid() &&
                                storage::endcause::isMissed(record.endCause);
                record.subject = subject;
                m_history.add(record);
            });
}

} // namespace softphone::app
