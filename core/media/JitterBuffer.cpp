#include "JitterBuffer.h"

#include "MediaFormat.h"
#include "common/Logging.h"

#include <cmath>
#include <cstdlib>
#include <speex/speex_jitter.h>

namespace softphone::media {

namespace {
// Late frames that keep coming for this long (arrival time), with nothing
// buffered ahead of the play point, mean the play point is ahead of the
// sender rather than a burst of delayed frames: see put().
constexpr qint64 kResyncAfterLateUs = 60000;

// Drift and backlogs: when at least kExcessMs of frames were waiting after
// every play step of a window (kDriftWindowMs), the frames beyond one less
// than that were never needed against jitter: they are dropped at once (one
// skip rather than a steady crackle). Speexdsp's own choice (one frame on a
// clean path, more with jitter) stays below that, so the two do not fight.
// 3 frames of 20 ms, 6 of 10 ms.
constexpr int kExcessMs = 60;
constexpr int kDriftWindowMs = 1000;

// Serial-number comparison for 32-bit timestamps that wrap.
bool before(quint32 a, quint32 b)
{
    return qint32(a - b) < 0;
}
} // namespace

double JitterBuffer::Stats::lossPercent() const
{
    if (expected == 0 || received >= expected)
        return 0;
    return 100.0 * double(expected - received) / double(expected);
}

double JitterBuffer::Stats::latePercent() const
{
    return expected == 0 ? 0 : 100.0 * double(late) / double(expected);
}

JitterBuffer::JitterBuffer(int marginMs)
    : m_marginMs(marginMs)
{
    createSpeex();
}

void JitterBuffer::createSpeex()
{
    if (m_jb)
        jitter_buffer_destroy(m_jb);
    m_jb = jitter_buffer_init(m_frameSamples);
    spx_int32_t margin = m_marginMs * kSamplesPerMs;
    jitter_buffer_ctl(m_jb, JITTER_BUFFER_SET_MARGIN, &margin);
    spx_int32_t concealment = m_frameSamples;
    jitter_buffer_ctl(m_jb, JITTER_BUFFER_SET_CONCEALMENT_SIZE, &concealment);
}

void JitterBuffer::useFrameSize(int samples)
{
    // The sender changed its frame duration (its path changed: 10 ms peer to
    // peer, 20 ms on a relay). Speexdsp works in one step size, so it starts
    // over at this frame; what waited of the old size is dropped (a frame or
    // two, once per path change).
    if (samples == m_frameSamples || !isFrameSize(size_t(samples)))
        return;
    if (m_stats.received > 1)
        qCInfo(lcMedia) << "jitter buffer: the sender's frames are now" << samples / kSamplesPerMs
                        << "ms";
    m_frameSamples = samples;
    createSpeex();
    m_pending.clear();
    m_started = false;
    m_driftSteps = 0;
}

JitterBuffer::~JitterBuffer()
{
    jitter_buffer_destroy(m_jb);
}

void JitterBuffer::reset()
{
    jitter_buffer_reset(m_jb);
    m_pending.clear();
    m_started = false;
    m_stats = {};
    m_haveTransit = false;
    m_jitter = 0;
    m_lateRun = 0;
    m_driftSteps = 0;
}

int JitterBuffer::framesWaiting() const
{
    if (!m_started || m_pending.empty() || before(m_newestTimestamp, m_playTimestamp))
        return 0;
    return int((m_newestTimestamp + quint32(m_frameSamples) - m_playTimestamp) /
               quint32(m_frameSamples));
}

int JitterBuffer::framesToDrop()
{
    const int frameMs = m_frameSamples / kSamplesPerMs;
    const int excessFrames = kExcessMs / frameMs;
    const int waiting = framesWaiting();
    m_driftLeast = m_driftSteps == 0 ? waiting : std::min(m_driftLeast, waiting);
    if (++m_driftSteps < kDriftWindowMs / frameMs)
        return 0;
    m_driftSteps = 0;
    return m_driftLeast >= excessFrames ? m_driftLeast - (excessFrames - 1) : 0;
}

void JitterBuffer::countSequence(quint16 sequence)
{
    ++m_stats.received;
    if (m_stats.received == 1) {
        m_baseSeq = sequence;
        m_maxSeq = sequence;
        m_cycles = 0;
    } else {
        const quint16 delta = quint16(sequence - m_maxSeq);
        if (delta != 0 && delta < 0x8000) {
            if (sequence < m_maxSeq)
                m_cycles += 0x10000;
            m_maxSeq = sequence;
        }
    }
    m_stats.expected = quint64(m_cycles) + m_maxSeq - m_baseSeq + 1;
}

void JitterBuffer::updateArrivalStats(const MediaFrame &frame, qint64 arrivalUs)
{
    countSequence(frame.sequence);

    // Transit time in timestamp units; jitter is the smoothed change of it.
    const qint64 arrival = arrivalUs * kSampleRate / 1000000;
    const qint64 transit = arrival - qint64(frame.timestamp);
    if (m_haveTransit) {
        const double d = std::abs(double(qint32(transit - m_lastTransit)));
        m_jitter += (d - m_jitter) / 16.0;
    }
    m_haveTransit = true;
    m_lastTransit = transit;
    m_stats.jitterMs = m_jitter / kSamplesPerMs;
}

void JitterBuffer::put(const MediaFrame &frame, qint64 arrivalUs)
{
    updateArrivalStats(frame, arrivalUs);
    if (m_started && before(frame.timestamp, m_playTimestamp)) {
        // Its slot was already played (or concealed): useless now.
        ++m_stats.late;
        // A sender that stalled sends its backlog in one burst: those frames
        // are late together and the next ones are on time again. If instead
        // frames stay late while time passes, the play point ran ahead of the
        // sender (this side stalled, and the catch-up burst played out slots
        // before the frames waiting in the socket were read): every frame
        // would be late for the rest of the call. Then start again here.
        if (!m_lateRun)
            m_lateSinceUs = arrivalUs;
        ++m_lateRun;
        if (!m_pending.empty() || arrivalUs - m_lateSinceUs < kResyncAfterLateUs)
            return;
        qCInfo(lcMedia) << "jitter buffer: play point ahead of the sender by"
                        << double(m_playTimestamp - frame.timestamp) / kSamplesPerMs
                        << "ms; restarting";
        jitter_buffer_reset(m_jb);
        m_started = false;
        m_driftSteps = 0;
        ++m_stats.resyncs;
    }
    m_lateRun = 0;
    useFrameSize(frame.durationSamples());
    if (m_pending.contains(frame.timestamp)) {
        ++m_stats.duplicates;
        return;
    }
    if (m_pending.empty() || before(m_newestTimestamp, frame.timestamp))
        m_newestTimestamp = frame.timestamp;
    const auto added = m_pending.emplace(frame.timestamp, Pending{frame.payload, frame.sequence});
    putIntoSpeex(added.first->first, added.first->second);
}

void JitterBuffer::putIntoSpeex(quint32 timestamp, const Pending &frame)
{
    JitterBufferPacket packet{};
    packet.data = const_cast<char *>(frame.payload.constData()); // speexdsp copies it
    packet.len = spx_uint32_t(frame.payload.size());
    packet.timestamp = timestamp;
    packet.span = spx_uint32_t(m_frameSamples);
    packet.sequence = frame.sequence;
    jitter_buffer_put(m_jb, &packet);
}

void JitterBuffer::restartAt(quint32 timestamp)
{
    jitter_buffer_reset(m_jb);
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        if (before(it->first, timestamp)) {
            it = m_pending.erase(it);
            continue;
        }
        putIntoSpeex(it->first, it->second);
        ++it;
    }
}

