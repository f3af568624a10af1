#pragma once
// What a datagram on the media port is: STUN (ICE checks), DTLS (the key
// exchange), RTP or RTCP (SRTP/SRTCP once keyed). One port carries all of
// them; the first byte tells them apart (RFC 7983), and RTCP is told from
// RTP by its packet type (RFC 5761, RTCP multiplexed on the RTP port).

#include <QByteArray>

namespace softphone::rtp {

enum class PacketKind { Stun, Dtls, Rtp, Rtcp, Unknown };

inline PacketKind classifyPacket(const QByteArray &datagram)
{
    if (datagram.isEmpty())
        return PacketKind::Unknown;
    const auto first = quint8(datagram.at(0));
    if (first <= 3)
        return PacketKind::Stun;
    if (first >= 20 && first <= 63)
        return PacketKind::Dtls;
    if (first >= 128 && first <= 191) {
        if (datagram.size() < 2)
            return PacketKind::Unknown;
        const auto type = quint8(datagram.at(1));
        return (type >= 192 && type <= 223) ? PacketKind::Rtcp : PacketKind::Rtp;
    }
    return PacketKind::Unknown;
}

} // namespace softphone::rtp
