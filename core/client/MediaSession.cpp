#include "MediaSession.h"

#include "common/Logging.h"
#include "media/MediaFormat.h"

#include <QRandomGenerator>
#include <algorithm>
#include <array>

namespace softphone::client {

namespace {
// After a stall the clock catches up with a burst, but never more than this
// many blocks at once; beyond 2 s behind it skips (the audio is stale anyway).
constexpr int kMaxCatchUpBlocks = 25;
constexpr qint64 kMaxBacklogBlocks = 100;
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
    m_sourceClocked = m_source && m_source->setBlockReady([this] { sendBlock(); });
    const bool acoustic = m_source && m_source->isAcoustic();
    if (acoustic != m_acoustic) {
        m_acoustic = acoustic;
        m_send->setEchoCancellation(acoustic);
        m_send->setNoiseSuppression(acoustic);
    }
}

void MediaSession::setSink(std::shared_ptr<AudioSink> sink)
{
    if (m_sink)
        m_sink->setPull({});
    m_sink = std::move(sink);
    m_sinkClocked = m_sink && m_sink->setPull([this] { return playBlock(); });
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
    for (const QChar digit : m_receive.takeDigits())
        emit digitReceived(digit);
}

void MediaSession::tick()
{
    const qint64 due = m_clock.elapsed() / media::kFrameMs + 1;
    if (due - m_blocksDone > kMaxBacklogBlocks) {
        m_skippedBlocks += quint64(due - m_blocksDone - 1);
        qCWarning(lcMedia) << "audio clock stalled; skipping" << (due - m_blocksDone - 1)
                           << "blocks";
        m_blocksDone = due - 1;
    }
    for (int n = 0; m_blocksDone < due && n < kMaxCatchUpBlocks; ++n, ++m_blocksDone)
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
    std::array<int16_t, media::kFrameSamples> block{};
    if (m_source)
        m_source->read(block);
    const QByteArray frame = m_send->processCapture(block);
    const bool lost =
        m_testLossPercent > 0 && int(QRandomGenerator::global()->bounded(100)) < m_testLossPercent;
    if (!frame.isEmpty() && m_sender && !lost)
        m_sender(frame);
}

std::span<const int16_t> MediaSession::playBlock()
{
    const std::span<const int16_t> heard = cues(m_receive.pullBlock());
    if (m_acoustic)
        m_send->processPlayback(heard); // the echo reference
    return heard;
}

std::span<const int16_t> MediaSession::cues(std::span<const int16_t> heard)
{
    if (!isOnHold() && !m_waitingTone)
        return heard;
    // On hold the stream is still pulled (its clock runs on, late frames are
    // used up) but not played.
    if (isOnHold())
        m_cueBlock.fill(0);
    else
        std::copy(heard.begin(), heard.end(), m_cueBlock.begin());
    std::array<int16_t, media::kFrameSamples> tone{};
    for (auto *generator :
         {m_holdTone ? &*m_holdTone : nullptr, m_waitingTone ? &*m_waitingTone : nullptr}) {
        if (!generator)
            continue;
        generator->fill(tone);
        for (size_t i = 0; i < tone.size(); ++i)
            m_cueBlock[i] = int16_t(std::clamp(int(m_cueBlock[i]) + tone[i], -32768, 32767));
    }
    return m_cueBlock;
}

void MediaSession::refreshQuality()
{
    if (m_roundTrip)
        m_receive.setRoundTripMs(m_roundTrip());
    m_quality = m_receive.quality();
    m_quality.framesSent = m_send->framesSent();
    if (m_source)
        m_source->fillDelays(m_quality);
    if (m_sink)
        m_sink->fillDelays(m_quality);
    emit qualityChanged();
}

} // namespace softphone::client
