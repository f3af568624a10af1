#pragma once
// Moves blocks between the pipeline and the sound devices: microphone
// blocks out to a capture handler (SendStream), speaker blocks pulled from a
// playback source (ReceiveStream, ToneGenerator). Converts rate and channels
// where the device differs. When a chosen device disappears mid-call it
// carries on with the default device and returns when the device is back;
// a missing device is reported, never fatal.
//
// The streams are PulseAudio's, our own (PulseStream: libpulse on this
// thread's event loop, no thread of their own; docs/media.md "Device
// delay"). Capture runs in periods of the session's block (10 or 20 ms) and
// hands out each block as soon as it is complete; playback is pulled by the
// sound server's clock, a block whenever its queue is one request (10 ms)
// below the target length (30 ms to start). An underrun raises the target by
// 20 ms (up to 60 ms); 20 s without one lower it by 10 ms again, down to
// 20 ms (WebRTC's audio device module does the same on PulseAudio).
// Devices are listed and chosen through Qt (QMediaDevices: their ids are
// PulseAudio's sink and source names). Instances live on one thread.

#include "AudioDevices.h"
#include "media/MediaFormat.h"

#include <QAudioFormat>
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

class QMediaDevices;

namespace softphone::media {

class PulseStream;
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
    // The capture period (the sound server's fragment): the session's block
    // duration, so a 20 ms block costs one wakeup. 10 ms to start.
    void setCapturePeriodMs(int ms);
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
    void onInputsChanged();
    void onUnderrun();
    void onOutputFailed(const QString &why);
    void onInputFailed(const QString &why);
    // One place for both directions: a stream not ready kReadyMs after it was
    // opened counts as failed (libpulse says nothing when the server's socket
    // is missing), and each failure in a row doubles the wait before the next
    // open, up to kReopenMaxMs.
    void expectReady(bool output);
    void reopenLater(bool output, const QString &why);
    int nextReopenDelay(int &failuresInARow) const;

    QMediaDevices *m_media;
    QTimer m_watch;
    // Output side.
    PlaybackSource m_source;
    QByteArray m_chosenOutput;
    QByteArray m_outputInUse;
    QByteArray m_defaultOutputSeen;
    std::unique_ptr<PulseStream> m_sink;
    QAudioFormat m_sinkFormat;
    std::unique_ptr<Resampler> m_toDevice;
    qint64 m_blocksPlayed = 0;
    bool m_playing = false;
    int m_targetMs;
    QElapsedTimer m_sinceTargetChange;
    quint64 m_underruns = 0;
    quint64 m_outputOpens = 0;
    int m_outputFailures = 0;
    // Input side.
    CaptureHandler m_handler;
    QByteArray m_chosenInput;
    QByteArray m_inputInUse;
    QByteArray m_defaultInputSeen;
    std::unique_ptr<PulseStream> m_sourceDev;
    QAudioFormat m_sourceFormat;
    std::unique_ptr<Resampler> m_fromDevice;
    std::vector<int16_t> m_raw;
    std::vector<int16_t> m_captured;
    size_t m_captureBlock = kFrameSamples;
    int m_capturePeriodMs;
    qint64 m_blocksCaptured = 0;
    bool m_capturing = false;
    quint64 m_inputOpens = 0;
    int m_inputFailures = 0;
};

} // namespace softphone::media