JitterBuffer::Slot JitterBuffer::get()
{
    Slot slot;
    slot.samples = m_frameSamples;
    char buffer[MediaFrame::kMaxPayloadSize];
    JitterBufferPacket packet{};
    packet.data = buffer;
    packet.len = sizeof buffer;
    spx_int32_t offset = 0;
    int ret = jitter_buffer_get(m_jb, &packet, m_frameSamples, &offset);
    jitter_buffer_tick(m_jb);
    if (const int drop = ret == JITTER_BUFFER_OK && m_started ? framesToDrop() : 0; drop > 0) {
        // Never needed: skip this frame and the next drop - 1, play the one
        // after. speexdsp starts over there: its arrival statistics still
        // describe the backlog, and left alone it would skip that much a
        // second time, ahead of the sender (then every frame is late).
        m_stats.drifted += quint64(drop);
        restartAt(packet.timestamp + quint32(drop) * quint32(m_frameSamples));
        packet.len = sizeof buffer;
        ret = jitter_buffer_get(m_jb, &packet, m_frameSamples, &offset);
        jitter_buffer_tick(m_jb);
        if (ret != JITTER_BUFFER_OK)
            m_started = false; // nothing left after all: start at the next frame
    }

    if (!m_started) {
        if (ret != JITTER_BUFFER_OK) {
            slot.kind = Slot::NotStarted;
            return slot;
        }
        m_started = true;
    }

    if (ret == JITTER_BUFFER_OK) {
        slot.kind = Slot::Frame;
        slot.timestamp = packet.timestamp;
        slot.sequence = packet.sequence;
        slot.payload = QByteArray(packet.data, qsizetype(packet.len));
        m_playTimestamp = packet.timestamp + quint32(m_frameSamples);
    } else if (ret == JITTER_BUFFER_INSERTION) {
        // The buffer grows its delay by one frame: the play point stays.
        slot.kind = Slot::Insertion;
        slot.timestamp = m_playTimestamp;
    } else {
        slot.kind = Slot::Lost;
        slot.timestamp = packet.timestamp;
        m_playTimestamp = packet.timestamp + quint32(m_frameSamples);
        auto next = m_pending.find(m_playTimestamp);
        if (next != m_pending.end()) {
            slot.kind = Slot::FecFromNext;
            slot.payload = next->second.payload;
        }
    }
    // Forget everything at or before the play point.
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        if (before(it->first, m_playTimestamp))
            it = m_pending.erase(it);
        else
            ++it;
    }
    return slot;
}

JitterBuffer::Stats JitterBuffer::stats() const
{
    Stats s = m_stats;
    if (m_started && !m_pending.empty() && !before(m_newestTimestamp, m_playTimestamp))
        s.bufferDelayMs =
            double(m_newestTimestamp + quint32(m_frameSamples) - m_playTimestamp) / kSamplesPerMs;
    return s;
}

} // namespace softphone::media
