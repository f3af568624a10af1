#include "RtcpSession.h"

#include "NtpTime.h"

namespace softphone::rtp {

RtcpSession::RtcpSession(quint32 localSsrc, const QByteArray &cname, int clockRate)
    : m_localSsrc(localSsrc)
    , m_cname(cname.left(255))
    , m_clockRate(clockRate)
{
    if (m_cname.isEmpty())
        m_cname = QByteArrayLiteral("softphone");
}

void RtcpSession::onRtpSent(const RtpPacket &packet, qint64 nowUs)
{
    ++m_packetsSent;
    m_octetsSent += quint32(packet.payload.size());
    m_haveSent = true;
    m_lastRtpTimestamp = packet.timestamp;
    m_lastRtpSentUs = nowUs;
    m_reportsSinceSending = 0;
}

void RtcpSession::setRemoteSsrc(quint32 ssrc)
{
    if (m_remoteSsrc == ssrc)
        return;
    m_remoteSsrc = ssrc;
    m_reception.emplace(ssrc, m_clockRate);
}

bool RtcpSession::onRtpReceived(const RtpPacket &packet, qint64 arrivalUs)
{
    if (!m_remoteSsrc)
        setRemoteSsrc(packet.ssrc);
    if (packet.ssrc != *m_remoteSsrc)
        return false;
    return m_reception->onPacket(packet.sequence, packet.timestamp, arrivalUs);
}

const ReceptionStats *RtcpSession::reception() const
{
    return m_reception ? &*m_reception : nullptr;
}

void RtcpSession::onRtcpReceived(const RtcpCompound &compound, qint64 arrivalUs)
{
    auto useBlocks = [&](const std::vector<ReportBlock> &blocks) {
        for (const ReportBlock &block : blocks) {
            if (block.ssrc != m_localSsrc)
                continue;
            m_remote.fractionLostPercent = block.fractionLost * 100.0 / 256.0;
            m_remote.cumulativeLost = block.cumulativeLost;
            m_remote.jitterMs = double(block.jitter) * 1000.0 / m_clockRate;
            if (block.lastSr == 0)
                continue; // no SR of ours reached them yet
            // RTT = A - LSR - DLSR, in 1/65536 s; a "negative" one (clock step,
            // forged block) wraps to a huge value and is ignored.
            const quint32 a = ntp::middle32(ntp::fromUnixMicroseconds(arrivalUs));
            const quint32 rtt = a - block.lastSr - block.delaySinceLastSr;
            if (rtt < 0x80000000u)
                m_remote.roundTripMs = ntp::shortUnitsToMs(rtt);
        }
    };
    for (const SenderReport &sr : compound.senderReports) {
        if (m_remoteSsrc && sr.ssrc == *m_remoteSsrc && m_reception)
            m_reception->onSenderReport(sr.info.ntpTimestamp, arrivalUs);
        useBlocks(sr.reports);
    }
    for (const ReceiverReport &rr : compound.receiverReports)
        useBlocks(rr.reports);
    if (compound.bye && m_remoteSsrc) {
        for (quint32 ssrc : compound.bye->ssrcs)
            m_remoteBye = m_remoteBye || ssrc == *m_remoteSsrc;
    }
}

RtcpCompound RtcpSession::makeReport(qint64 nowUs)
{
    RtcpCompound compound;
    std::vector<ReportBlock> blocks;
    if (m_reception && m_reception->isValid())
        blocks.push_back(m_reception->makeReportBlock(nowUs));
    if (m_haveSent && m_reportsSinceSending < 2) {
        SenderReport sr;
        sr.ssrc = m_localSsrc;
        sr.info.ntpTimestamp = ntp::fromUnixMicroseconds(nowUs);
        // The RTP timestamp of "now", extrapolated from the last packet sent.
        sr.info.rtpTimestamp =
            m_lastRtpTimestamp + quint32((nowUs - m_lastRtpSentUs) * m_clockRate / 1000000);
        sr.info.packetCount = m_packetsSent;
        sr.info.octetCount = m_octetsSent;
        sr.reports = std::move(blocks);
        compound.senderReports.push_back(std::move(sr));
    } else {
        compound.receiverReports.push_back({m_localSsrc, std::move(blocks)});
    }
    ++m_reportsSinceSending;
    compound.sdes.push_back({m_localSsrc, m_cname});
    return compound;
}

RtcpCompound RtcpSession::makeBye(qint64 nowUs, const QByteArray &reason)
{
    RtcpCompound compound = makeReport(nowUs);
    compound.bye = Bye{{m_localSsrc}, reason.left(255)};
    return compound;
}

} // namespace softphone::rtp
