#pragma once
// What a receiver knows about one RTP source, kept as RFC 3550 appendix A
// does it: extended sequence numbers with probation, reordering and restart
// (A.1), expected and lost packets per report interval (A.3), interarrival
// jitter (A.8), and the LSR/DLSR of the source's last sender report, so a
// reception report block can be made at any time.

#include "RtcpPacket.h"

#include <QtGlobal>

namespace softphone::rtp {

class ReceptionStats
{
public:
    static constexpr int kMinSequential = 2; // packets in order before a source is valid
    static constexpr int kMaxDropout = 3000;
    static constexpr int kMaxMisorder = 100;

    explicit ReceptionStats(quint32 ssrc = 0, int clockRate = 48000);

    // One RTP packet of this source arrived at arrivalUs (any monotonic
    // microsecond clock). False when A.1 does not count it (probation, a jump
    // not yet confirmed, a duplicate or a very late packet).
    bool onPacket(quint16 sequence, quint32 rtpTimestamp, qint64 arrivalUs);
    // The source's sender report arrived (its NTP time, our clock at arrival).
    void onSenderReport(quint64 ntpTimestamp, qint64 arrivalUs);

    // The report block as of nowUs; starts a new interval for fractionLost.
    ReportBlock makeReportBlock(qint64 nowUs);

    quint32 ssrc() const { return m_ssrc; }
    bool isValid() const { return m_probation == 0; }
    quint32 extendedHighestSequence() const { return m_cycles + m_maxSeq; }
    qint64 expected() const;
    qint64 received() const { return m_received; }
    qint64 cumulativeLost() const { return expected() - m_received; }
    // Interarrival jitter in timestamp units and in milliseconds.
    quint32 jitter() const { return m_jitter >> 4; }
    double jitterMs() const { return double(jitter()) * 1000.0 / m_clockRate; }

private:
    void initSequence(quint16 sequence);

    quint32 m_ssrc;
    int m_clockRate;
    quint16 m_maxSeq = 0;
    quint32 m_cycles = 0; // shifted count of sequence number cycles
    quint32 m_baseSeq = 0;
    quint32 m_badSeq = 0;
    int m_probation = kMinSequential;
    qint64 m_received = 0;
    qint64 m_expectedPrior = 0;
    qint64 m_receivedPrior = 0;
    bool m_started = false;
    bool m_haveTransit = false;
    qint64 m_transit = 0;
    quint32 m_jitter = 0; // scaled by 16, as in A.8
    quint32 m_lastSr = 0;
    qint64 m_lastSrArrivalUs = 0;
};

} // namespace softphone::rtp
