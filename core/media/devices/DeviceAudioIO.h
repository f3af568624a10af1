#pragma once
// Moves blocks between the pipeline and the sound devices: microphone
// blocks out to a capture handler (SendStream), speaker blocks pulled from a
// playback source (ReceiveStream, ToneGenerator). Converts rate and channels
// where the device differs. When a chosen device disappears mid-call it
// carries on with the default device and returns when the device is back;
// a missing device is reported, never fatal.
//
// Delay is kept small on both sides (docs/media.md "Device delay"): capture
// runs in 10 ms periods and hands out each block (20 ms, or 10 ms when asked)
// as soon as it is complete; playback is driven by the device's clock, a block pulled from
// the source whenever the sound server's stream holds less than a small
// target (30 ms to start). An underrun raises the target by 20 ms (up to
// 60 ms, within the stream's fixed buffer); 20 s without one lower it by
// 10 ms again, down to 20 ms (WebRTC's audio device module does the same on
// PulseAudio).
//
// Wakeups are what a call costs most (docs/benchmarks.md "CPU per call"): a
// capture read (every 10 ms on Qt's capture timer) tops up every playback
// stream of the thread in the same wakeup; a playback pump of its own runs
// only as the fallback (every 10 ms while nothing captures). Instances live on
// one thread.

#include "AudioDevices.h"
#include "media/MediaFormat.h"

#include <QAudioFormat>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

class QAudioSink;
class QAudioSource;
class QIODevice;
class QMediaDevices;

namespace softphone::media {

class Resampler;

class DeviceAudioIO : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QByteArray outputDeviceId READ outputDeviceId NOTIFY outputDeviceChanged)
    Q_PROPERTY(QByteArray inputDeviceId READ inputDeviceId NOTIFY inputDeviceChanged)
public:
    using CaptureHandler = std::function<void(std::span<const int16_t>)>;
    using PlaybackSource = std::function<std::span<const int16_t>()>;

    explicit DeviceAudioIO(QObject *parent = nullptr);
    ~DeviceAudioIO() override;

    // Empty id = System default. Either side may be left unset.
    void startPlayback(const QByteArray &chosenOutputId, PlaybackSource source);
    // The handler gets blocks of blockSamples (kFrameSamples or kShortFrameSamples).
    void startCapture(const QByteArray &chosenInputId, CaptureHandler handler,
                      size_t blockSamples = kFrameSamples);
    void stop();

    // The device actually in use (differs from the chosen one after a fallback).
    QByteArray outputDeviceId() const { return m_outputInUse; }
    QByteArray inputDeviceId() const { return m_inputInUse; }
    bool isOutputOnFallback() const;
    bool isInputOnFallback() const;
    qint64 blocksPlayed() const { return m_blocksPlayed; }
    qint64 blocksCaptured() const { return m_blocksCaptured; }
    // Measured now: audio captured and not yet handed out (in the sound
    // server's stream and the partial block), and audio handed to the
    // playback stream and not yet played. -1 without a device.
    double captureBufferMs() const;
    double playbackBufferMs() const;
    // The playback buffer's current target (ms) and the underruns so far.
    int playbackTargetMs() const { return m_targetMs; }
    quint64 underruns() const { return m_underruns; }

signals:
    void outputDeviceChanged();
    void inputDeviceChanged();
    void deviceMissing(softphone::media::AudioDevices::Role role, const QByteArray &id);
    void errorOccurred(const QString &message);

private:
    void openOutput();
    void openInput();
    void closeOutput();
    void closeInput();
    void writePlayback();
    void readCapture();
    void onOutputsChanged();
    void onUnderrun();
    qsizetype queuedOutputBytes() const;
    void onInputsChanged();

    QMediaDevices *m_media;
    QTimer m_pump;
    QTimer m_watch;
    // Output side.
    PlaybackSource m_source;
    QByteArray m_chosenOutput;
    QByteArray m_outputInUse;
    QByteArray m_defaultOutputSeen;
    std::unique_ptr<QAudioSink> m_sink;
    QPointer<QIODevice> m_sinkIo;
    QAudioFormat m_sinkFormat;
    std::unique_ptr<Resampler> m_toDevice;
    QByteArray m_pendingOut;
    qint64 m_blocksPlayed = 0;
    bool m_playing = false;
    bool m_sinkStarted = false; // its prebuffer was filled since it was opened
    qint64 m_sinkWritten = 0;
    int m_targetMs;
    QElapsedTimer m_sinceTargetChange;
    quint64 m_underruns = 0;
    // Input side.
    CaptureHandler m_handler;
    QByteArray m_chosenInput;
    QByteArray m_inputInUse;
    QByteArray m_defaultInputSeen;
    std::unique_ptr<QAudioSource> m_sourceDev;
    QPointer<QIODevice> m_sourceIo;
    QAudioFormat m_sourceFormat;
    std::unique_ptr<Resampler> m_fromDevice;
    std::vector<int16_t> m_captured;
    size_t m_captureBlock = kFrameSamples;
    qint64 m_blocksCaptured = 0;
    bool m_capturing = false;
};

} // namespace softphone::media
