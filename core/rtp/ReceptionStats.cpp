#include "ReceptionStats.h"

#include "NtpTime.h"

#include <algorithm>
#include <cstdlib>

namespace softphone::rtp {

namespace {
constexpr quint32 kSeqMod = 1u << 16;
}

ReceptionStats::ReceptionStats(quint32 ssrc, int clockRate)
    : m_ssrc(ssrc)
    , m_clockRate(clockRate)
{}

void ReceptionStats::initSequence(quint16 sequence)
{
    m_baseSeq = sequence;
    m_maxSeq = sequence;
    m_badSeq = kSeqMod + 1; // so sequence == bad_seq is false
    m_cycles = 0;
    m_received = 0;
    m_receivedPrior = 0;
    m_expectedPrior = 0;
}

bool ReceptionStats::onPacket(quint16 sequence, quint32 rtpTimestamp, qint64 arrivalUs)
{
    if (!m_started) {
        m_started = true;
        initSequence(sequence);
        m_maxSeq = quint16(sequence - 1);
        m_probation = kMinSequential;
    }
    const quint16 udelta = quint16(sequence - m_maxSeq);
    bool counted = true;
    if (m_probation) {
        // The source becomes valid after kMinSequential packets in sequence.
        if (sequence == quint16(m_maxSeq + 1)) {
            --m_probation;
            m_maxSeq = sequence;
            if (m_probation == 0) {
                initSequence(sequence);
                ++m_received;
            } else {
                counted = false;
            }
        } else {
            m_probation = kMinSequential - 1;
            m_maxSeq = sequence;
            counted = false;
        }
        if (!counted)
            return false;
    } else if (udelta < kMaxDropout) {
        if (sequence < m_maxSeq)
            m_cycles += kSeqMod; // wrapped
        m_maxSeq = sequence;
        ++m_received;
    } else if (udelta <= kSeqMod - kMaxMisorder) {
        // A large jump: the source restarted if the next packet follows it.
        if (sequence == m_badSeq) {
            initSequence(sequence);
            m_haveTransit = false;
            ++m_received;
        } else {
            m_badSeq = (sequence + 1) & (kSeqMod - 1);
            return false;
        }
    } else {
        // Duplicate or reordered: counted as received (A.3 lets "lost" go negative).
        ++m_received;
    }

    // A.8: transit time on the RTP clock; jitter moves 1/16 of the way to |D|.
    // (Split so that wall-clock microseconds times the rate cannot overflow.)
    const qint64 arrival =
        arrivalUs / 1000000 * m_clockRate + arrivalUs % 1000000 * m_clockRate / 1000000;
    const qint64 transit = arrival - qint64(rtpTimestamp);
    if (m_haveTransit) {
        qint64 d = transit - m_transit;
        // Timestamps wrap at 2^32: keep the difference in the signed 32-bit range.
        d = qint64(qint32(quint32(d)));
        const quint32 absD = quint32(std::llabs(d));
        m_jitter += absD - ((m_jitter + 8) >> 4);
    }
    m_transit = transit;
    m_haveTransit = true;
    return true;
}

void ReceptionStats::onSenderReport(quint64 ntpTimestamp, qint64 arrivalUs)
{
    m_lastSr = ntp::middle32(ntpTimestamp);
    m_lastSrArrivalUs = arrivalUs;
}

qint64 ReceptionStats::expected() const
{
    if (!m_started || m_probation)
        return 0;
    return qint64(extendedHighestSequence()) - qint64(m_baseSeq) + 1;
}

ReportBlock ReceptionStats::makeReportBlock(qint64 nowUs)
{
    ReportBlock block;
    block.ssrc = m_ssrc;
    const qint64 expectedNow = expected();
    block.cumulativeLost =
        qint32(std::clamp(expectedNow - m_received, qint64(ReportBlock::kMinCumulativeLost),
                          qint64(ReportBlock::kMaxCumulativeLost)));
    const qint64 expectedInterval = expectedNow - m_expectedPrior;
    const qint64 receivedInterval = m_received - m_receivedPrior;
    m_expectedPrior = expectedNow;
    m_receivedPrior = m_received;
    const qint64 lostInterval = expectedInterval - receivedInterval;
    block.fractionLost = (expectedInterval == 0 || lostInterval <= 0)
                             ? 0
                             : quint8(qMin<qint64>(255, (lostInterval << 8) / expectedInterval));
    block.highestSequence = extendedHighestSequence();
    block.jitter = jitter();
    if (m_lastSr) {
        block.lastSr = m_lastSr;
        block.delaySinceLastSr = ntp::toShortUnits(nowUs - m_lastSrArrivalUs);
    }
    return block;
}

} // namespace softphone::rtp
