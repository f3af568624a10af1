#pragma once
// The seam for the checks on the Settings page that need the app's sound and
// calling parts: a test sound on the chosen speaker or ringer, and a test call
// to the service's echo user that shows the round trip and hangs up by
// itself. The app implements it (app/softphone/AudioChecks); without one the
// test buttons are disabled.

#include "media/devices/AudioDevices.h"

#include <QObject>
#include <QString>

namespace softphone::ui {

struct TestCallStatus
{
    enum class State { Idle, Calling, Connected, Done, Failed };
    State state = State::Idle;
    double roundTripMs = -1; // the call's latest figure; -1 while unknown
    QString error;           // Failed: why, for the user
};

class AudioCheck : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    // On the device chosen in Settings for the role (Output or Ringer).
    virtual void playTestSound(media::AudioDevices::Role role) = 0;
    virtual void startTestCall() = 0;
    virtual TestCallStatus testCall() const = 0;

signals:
    void testCallChanged();
};

} // namespace softphone::ui
