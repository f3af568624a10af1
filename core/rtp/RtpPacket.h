#pragma once
// One RTP packet (RFC 3550 section 5.1): the header that numbers, times and
// attributes a media packet, and its payload. Parsing is strict: every length
// field is checked against the bytes present, so a packet from the network
// either parses completely or is refused with a reason. UDP media (SRTP over
// ICE) carries these; the payload of a voice packet is one Opus packet
// (RFC 7587, see OpusRtp.h).

#include <QByteArray>
#include <QString>
#include <cstdint>
#include <optional>
#include <vector>

namespace softphone::rtp {

struct RtpHeaderExtension
{
    quint16 profile = 0; // "defined by profile" (0xBEDE for RFC 8285 one-byte)
    QByteArray data;     // a multiple of 4 bytes
};

class RtpPacket
{
public:
    static constexpr int kVersion = 2;
    static constexpr int kFixedHeaderSize = 12;
    static constexpr int kMaxCsrcs = 15;
    // A UDP datagram on a 1500-byte path minus IP/UDP headers and SRTP's tag.
    static constexpr int kMaxPacketSize = 1500;

    quint8 payloadType = 0; // 7 bits
    bool marker = false;
    quint16 sequence = 0;
    quint32 timestamp = 0;
    quint32 ssrc = 0;
    std::vector<quint32> csrcs;
    std::optional<RtpHeaderExtension> extension;
    QByteArray payload;
    quint8 paddingSize = 0; // 0 = no padding; else the number of padding bytes (last one included)

    // Empty when the packet cannot be represented (payload type over 127,
    // more than 15 CSRCs, extension not a multiple of 4 bytes, over kMaxPacketSize).
    QByteArray serialize() const;

    // Refuses anything that is not exactly one well-formed RTP packet; *error
    // says why. Payload types 72-76 are refused: with RTCP multiplexed on the
    // same port (RFC 5761) they are RTCP packets.
    static std::optional<RtpPacket> parse(const QByteArray &wire, QString *error = nullptr);
};

// RFC 1982 serial number arithmetic on 16-bit sequence numbers: true when a
// comes after b (within half the space).
constexpr bool sequenceNewer(quint16 a, quint16 b)
{
    return a != b && quint16(a - b) < 0x8000;
}
// The same on 32-bit RTP timestamps.
constexpr bool timestampNewer(quint32 a, quint32 b)
{
    return a != b && quint32(a - b) < 0x80000000u;
}

} // namespace softphone::rtp
