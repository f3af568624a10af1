#include "AudioChecks.h"

#include "AppLogging.h"
#include "CallCoordinator.h"
#include "client/Call.h"
#include "protocol/Limits.h"
#include "storage/Settings.h"
#include "ui/CallText.h"

namespace softphone::app {

using client::Call;
using client::CallState;
using State = ui::TestCallStatus::State;

AudioChecks::AudioChecks(storage::Settings &settings, CallCoordinator &calls, QObject *parent)
    : ui::AudioCheck(parent)
    , m_settings(settings)
    , m_calls(calls)
    , m_player(new TonePlayer(this))
{
    m_hangup.setSingleShot(true);
    m_hangup.setInterval(kTestCallLength);
    connect(&m_hangup, &QTimer::timeout, this, [this] {
        if (m_call)
            m_call->hangup();
    });
}

void AudioChecks::playTestSound(media::AudioDevices::Role role)
{
    const auto key = role == media::AudioDevices::Role::Ringer
                         ? storage::Settings::Key::AudioRinger
                         : storage::Settings::Key::AudioOutput;
    const QByteArray device = m_settings.string(key).toUtf8();
    qCInfo(lcApp) << "test sound on" << (device.isEmpty() ? "the default device" : device);
    m_player->play(media::ToneGenerator::testSound(), device);
}

void AudioChecks::startTestCall()
{
    if (m_call)
        return;
    m_status.roundTripMs = -1;
    QString reason;
    if (!m_calls.placeOnlyCall(QString::fromLatin1(protocol::kEchoUserId), &reason)) {
        setStatus(State::Failed, reason);
        return;
    }
    Call *call = m_calls.callWindow() ? m_calls.callWindow()->call() : nullptr;
    if (!call) {
        setStatus(State::Failed, tr("The call could not be placed."));
        return;
    }
    qCInfo(lcApp) << "test call" << call->id() << "to the echo service";
    follow(call);
    setStatus(State::Calling);
}

void AudioChecks::follow(Call *call)
{
    m_call = call;
    connect(call, &Call::stateChanged, this, [this, call](CallState state) {
        if (call != m_call)
            return;
        if (state == CallState::Established) {
            m_hangup.start();
            setStatus(State::Connected);
        } else if (state == CallState::Ended) {
            m_hangup.stop();
            const client::CallDetails details = call->details();
            m_call.clear();
            if (details.establishedAt.isValid())
                setStatus(State::Done);
            else
                setStatus(State::Failed, ui::CallText::endCause(details, true));
        }
    });
    connect(call, &Call::qualityChanged, this, [this, call] {
        const double roundTrip = call->quality().roundTripMs;
        if (call == m_call && roundTrip >= 0 && roundTrip != m_status.roundTripMs) {
            m_status.roundTripMs = roundTrip;
            emit testCallChanged();
        }
    });
}

void AudioChecks::setStatus(State state, const QString &error)
{
    m_status.state = state;
    m_status.error = error;
    emit testCallChanged();
}

} // namespace softphone::app
