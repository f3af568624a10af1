#include "DeviceAudioIO.h"

#include "PulseStream.h"
#include "common/Logging.h"
#include "media/MediaFormat.h"
#include "media/Resampler.h"

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

// Capture periods (the sound server's fragsize): 10 ms until the session
// says its block (setCapturePeriodMs).
constexpr int kCapturePeriodMs = 10;
// A read that brings more than this means this process stalled while the
// sound server went on recording. Sent on, that backlog would stay in the
// call's delay for good (the far end buffers it): the newest 40 ms are kept.
constexpr size_t kMaxCaptureBacklog = 5 * kFrameSamples;
constexpr size_t kCaptureKeep = 2 * kFrameSamples;
// Playback target: the stream's tlength, the whole latency the server keeps
// queued for us (its sink's buffer included, PA_STREAM_ADJUST_LATENCY). The
// server asks for data in requests of minreq (10 ms) whenever the queue is
// that much below it, so the queue never reads fuller than it is (with Qt's
// QAudioSink, "queued" was tlength minus the writable size, up to one
// default minreq, ~20 ms, above the real queue). It starts at 30 ms and
// follows underruns as WebRTC's audio device module does.
constexpr int kPlaybackStartMs = 30;
constexpr int kPlaybackMinMs = 20;
constexpr int kPlaybackMaxMs = 60;
constexpr int kPlaybackStepUpMs = 20;
constexpr int kPlaybackStepDownMs = 10;
constexpr qint64 kPlaybackCalmMs = 20000;
constexpr int kPlaybackRequestMs = 10;
// A stream that failed (its device went without the server moving it, the
// server restarted) is opened again kReopenMs later; after each further failure
// in a row the wait doubles, up to kReopenMaxMs. A stream that is not ready
// kReadyMs after it was opened has failed.
constexpr int kReopenMs = 200;
constexpr int kReopenMaxMs = 5000;
constexpr int kReadyMs = 2000;
// Blocks written in one request at most (the first fills the whole target).
constexpr int kMaxBlocksPerWrite = 16;
} // namespace

DeviceAudioIO::DeviceAudioIO(QObject *parent)
    : QObject(parent)
    , m_media(new QMediaDevices(this))
    , m_targetMs(kPlaybackStartMs)
    , m_capturePeriodMs(kCapturePeriodMs)
{
    m_sinceTargetChange.start();
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
        double(m_sourceFormat.durationForBytes(qint32(m_sourceDev->readableBytes()))) / 1000.0;
    return device + double(m_captured.size()) / kSamplesPerMs;
}

double DeviceAudioIO::playbackBufferMs() const
{
    if (!m_sink)
        return -1;
    // What the server holds of its target: the target less what it asked
    // for and was not written yet.
    const qsizetype target = qsizetype(m_sink->targetBytes());
    const qsizetype queued = std::max<qsizetype>(0, target - qsizetype(m_sink->writableBytes()));
    return double(m_sinkFormat.durationForBytes(qint32(queued))) / 1000.0;
}

