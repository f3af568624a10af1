#pragma once
// softphone-cli's audio for call, answer and listen. Each direction on its own:
//   - the voice sent: --audio-in FILE.wav (the file, then silence), else the
//     microphone (--input-device NAME, or the system default);
//   - what the call hears: --audio-out FILE.wav (written as it plays and
//     completed when the call ends; the first call only), else the speaker
//     (--output-device NAME, or the system default).
// --no-audio-processing sends the microphone without echo cancellation, noise
// suppression and gain control. --no-audio opens no sound device: a direction without a file sends
// silence or discards what it hears (monitoring, bots). Devices are opened when a call is
// established, through core (client::DeviceAudioSource/Sink over media::DeviceAudioIO), with their
// fallback to the default while a chosen device is missing. Lines printed: {"event":"audio",...}
// when a call's audio starts, {"event":"audio_changed",...} when a device in use changes,
// {"event":"audio_error",...} when there is no device, and when the call ends
// {"event":"media",...} with its CallQuality (loss, FEC recovered, concealed...);
// with --quality-events the same figures once a second as {"event":"quality",...}.

#include "CliCommand.h"

#include <QByteArray>
#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QList>
#include <memory>

namespace softphone::client {
class AudioSink;
class Call;
class WavFileSource;
} // namespace softphone::client

namespace softphone::cli {

class CallAudio : public std::enable_shared_from_this<CallAudio>
{
public:
    static QList<QCommandLineOption> options();
    // Reads --audio-in, creates --audio-out and finds the named devices now,
    // so a bad file or device name is a usage error before anything else
    // happens. Empty string when fine.
    QString prepare(const QCommandLineParser &parser);

    // Gives the call its audio (holds this object while the call lives) when
    // it is established and prints the media line when it ends.
    void attach(client::Call *call);

private:
    void attachDevices(client::Call *call);

    std::shared_ptr<client::WavFileSource> m_fileSource;
    std::shared_ptr<client::AudioSink> m_fileSink;
    QString m_inPath;
    QString m_outPath;
    bool m_fileSinkUsed = false;
    bool m_devices = true;
    bool m_qualityEvents = false; // --quality-events
    bool m_processing = true;     // false: --no-audio-processing
    QByteArray m_inputDevice;     // empty = System default
    QByteArray m_outputDevice;
};

// `audio-devices`: one JSON line per input and output device.
CliCommand audioDevicesCommand();

} // namespace softphone::cli
