#include "DeviceAudioIO.h"

#include "common/Logging.h"
#include "media/MediaFormat.h"
#include "media/Resampler.h"

#include <QAudioSink>
#include <QAudioSource>
#include <QMediaDevices>
#include <algorithm>
#include <cstring>

namespace softphone::media {

namespace {
// The pipeline's format when the device takes it, else the device's own rate
// and channel count in 16-bit (the Resampler converts).
QAudioFormat formatFor(const QAudioDevice &device)
{
    QAudioFormat f;
    f.setSampleRate(kSampleRate);
    f.setChannelCount(1);
    f.setSampleFormat(QAudioFormat::Int16);
    if (device.isFormatSupported(f))
        return f;
    QAudioFormat preferred = device.preferredFormat();
    f.setSampleRate(preferred.sampleRate());
    f.setChannelCount(std::min(preferred.channelCount(), 2));
    return f;
}

// One wakeup serves both sides: each capture read (Qt's capture timer, every
// 10 ms) tops up every playback stream of the thread after it. The playback
// pump is then only a fallback, due a little after the next capture read; on
// its own (no capture on the thread) it tops up every 10 ms.
constexpr int kPumpMs = 10;
constexpr int kPumpFallbackMs = 15;
// The streams playing on this thread (DeviceAudioIO lives on one thread:
// the main thread in the apps).
thread_local std::vector<DeviceAudioIO *> t_playing;
// Capture fragments (QAudioSource's buffer size sets PulseAudio's fragsize,
// and Qt 6.4 reads on a timer of that period).
constexpr int kCapturePeriodMs = 10;
// A read that brings more than this means this process stalled while the
// sound server went on recording. Sent on, that backlog would stay in the
// call's delay for good (the far end buffers it): the newest 40 ms are kept.
constexpr size_t kMaxCaptureBacklog = 5 * kFrameSamples;
constexpr size_t kCaptureKeep = 2 * kFrameSamples;
// Playback target: the audio kept queued in the sound server's stream (its
// low-water mark; one block is written whenever it is below). It starts at
// 30 ms: topped up every 10 ms (a capture read), the stream then holds at
// least ~20 ms between two top-ups while a call starts (DTLS, ICE, codec set-up
// load the thread; underruns then were what p95 was made of), and comes down
// to 20 ms once calm.
constexpr int kPlaybackStartMs = 30;
constexpr int kPlaybackMinMs = 20;
constexpr int kPlaybackMaxMs = 60;
constexpr int kPlaybackStepUpMs = 20;
constexpr int kPlaybackStepDownMs = 10;
constexpr qint64 kPlaybackCalmMs = 20000;
// The stream's buffer (tlength) stays at what the highest target needs: Qt
// 6.4 cannot resize a running stream, and stopping and restarting a
// QAudioSink after underruns crashed in PulseAudio's thread (a protection
// fault in QtCore from threaded-ml in a 5-minute call), so the stream is
// opened once. PulseAudio spends about half of tlength in the sink, so it is
// not made larger than that.
constexpr int kPlaybackBufferMs = kPlaybackMaxMs + kFrameMs;
} // namespace

DeviceAudioIO::DeviceAudioIO(QObject *parent)
    : QObject(parent)
    , m_media(new QMediaDevices(this))
    , m_targetMs(kPlaybackStartMs)
{
    m_sinceTargetChange.start();
    m_pump.setInterval(kPumpMs);
    m_pump.setTimerType(Qt::PreciseTimer);
    connect(&m_pump, &QTimer::timeout, this, [this] {
        writePlayback();
        if (m_pump.interval() != kPumpMs)
            m_pump.start(kPumpMs); // no capture read came: the pump drives alone
    });
    connect(m_media, &QMediaDevices::audioOutputsChanged, this, &DeviceAudioIO::onOutputsChanged);
    connect(m_media, &QMediaDevices::audioInputsChanged, this, &DeviceAudioIO::onInputsChanged);
    // Qt 6.4's PulseAudio backend does not always signal a removed device
    // (seen with null sinks unloaded mid-play), so the lists are checked
    // once a second as well; the check only reads Qt's cached lists.
    m_watch.setInterval(1000);
    connect(&m_watch, &QTimer::timeout, this, [this] {
        onOutputsChanged();
        onInputsChanged();
    });
}

DeviceAudioIO::~DeviceAudioIO()
{
    stop();
}

bool DeviceAudioIO::isOutputOnFallback() const
{
    return !m_chosenOutput.isEmpty() && m_outputInUse != m_chosenOutput;
}

bool DeviceAudioIO::isInputOnFallback() const
{
    return !m_chosenInput.isEmpty() && m_inputInUse != m_chosenInput;
}

double DeviceAudioIO::captureBufferMs() const
{
    if (!m_sourceDev)
        return -1;
    const double device =
        double(m_sourceFormat.durationForBytes(qint32(m_sourceDev->bytesAvailable()))) / 1000.0;
    return device + double(m_captured.size()) / kSamplesPerMs;
}

double DeviceAudioIO::playbackBufferMs() const
{
    if (!m_sink)
        return -1;
    const qsizetype queued =
        std::max<qsizetype>(0, m_sink->bufferSize() - m_sink->bytesFree()) + m_pendingOut.size();
    return double(m_sinkFormat.durationForBytes(qint32(queued))) / 1000.0;
}

void DeviceAudioIO::startPlayback(const QByteArray &chosenOutputId, PlaybackSource source)
{
    closeOutput();
    m_chosenOutput = chosenOutputId;
    m_source = std::move(source);
    m_playing = true;
    openOutput();
    m_pump.start(kPumpMs);
    m_watch.start();
    std::erase(t_playing, this);
    t_playing.push_back(this);
}

void DeviceAudioIO::startCapture(const QByteArray &chosenInputId, CaptureHandler handler,
                                 size_t blockSamples)
{
    closeInput();
    m_captureBlock = isFrameSize(blockSamples) ? blockSamples : size_t(kFrameSamples);
    m_chosenInput = chosenInputId;
    m_handler = std::move(handler);
    m_capturing = true;
    openInput();
    m_watch.start();
}

void DeviceAudioIO::stop()
{
    m_playing = m_capturing = false;
    std::erase(t_playing, this);
    m_pump.stop();
    m_watch.stop();
    closeOutput();
    closeInput();
}

void DeviceAudioIO::openOutput()
{
    bool found = false;
    const QAudioDevice device =
        AudioDevices::resolve(AudioDevices::Role::Output, m_chosenOutput, &found);
    m_defaultOutputSeen = QMediaDevices::defaultAudioOutput().id();
    if (!found) {
        qCWarning(lcMedia) << "output device" << m_chosenOutput << "is missing, using the default";
        emit deviceMissing(AudioDevices::Role::Output, m_chosenOutput);
    }
    if (device.isNull()) {
        m_outputInUse.clear();
        emit errorOccurred(tr("No audio output device is available"));
        emit outputDeviceChanged();
        return;
    }
    m_sinkFormat = formatFor(device);
    m_toDevice = std::make_unique<Resampler>(kSampleRate, m_sinkFormat.sampleRate(), 1,
                                             m_sinkFormat.channelCount());
    m_sink = std::make_unique<QAudioSink>(device, m_sinkFormat);
    // PulseAudio's tlength: the target plus one block. Without it Qt 6.4
    // leaves the server's default, about 2 s. The stream starts playing once
    // that much is queued (prebuf), so the first fill is target + one block.
    m_sink->setBufferSize(m_sinkFormat.bytesForDuration(kPlaybackBufferMs * 1000));
    m_sinkStarted = false;
    m_sinkWritten = 0;
    connect(m_sink.get(), &QAudioSink::stateChanged, this, [this](QAudio::State state) {
        // Qt 6.4 in push mode: IdleState after the stream ran dry (reported
        // from PulseAudio's thread, so it arrives queued). The initial Idle
        // of start() comes before anything was written.
        if (state == QAudio::IdleState && m_sinkStarted && m_playing) {
            onUnderrun();
            return;
        }
        if (state == QAudio::StoppedState && m_sink && m_sink->error() != QAudio::NoError &&
            m_playing) {
            qCWarning(lcMedia) << "output device failed:" << m_sink->error() << "- reopening";
            QTimer::singleShot(0, this, [this] {
                closeOutput();
                if (m_playing)
                    openOutput();
            });
        }
    });
    m_pendingOut.clear();
    m_sinkIo = m_sink->start();
    m_outputInUse = device.id();
    qCInfo(lcMedia) << "playing on" << device.description() << m_sinkFormat;
    emit outputDeviceChanged();
}

void DeviceAudioIO::closeOutput()
{
    if (m_sink) {
        m_sink->disconnect(this);
        m_sink->stop();
        m_sink.reset();
    }
    m_sinkIo.clear();
}

void DeviceAudioIO::onUnderrun()
{
    // The stream waits for its prebuffer (tlength) again: filled at once by
    // writePlayback, then it drains to the (raised) target.
    m_sinkStarted = false;
    m_sinkWritten = 0;
    ++m_underruns;
    const int raised = std::min(kPlaybackMaxMs, m_targetMs + kPlaybackStepUpMs);
    qCInfo(lcMedia) << "speaker underrun: playback target" << m_targetMs << "->" << raised << "ms";
    m_targetMs = raised;
    m_sinceTargetChange.restart();
}

qsizetype DeviceAudioIO::queuedOutputBytes() const
{
    // pa_stream_writable_size is what the server asks for to reach tlength.
    return std::max<qsizetype>(0, m_sink->bufferSize() - m_sink->bytesFree()) + m_pendingOut.size();
}

void DeviceAudioIO::writePlayback()
{
    if (!m_sink || !m_sinkIo || !m_source)
        return;
    if (m_targetMs > kPlaybackMinMs && m_sinceTargetChange.elapsed() > kPlaybackCalmMs) {
        m_targetMs = std::max(kPlaybackMinMs, m_targetMs - kPlaybackStepDownMs);
        m_sinceTargetChange.restart();
    }
    // Before the stream plays, write its prebuffer (= tlength) at once, by
    // count: pa_stream_writable_size may say 0 until the server's first
    // request, and a stream short of its prebuffer never starts (it sat at
    // 60 of 80 ms for ~2 s). Then keep it at the target, one whole 20 ms
    // block at a time. (An empty reading of the stream is no sign of an
    // underrun: right after the start it read empty while PulseAudio's first
    // request was being accounted, so only QAudioSink's Idle counts.)
    const qsizetype tlength = m_sink->bufferSize();
    const qsizetype low =
        std::min<qsizetype>(tlength, m_sinkFormat.bytesForDuration(m_targetMs * 1000));
    while (true) {
        if (m_pendingOut.isEmpty()) {
            if (m_sinkStarted ? queuedOutputBytes() >= low : m_sinkWritten >= tlength)
                break;
            const std::span<const int16_t> block = m_source();
            const std::vector<int16_t> converted = m_toDevice->process(block);
            m_pendingOut = QByteArray(reinterpret_cast<const char *>(converted.data()),
                                      qsizetype(converted.size() * sizeof(int16_t)));
            ++m_blocksPlayed;
        }
        const qint64 written = m_sinkIo->write(m_pendingOut);
        if (written <= 0)
            break;
        m_pendingOut.remove(0, written);
        m_sinkWritten += written;
        if (m_sinkWritten >= tlength)
            m_sinkStarted = true;
        if (!m_pendingOut.isEmpty())
            break;
    }
}

void DeviceAudioIO::openInput()
{
    bool found = false;
    const QAudioDevice device =
        AudioDevices::resolve(AudioDevices::Role::Input, m_chosenInput, &found);
    m_defaultInputSeen = QMediaDevices::defaultAudioInput().id();
    if (!found) {
        qCWarning(lcMedia) << "input device" << m_chosenInput << "is missing, using the default";
        emit deviceMissing(AudioDevices::Role::Input, m_chosenInput);
    }
    if (device.isNull()) {
        m_inputInUse.clear();
        emit errorOccurred(tr("No microphone is available"));
        emit inputDeviceChanged();
        return;
    }
    m_sourceFormat = formatFor(device);
    m_fromDevice = std::make_unique<Resampler>(m_sourceFormat.sampleRate(), kSampleRate,
                                               m_sourceFormat.channelCount(), 1);
    m_sourceDev = std::make_unique<QAudioSource>(device, m_sourceFormat);
    m_sourceDev->setBufferSize(m_sourceFormat.bytesForDuration(kCapturePeriodMs * 1000));
    m_sourceIo = m_sourceDev->start();
    if (m_sourceIo)
        connect(m_sourceIo, &QIODevice::readyRead, this, &DeviceAudioIO::readCapture);
    m_inputInUse = device.id();
    qCInfo(lcMedia) << "capturing from" << device.description() << m_sourceFormat;
    emit inputDeviceChanged();
}

void DeviceAudioIO::closeInput()
{
    if (m_sourceDev) {
        m_sourceDev->stop();
        m_sourceDev.reset();
    }
    m_sourceIo.clear();
    m_captured.clear();
}

void DeviceAudioIO::readCapture()
{
    if (!m_sourceIo)
        return;
    const QByteArray bytes = m_sourceIo->readAll();
    const auto *samples = reinterpret_cast<const int16_t *>(bytes.constData());
    // Each block goes out as soon as it is complete: no clock of ours in between.
    const std::vector<int16_t> mono =
        m_fromDevice->process(std::span<const int16_t>(samples, size_t(bytes.size()) / 2));
    m_captured.insert(m_captured.end(), mono.begin(), mono.end());
    if (m_captured.size() > kMaxCaptureBacklog) {
        const size_t drop = m_captured.size() - kCaptureKeep;
        qCInfo(lcMedia) << "capture backlog of" << m_captured.size() / kSamplesPerMs
                        << "ms after a stall: keeping the newest" << kCaptureKeep / kSamplesPerMs;
        m_captured.erase(m_captured.begin(), m_captured.begin() + qsizetype(drop));
    }
    size_t used = 0;
    while (m_captured.size() - used >= m_captureBlock) {
        if (m_handler)
            m_handler(std::span<const int16_t>(m_captured).subspan(used, m_captureBlock));
        used += m_captureBlock;
        ++m_blocksCaptured;
    }
    m_captured.erase(m_captured.begin(), m_captured.begin() + qsizetype(used));
    // The same wakeup tops up the speakers (by index: a handler may stop one).
    for (size_t i = 0; i < t_playing.size(); ++i) {
        DeviceAudioIO *io = t_playing[i];
        io->writePlayback();
        io->m_pump.start(kPumpFallbackMs);
    }
}

void DeviceAudioIO::onOutputsChanged()
{
    if (!m_playing)
        return;
    bool chosenPresent = false;
    AudioDevices::resolve(AudioDevices::Role::Output, m_chosenOutput, &chosenPresent);
    const QByteArray defaultId = QMediaDevices::defaultAudioOutput().id();
    bool inUsePresent = false;
    AudioDevices::resolve(AudioDevices::Role::Output, m_outputInUse, &inUsePresent);
    // Reopen when: the device in use is gone (fall back, the call goes on),
    // the chosen device is back (return to it), or "System default" is
    // chosen and the OS changed its default.
    const bool lost = !inUsePresent || !m_sink;
    const bool chosenBack = isOutputOnFallback() && chosenPresent;
    const bool defaultMoved = m_chosenOutput.isEmpty() && defaultId != m_defaultOutputSeen;
    if (lost || chosenBack || defaultMoved) {
        qCInfo(lcMedia) << "output devices changed: reopening (lost" << lost << "returned"
                        << chosenBack << "default moved" << defaultMoved << ")";
        closeOutput();
        openOutput();
    }
}

void DeviceAudioIO::onInputsChanged()
{
    if (!m_capturing)
        return;
    bool chosenPresent = false;
    AudioDevices::resolve(AudioDevices::Role::Input, m_chosenInput, &chosenPresent);
    const QByteArray defaultId = QMediaDevices::defaultAudioInput().id();
    bool inUsePresent = false;
    AudioDevices::resolve(AudioDevices::Role::Input, m_inputInUse, &inUsePresent);
    const bool lost = !inUsePresent || !m_sourceDev;
    const bool chosenBack = isInputOnFallback() && chosenPresent;
    const bool defaultMoved = m_chosenInput.isEmpty() && defaultId != m_defaultInputSeen;
    if (lost || chosenBack || defaultMoved) {
        closeInput();
        openInput();
    }
}

} // namespace softphone::media