void DeviceAudioIO::startPlayback(const QByteArray &chosenOutputId, PlaybackSource source)
{
    closeOutput();
    m_chosenOutput = chosenOutputId;
    m_source = std::move(source);
    m_playing = true;
    openOutput();
    m_watch.start();
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

void DeviceAudioIO::setCapturePeriodMs(int ms)
{
    if (ms <= 0 || ms == m_capturePeriodMs)
        return;
    m_capturePeriodMs = ms;
    if (m_sourceDev)
        m_sourceDev->setRequestMs(ms);
}

void DeviceAudioIO::stop()
{
    m_playing = m_capturing = false;
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
    PulseStream::Settings settings;
    settings.direction = PulseStream::Direction::Playback;
    settings.device = device.id();
    settings.sampleRate = m_sinkFormat.sampleRate();
    settings.channels = m_sinkFormat.channelCount();
    settings.targetMs = m_targetMs;
    settings.requestMs = kPlaybackRequestMs;
    PulseStream::Callbacks callbacks;
    callbacks.writable = [this] { writePlayback(); };
    callbacks.underflow = [this] { onUnderrun(); };
    callbacks.failed = [this](const QString &why) { onOutputFailed(why); };
    m_sink = std::make_unique<PulseStream>(settings, std::move(callbacks));
    expectReady(true);
    m_outputInUse = device.id();
    qCInfo(lcMedia) << "playing on" << device.description() << m_sinkFormat;
    emit outputDeviceChanged();
}

void DeviceAudioIO::closeOutput()
{
    m_sink.reset();
}

void DeviceAudioIO::onOutputFailed(const QString &why)
{
    reopenLater(true, why);
}

void DeviceAudioIO::onUnderrun()
{
    // The server waits for its prebuffer again, asks for it, and the stream
    // plays on at the raised target.
    ++m_underruns;
    const int raised = std::min(kPlaybackMaxMs, m_targetMs + kPlaybackStepUpMs);
    qCInfo(lcMedia) << "speaker underrun: playback target" << m_targetMs << "->" << raised << "ms";
    if (raised != m_targetMs && m_sink)
        m_sink->setTargetMs(raised);
    m_targetMs = raised;
    m_sinceTargetChange.restart();
}

void DeviceAudioIO::writePlayback()
{
    if (!m_sink || !m_source)
        return;
    if (m_targetMs > kPlaybackMinMs && m_sinceTargetChange.elapsed() > kPlaybackCalmMs) {
        m_targetMs = std::max(kPlaybackMinMs, m_targetMs - kPlaybackStepDownMs);
        m_sink->setTargetMs(m_targetMs);
        m_sinceTargetChange.restart();
    }
    // Whole blocks, as many as the server asked for (the last may go past
    // it by less than a block: the next request is then smaller).
    for (int n = 0; n < kMaxBlocksPerWrite && m_sink->writableBytes() > 0; ++n) {
        const std::span<const int16_t> block = m_source();
        if (block.empty())
            break;
        const std::vector<int16_t> converted = m_toDevice->process(block);
        if (!m_sink->write(converted.data(), converted.size()))
            break;
        ++m_blocksPlayed;
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
    PulseStream::Settings settings;
    settings.direction = PulseStream::Direction::Record;
    settings.device = device.id();
    settings.sampleRate = m_sourceFormat.sampleRate();
    settings.channels = m_sourceFormat.channelCount();
    settings.requestMs = m_capturePeriodMs;
    PulseStream::Callbacks callbacks;
    callbacks.readable = [this] { readCapture(); };
    callbacks.failed = [this](const QString &why) { onInputFailed(why); };
    m_sourceDev = std::make_unique<PulseStream>(settings, std::move(callbacks));
    expectReady(false);
    m_inputInUse = device.id();
    qCInfo(lcMedia) << "capturing from" << device.description() << m_sourceFormat;
    emit inputDeviceChanged();
}

void DeviceAudioIO::closeInput()
{
    m_sourceDev.reset();
    m_captured.clear();
}

void DeviceAudioIO::onInputFailed(const QString &why)
{
    reopenLater(false, why);
}

void DeviceAudioIO::reopenLater(bool output, const QString &why)
{
    ++(output ? m_outputOpens : m_inputOpens); // its readiness deadline no longer counts
    const int delay = nextReopenDelay(output ? m_outputFailures : m_inputFailures);
    qCWarning(lcMedia) << (output ? "output" : "input") << "stream failed:" << why
                       << "- reopening in" << delay << "ms";
    // Not at once: this may run inside the stream's callback.
    QTimer::singleShot(delay, this, [this, output] {
        const bool wanted = output ? m_playing : m_capturing;
        const PulseStream *stream = output ? m_sink.get() : m_sourceDev.get();
        if (!wanted || (stream && stream->isReady()))
            return;
        if (output) {
            closeOutput();
            openOutput();
        } else {
            closeInput();
            openInput();
        }
    });
}

void DeviceAudioIO::expectReady(bool output)
{
    const quint64 opened = output ? ++m_outputOpens : ++m_inputOpens;
    QTimer::singleShot(kReadyMs, this, [this, output, opened] {
        const PulseStream *stream = output ? m_sink.get() : m_sourceDev.get();
        const quint64 latest = output ? m_outputOpens : m_inputOpens;
        if (!stream || opened != latest)
            return; // closed or opened again since
        if (stream->isReady()) {
            (output ? m_outputFailures : m_inputFailures) = 0;
            return;
        }
        const QString why = QStringLiteral("not ready %1 ms after it was opened").arg(kReadyMs);
        if (output)
            onOutputFailed(why);
        else
            onInputFailed(why);
    });
}

int DeviceAudioIO::nextReopenDelay(int &failuresInARow) const
{
    const int delay = std::min(kReopenMaxMs, kReopenMs << std::min(failuresInARow, 5));
    ++failuresInARow;
    return delay;
}

void DeviceAudioIO::readCapture()
{
    if (!m_sourceDev)
        return;
    m_raw.clear();
    m_sourceDev->readAll(m_raw);
    if (m_raw.empty())
        return;
    // Each block goes out as soon as it is complete: no clock of ours in between.
    const std::vector<int16_t> mono = m_fromDevice->process(m_raw);
    m_captured.insert(m_captured.end(), mono.begin(), mono.end());
    if (m_captured.size() > kMaxCaptureBacklog) {
        const size_t drop = m_captured.size() - kCaptureKeep;
        qCInfo(lcMedia) << "capture backlog of" << m_captured.size() / kSamplesPerMs
                        << "ms after a stall: keeping the newest" << kCaptureKeep / kSamplesPerMs;
        m_captured.erase(m_captured.begin(), m_captured.begin() + qsizetype(drop));
    }
    // The handler may stop this capture (m_captured is then cleared).
    size_t used = 0;
    while (m_capturing && m_captured.size() - used >= m_captureBlock) {
        const std::vector<int16_t> block(m_captured.begin() + qsizetype(used),
                                         m_captured.begin() + qsizetype(used + m_captureBlock));
        used += m_captureBlock;
        ++m_blocksCaptured;
        if (m_handler)
            m_handler(block);
    }
    if (m_capturing)
        m_captured.erase(m_captured.begin(),
                         m_captured.begin() + qsizetype(std::min(used, m_captured.size())));
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
