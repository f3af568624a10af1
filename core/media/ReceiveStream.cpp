#include "ReceiveStream.h"

#include "MediaFormat.h"
#include "TelephoneEvent.h"
#include "common/Logging.h"

#include <algorithm>
#include <utility>

namespace softphone::media {

ReceiveStream::ReceiveStream()
{
    m_clock.start();
}

bool ReceiveStream::pushPacket(const QByteArray &wire, QString *error)
{
    return pushPacket(wire, m_clock.nsecsElapsed() / 1000, error);
}

bool ReceiveStream::pushPacket(const QByteArray &wire, qint64 arrivalUs, QString *error)
{
    auto frame = MediaFrame::decode(wire, error);
    if (frame && frame->streamId != m_streamId) {
        if (error)
            *error = QStringLiteral("media frame of another stream");
        frame.reset();
    }
    if (!frame) {
        ++m_malformed;
        return false;
    }
    if (frame->telephoneEvent) {
        // Its sequence number is the stream's; its timestamp, the event's
        // start, is the same in each packet of one key press.
        m_jitter.countSequence(frame->sequence);
        if (m_lastEventTimestamp != frame->timestamp) {
            m_lastEventTimestamp = frame->timestamp;
            const auto event = TelephoneEvent::decode(frame->payload);
            if (event && m_digits.size() < kMaxDigitsKept)
                m_digits += TelephoneEvent::digitOf(event->event);
        }
        return true;
    }
    if (!isFrameSize(size_t(frame->durationSamples()))) {
        if (error)
            *error = QStringLiteral("an Opus frame of %1 samples (10 or 20 ms are taken)")
                         .arg(frame->durationSamples());
        ++m_malformed;
        return false;
    }
    m_jitter.put(*frame, arrivalUs);
    return true;
}

QString ReceiveStream::takeDigits()
{
    return std::exchange(m_digits, QString());
}

void ReceiveStream::decodeNext()
{
    const JitterBuffer::Slot slot = m_jitter.get();
    const std::span<int16_t> out =
        std::span<int16_t>(m_decoded).subspan(m_decodedCount, size_t(slot.samples));
    switch (slot.kind) {
    case JitterBuffer::Slot::NotStarted:
        std::fill(out.begin(), out.end(), int16_t(0));
        break;
    case JitterBuffer::Slot::Frame:
        if (!m_decoder.decode(slot.payload, out))
            ++m_concealed;
        break;
    case JitterBuffer::Slot::FecFromNext:
        if (m_decoder.decodeFec(slot.payload, out))
            ++m_fecRecovered;
        else
            ++m_concealed;
        break;
    case JitterBuffer::Slot::Lost:
    case JitterBuffer::Slot::Insertion:
        m_decoder.conceal(out);
        ++m_concealed;
        break;
    }
    m_decodedCount += out.size();
}

std::span<const int16_t> ReceiveStream::pullBlock(size_t samples)
{
    if (!isFrameSize(samples))
        samples = kFrameSamples;
    // At most two steps: a 20 ms block of 10 ms frames.
    while (m_decodedCount < samples)
        decodeNext();
    std::copy_n(m_decoded.begin(), samples, m_block.begin());
    std::copy(m_decoded.begin() + qsizetype(samples), m_decoded.begin() + qsizetype(m_decodedCount),
              m_decoded.begin());
    m_decodedCount -= samples;
    ++m_played;
    return std::span<const int16_t>(m_block).first(samples);
}

CallQuality ReceiveStream::quality() const
{
    const JitterBuffer::Stats s = m_jitter.stats();
    CallQuality q;
    // Until a RecentQuality narrows them, the recent figures are the totals.
    q.lossPercent = q.totalLossPercent = s.lossPercent();
    q.latePercent = q.totalLatePercent = s.latePercent();
    q.framesExpected = s.expected;
    q.framesLate = s.late;
    q.jitterMs = s.jitterMs;
    // Decoded audio not yet played (part of a 20 ms frame) waits as well.
    q.bufferDelayMs = s.bufferDelayMs + double(m_decodedCount) / kSamplesPerMs;
    q.driftDropped = s.drifted;
    q.roundTripMs = m_roundTripMs;
    q.framesReceived = s.received;
    q.framesPlayed = m_played;
    q.fecRecovered = m_fecRecovered;
    q.concealed = m_concealed;
    q.malformed = m_malformed;
    return q;
}

void ReceiveStream::reset()
{
    m_jitter.reset();
    m_decodedCount = 0;
    m_played = m_fecRecovered = m_concealed = m_malformed = 0;
}

} // namespace softphone::media
