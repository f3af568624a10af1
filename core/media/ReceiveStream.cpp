#include "ReceiveStream.h"

#include "MediaFormat.h"
#include "TelephoneEvent.h"
#include "common/Logging.h"

#include <algorithm>
#include <utility>

namespace softphone::media {

static_assert(kFrameSamples == 960);

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
    m_jitter.put(*frame, arrivalUs);
    return true;
}

QString ReceiveStream::takeDigits()
{
    return std::exchange(m_digits, QString());
}

std::span<const int16_t> ReceiveStream::pullBlock()
{
    const JitterBuffer::Slot slot = m_jitter.get();
    switch (slot.kind) {
    case JitterBuffer::Slot::NotStarted:
        std::fill(m_block.begin(), m_block.end(), int16_t(0));
        break;
    case JitterBuffer::Slot::Frame:
        if (!m_decoder.decode(slot.payload, m_block))
            ++m_concealed;
        break;
    case JitterBuffer::Slot::FecFromNext:
        if (m_decoder.decodeFec(slot.payload, m_block))
            ++m_fecRecovered;
        else
            ++m_concealed;
        break;
    case JitterBuffer::Slot::Lost:
    case JitterBuffer::Slot::Insertion:
        m_decoder.conceal(m_block);
        ++m_concealed;
        break;
    }
    ++m_played;
    return m_block;
}

CallQuality ReceiveStream::quality() const
{
    const JitterBuffer::Stats s = m_jitter.stats();
    CallQuality q;
    q.lossPercent = s.lossPercent();
    q.latePercent = s.latePercent();
    q.jitterMs = s.jitterMs;
    q.bufferDelayMs = s.bufferDelayMs;
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
    m_played = m_fecRecovered = m_concealed = m_malformed = 0;
}

} // namespace softphone::media
