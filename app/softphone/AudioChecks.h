#pragma once
// The Settings page's audio checks (ui::AudioCheck) with the app's parts: the
// test sound is a chime (ToneGenerator::testSound) on the speaker or ringer
// chosen in Settings, through a TonePlayer of its own; the test call is a call
// to the service's echo user placed like any other (CallCoordinator: the call
// window, the chosen microphone and speaker), so the user hears their voice a
// second later, sees the round trip from the call's quality figures, and the
// call hangs up by itself after kTestCallLength.

#include "TonePlayer.h"
#include "ui/AudioCheck.h"

#include <QPointer>
#include <QTimer>
#include <chrono>

namespace softphone::client {
class Call;
}
namespace softphone::storage {
class Settings;
}

namespace softphone::app {

class CallCoordinator;

class AudioChecks : public ui::AudioCheck
{
    Q_OBJECT

public:
    static constexpr std::chrono::seconds kTestCallLength{6};

    AudioChecks(storage::Settings &settings, CallCoordinator &calls, QObject *parent = nullptr);

    void playTestSound(media::AudioDevices::Role role) override;
    void startTestCall() override;
    ui::TestCallStatus testCall() const override { return m_status; }

    TonePlayer *testSoundPlayer() const { return m_player; }
    client::Call *testCallInProgress() const { return m_call; }

private:
    void follow(client::Call *call);
    void setStatus(ui::TestCallStatus::State state, const QString &error = {});

    storage::Settings &m_settings;
    CallCoordinator &m_calls;
    TonePlayer *m_player;
    QPointer<client::Call> m_call;
    QTimer m_hangup;
    ui::TestCallStatus m_status;
};

} // namespace softphone::app
