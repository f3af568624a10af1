#include "MediaSession.h"

#include "common/Logging.h"
#include "media/MediaFormat.h"

#include <algorithm>
#include <array>

namespace softphone::client {

namespace {
// After a stall the clock catches up with a burst, but never more than this
// much at once; beyond 2 s behind it skips (the audio is stale anyway).
constexpr int kMaxCatchUpMs = 500;
constexpr qint64 kMaxBacklogMs = 2000;
} // namespace

MediaSession::MediaSession(FrameSender sender, RoundTrip roundTrip, QObject *parent)
    : QObject(parent)
    , m_sender(std::move(sender))
    , m_roundTrip(std::move(roundTrip))
{
    rebuildSender();
    m_clockTimer.setTimerType(Qt::PreciseTimer);
    m_clockTimer.setInterval(media::kFrameMs);
    connect(&m_clockTimer, &QTimer::timeout, this, &MediaSession::tick);
    m_qualityTimer.setInterval(1000);
    connect(&m_qualityTimer, &QTimer::timeout, this, &MediaSession::refreshQuality);
    m_clock.start();
    m_clockTimer.start();
    m_qualityTimer.start();
}

void MediaSession::updateClock()
{
    // With a microphone and a speaker the devices drive both sides: the
    // session's clock would only wake the thread for nothing.
    if (m_sourceClocked && m_sinkClocked) {
        m_clockTimer.stop();
    } else if (!m_clockTimer.isActive()) {
        const int frameMs = frameMsNow();
        m_blocksDone = m_clock.elapsed() / frameMs + 1; // counts from now, no burst
        m_clockTimer.start(frameMs);
    }
}

MediaSession::~MediaSession()
{
    // A sink or source may outlive the session (someone else holds it).
    setSource(nullptr);
    setSink(nullptr);
}

void MediaSession::setSource(std::shared_ptr<AudioSource> source)
{
    if (m_source)
        m_source->setBlockReady({});
    m_source = std::move(source);
    if (m_source)
        m_source->setBlockSamples(m_frameSamples);
    m_sourceClocked = m_source && m_source->setBlockReady([this] { sendBlock(); });
    const bool acoustic = m_source && m_source->isAcoustic();
    if (acoustic != m_acoustic) {
        m_acoustic = acoustic;
        m_send->setProcessing(acoustic, acoustic);
    }
    updateClock();
}

void MediaSession::setSink(std::shared_ptr<AudioSink> sink)
{
    if (m_sink)
        m_sink->setPull({});
    m_sink = std::move(sink);
    m_sinkClocked = m_sink && m_sink->setPull([this] { return playBlock(); });
    updateClock();
}

void MediaSession::setMuted(bool muted)
{
    m_muted = muted;
    m_send->setMuted(muted || isOnHold());
}

void MediaSession::setHold(bool byMe, bool byPeer)
{
    m_holdByMe = byMe;
    m_holdByPeer = byPeer;
    // Nothing goes out on hold, as when muted: the peer sees a gap in time.
    m_send->setMuted(m_muted || isOnHold());
    // The held party hears the tone from its start each time it is put on hold.
    if (byPeer && !byMe) {
        if (!m_holdTone)
            m_holdTone = media::ToneGenerator::hold();
    } else {
        m_holdTone.reset();
    }
}

void MediaSession::setWaitingTone(bool on)
{
    if (!on)
        m_waitingTone.reset();
    else if (!m_waitingTone)
        m_waitingTone = media::ToneGenerator::callWaiting();
}

void MediaSession::setFrameMs(int ms)
{
    const size_t samples = size_t(ms) * media::kSamplesPerMs;
    if (!media::isFrameSize(samples) || samples == m_frameSamples)
        return;
    qCInfo(lcMedia) << "sending" << ms << "ms frames";
    m_frameSamples = samples;
    m_clockTimer.setInterval(ms);
    // The clock counts blocks of the new size from now on.
    m_blocksDone = m_clock.elapsed() / ms + 1;
    if (m_source)
        m_source->setBlockSamples(samples);
}

void MediaSession::rebuildSender()
{
    media::SendStream::Settings settings;
    settings.echoCancellation = m_acoustic;
    settings.noiseSuppression = m_acoustic;
    m_send = std::make_unique<media::SendStream>(settings);
    m_send->setMuted(m_muted || isOnHold());
}

void MediaSession::receive(const QByteArray &frame)
{
    QString error;
    if (!m_receive.pushPacket(frame, &error))
        qCDebug(lcMedia) << "media frame rejected:" << error;
    for (const QChar digit : m_receive.takeDigits()) {
        m_peerSendsEvents = true;
        emit digitReceived(digit);
    }
}

void MediaSession::tick()
{
    const int frameMs = frameMsNow();
    const qint64 due = m_clock.elapsed() / frameMs + 1;
    if (due - m_blocksDone > kMaxBacklogMs / frameMs) {
        m_skippedBlocks += quint64(due - m_blocksDone - 1);
        qCWarning(lcMedia) << "audio clock stalled; skipping" << (due - m_blocksDone - 1)
                           << "blocks";
        m_blocksDone = due - 1;
    }
    for (int n = 0; m_blocksDone < due && n < kMaxCatchUpMs / frameMs; ++n, ++m_blocksDone)
        step();
}

void MediaSession::step()
{
    if (!m_sourceClocked)
        sendBlock();
    if (!m_sinkClocked) {
        const std::span<const int16_t> heard = playBlock();
        if (m_sink)
            m_sink->write(heard);
    }
}

void MediaSession::sendBlock()
{
    std::array<int16_t, media::kFrameSamples> samples{};
    const std::span<int16_t> block = std::span<int16_t>(samples).first(m_frameSamples);
    if (m_source)
        m_source->read(block);
    const QByteArray frame = m_send->processCapture(block);
    if (!frame.isEmpty() && m_sender)
        m_sender(frame);
}

std::span<const int16_t> MediaSession::playBlock()
{
    const std::span<const int16_t> pulled = m_receive.pullBlock(m_frameSamples);
    detectDigits(pulled);
    const std::span<const int16_t> heard = cues(pulled);
    if (m_acoustic)
        m_send->processPlayback(heard); // the echo reference
    return heard;
}

void MediaSession::detectDigits(std::span<const int16_t> heard)
{
    if (m_peerSendsEvents)
        return;
    m_inbandDigits.feed(heard);
    const QString digits = m_inbandDigits.takeDigits();
    if (digits.isEmpty())
        return;
    // A device sink may pull on its own thread: the signal goes out on ours.
    QMetaObject::invokeMethod(this, [this, digits] {
        for (const QChar digit : digits)
            emit digitReceived(digit);
    });
}

std::span<const int16_t> MediaSession::cues(std::span<const int16_t> heard)
{
    if (!isOnHold() && !m_waitingTone)
        return heard;
    // On hold the stream is still pulled (its clock runs on, late frames are
    // used up) but not played.
    const std::span<int16_t> cue = std::span<int16_t>(m_cueBlock).first(heard.size());
    if (isOnHold())
        std::fill(cue.begin(), cue.end(), int16_t(0));
    else
        std::copy(heard.begin(), heard.end(), cue.begin());
    std::array<int16_t, media::kFrameSamples> samples{};
    const std::span<int16_t> tone = std::span<int16_t>(samples).first(heard.size());
    for (auto *generator :
         {m_holdTone ? &*m_holdTone : nullptr, m_waitingTone ? &*m_waitingTone : nullptr}) {
        if (!generator)
            continue;
        generator->fill(tone);
        for (size_t i = 0; i < tone.size(); ++i)
            cue[i] = int16_t(std::clamp(int(cue[i]) + tone[i], -32768, 32767));
    }
    return cue;
}

void MediaSession::refreshQuality()
{
    if (m_roundTrip)
        m_receive.setRoundTripMs(m_roundTrip());
    m_quality = m_receive.quality();
    m_recentQuality.apply(m_quality, m_clock.elapsed());
    m_quality.framesSent = m_send->framesSent();
    if (m_source)
        m_source->fillDelays(m_quality);
    if (m_sink)
        m_sink->fillDelays(m_quality);
    m_quality.frameMs = frameMsNow();
    // The echo canceller is not told captureMs + playbackMs: measured, it did
    // not help (docs/media.md "Echo cancellation", "stream delay").
    emit qualityChanged();
}

} // namespace softphone::client
