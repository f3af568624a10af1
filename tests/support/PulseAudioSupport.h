#pragma once
// What the tests that listen to real sound devices share: pactl and a recorder
// of a PulseAudio sink's monitor (parec). Tones in a recording are told apart
// with tonePower() of SignalTools.h (softphone_test_signals).

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <cstdint>
#include <vector>

namespace softphone::test {

// Runs pactl; returns its trimmed output. ok: it finished within 10 s with status 0.
QString pactl(const QStringList &args, bool *ok = nullptr);

// Loads a null sink named `name` with that description; returns the module id
// (for pactl unload-module), or an empty string when PulseAudio refused.
QString loadNullSink(const QString &name, const QString &description);
// Loads a microphone (a remap source named `name`) over `feedSink`'s monitor:
// what is played into feedSink is what the microphone hears. Returns the
// module id, or an empty string with PulseAudio's answer in *why.
QString loadMicrophone(const QString &name, const QString &feedSink, const QString &description,
                       QString *why = nullptr);

// parec on a sink's monitor (48 kHz mono s16), started before what is to be
// heard happens.
class MonitorRecorder
{
public:
    explicit MonitorRecorder(const QString &sink);
    ~MonitorRecorder();
    MonitorRecorder(const MonitorRecorder &) = delete;
    MonitorRecorder &operator=(const MonitorRecorder &) = delete;

    // Stops recording and returns what arrived. With waitMs > 0 it first waits
    // (event loop running, so the app under test keeps playing) until that much
    // audio arrived, or up to 5 s longer when the monitor delivers nothing.
    std::vector<int16_t> take(int waitMs = 0);

private:
    QProcess m_process;
};

// Records `ms` of a sink's monitor.
std::vector<int16_t> recordMonitor(const QString &sink, int ms);

// A PulseAudio server of one test alone, with a speaker (the null sink
// `speaker`) and no microphone at all (a sink's monitor is not one to Qt):
// start() points PULSE_SERVER at it, so call it in main() before
// QApplication; the session's server and its devices stay as they are.
class PrivatePulseAudio
{
public:
    explicit PrivatePulseAudio(const QString &speaker);
    ~PrivatePulseAudio();
    PrivatePulseAudio(const PrivatePulseAudio &) = delete;
    PrivatePulseAudio &operator=(const PrivatePulseAudio &) = delete;

    // Running and answering pactl; false with the reason.
    bool start(QString *why);

private:
    QString m_speaker;
    QTemporaryDir m_dir;
    QProcess m_process;
};

} // namespace softphone::test
