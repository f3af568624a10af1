#pragma once
// The Audio group of the Settings page: microphone, speaker and ringer (with
// "System default", the system default and the device in use marked, kept in
// step with devices coming and going through core's media::AudioDevices); a
// live microphone level while the page is shown (media::InputLevelMeter); a
// test sound for the speaker and the ringer and a test call to the echo user
// (through an AudioCheck the app provides); and a warning while a chosen
// device is missing; whether calls clean the microphone (echo cancellation,
// noise suppression, gain control: off for a headset, to save CPU). Each
// control writes its Settings key at once.
// The device side (lists, meter, warning: Qt Multimedia and its connection to
// the sound server) is made when the group is first shown, not while the main
// window is built: a start to the dialer never waits for the sound server.

#include "AudioCheck.h"

#include <QGroupBox>
#include <QPointer>

class QCheckBox;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace softphone::media {
class InputLevelMeter;
}
namespace softphone::storage {
class Settings;
}

namespace softphone::ui {

class AudioSettings : public QGroupBox
{
    Q_OBJECT

public:
    explicit AudioSettings(storage::Settings &settings, QWidget *parent = nullptr);

    void setAudioCheck(AudioCheck *check);

protected:
    // The microphone is captured only while the page is on screen.
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    // The lists, the meter and the warning, on the first show.
    void makeDeviceSide();
    void reloadDevices();
    void restartMeter();
    void showTestCall();
    // The meter and the test call say why they cannot work without a microphone.
    void showMicrophonePresence();

    storage::Settings &m_settings;
    // From the first show (makeDeviceSide), null before.
    media::AudioDevices *m_devices = nullptr; // the lists and their hot-plug signal (core/media)
    media::InputLevelMeter *m_meter = nullptr;
    QPointer<AudioCheck> m_check;
    QComboBox *m_input;
    QComboBox *m_output;
    QComboBox *m_ringer;
    QProgressBar *m_level;
    QCheckBox *m_processing;
    QPushButton *m_speakerTest;
    QPushButton *m_ringerTest;
    QPushButton *m_testCall;
    QLabel *m_testCallStatus;
    QLabel *m_warning = nullptr; // DeviceWarning
};

} // namespace softphone::ui
