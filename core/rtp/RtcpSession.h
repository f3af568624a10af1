#pragma once
// The RTCP side of one RTP session with one remote party (a call's voice):
// it counts what we send and receive, makes the compound report to send
// (SR when we sent media since the report before last, else RR, always with
// SDES CNAME), and reads the far end's reports: the loss and jitter it saw
// of our stream, and the round-trip time from LSR/DLSR (RFC 3550 6.4.1).
// Times are microseconds on the wall clock (Unix epoch), because the NTP
// timestamps of sender reports are wall-clock times.

#include "ReceptionStats.h"
#include "RtcpPacket.h"
#include "RtpPacket.h"

#include <optional>

namespace softphone::rtp {

class RtcpSession
{
public:
    // What the far end reported about our stream, with the round-trip time.
    struct RemoteView
    {
        double fractionLostPercent = 0; // in the far end's last interval
        qint32 cumulativeLost = 0;
        double jitterMs = 0;
        std::optional<double> roundTripMs;
    };

    // RFC 3550 6.2 with a 5 s minimum; a call with two parties stays at it.
    static constexpr qint64 kReportIntervalUs = 5'000'000;

    RtcpSession(quint32 localSsrc, const QByteArray &cname, int clockRate = 48000);

    void onRtpSent(const RtpPacket &packet, qint64 nowUs);
    // False when the packet was not counted (another source, probation...).
    bool onRtpReceived(const RtpPacket &packet, qint64 arrivalUs);
    void onRtcpReceived(const RtcpCompound &compound, qint64 arrivalUs);

    RtcpCompound makeReport(qint64 nowUs);
    // A compound with BYE for our source, to send when the call ends.
    RtcpCompound makeBye(qint64 nowUs, const QByteArray &reason = {});

    quint32 localSsrc() const { return m_localSsrc; }
    // The source we receive from: the first one heard, or set from signaling.
    std::optional<quint32> remoteSsrc() const { return m_remoteSsrc; }
    void setRemoteSsrc(quint32 ssrc);
    const ReceptionStats *reception() const;
    const RemoteView &remoteView() const { return m_remote; }
    bool remoteSaidBye() const { return m_remoteBye; }
    quint32 packetsSent() const { return m_packetsSent; }
    quint32 octetsSent() const { return m_octetsSent; }

private:
    quint32 m_localSsrc;
    QByteArray m_cname;
    int m_clockRate;
    std::optional<quint32> m_remoteSsrc;
    std::optional<ReceptionStats> m_reception;
    RemoteView m_remote;
    bool m_remoteBye = false;
    quint32 m_packetsSent = 0;
    quint32 m_octetsSent = 0;
    bool m_haveSent = false;
    quint32 m_lastRtpTimestamp = 0;
    qint64 m_lastRtpSentUs = 0;
    int m_reportsSinceSending = 2; // SR while fewer than 2 reports since the last send
};

} // namespace softphone::rtp
