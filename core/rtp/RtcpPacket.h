#pragma once
// RTCP (RFC 3550 section 6): the sender and receiver reports that carry loss,
// jitter and the timestamps for the round-trip time, with the SDES CNAME and
// BYE that a compound packet may hold. Parsing follows the validity checks of
// RFC 3550 appendix A.2 and is strict about every length; anything else in a
// compound packet (APP, feedback, XR) is skipped and counted.

#include <QByteArray>
#include <QString>
#include <cstdint>
#include <optional>
#include <vector>

namespace softphone::rtp {

// One reception report block (RFC 3550 6.4.1): what a receiver says about one source.
struct ReportBlock
{
    static constexpr qint32 kMaxCumulativeLost = 0x7fffff; // 24-bit signed
    static constexpr qint32 kMinCumulativeLost = -0x800000;

    quint32 ssrc = 0;
    quint8 fractionLost = 0;      // lost/expected since the last report, in 1/256
    qint32 cumulativeLost = 0;    // 24-bit signed, clamped
    quint32 highestSequence = 0;  // extended: cycles << 16 | highest sequence
    quint32 jitter = 0;           // interarrival jitter in timestamp units
    quint32 lastSr = 0;           // middle 32 bits of the last SR's NTP time (LSR)
    quint32 delaySinceLastSr = 0; // in 1/65536 s (DLSR)
    bool operator==(const ReportBlock &) const = default;
};

struct SenderInfo
{
    quint64 ntpTimestamp = 0; // NTP format, 32.32 fixed point seconds since 1900
    quint32 rtpTimestamp = 0; // the same instant on the RTP clock
    quint32 packetCount = 0;
    quint32 octetCount = 0; // payload octets
    bool operator==(const SenderInfo &) const = default;
};

struct SenderReport
{
    quint32 ssrc = 0;
    SenderInfo info;
    std::vector<ReportBlock> reports;
    bool operator==(const SenderReport &) const = default;
};

struct ReceiverReport
{
    quint32 ssrc = 0;
    std::vector<ReportBlock> reports;
    bool operator==(const ReceiverReport &) const = default;
};

// One SDES chunk; only CNAME is kept (the other items are skipped on parse).
struct SdesChunk
{
    quint32 ssrc = 0;
    QByteArray cname; // 1-255 bytes
    bool operator==(const SdesChunk &) const = default;
};

struct Bye
{
    std::vector<quint32> ssrcs;
    QByteArray reason; // 0-255 bytes
    bool operator==(const Bye &) const = default;
};

class RtcpCompound
{
public:
    enum Type : quint8 { SR = 200, RR = 201, SDES = 202, BYE = 203, APP = 204 };
    static constexpr int kMaxReportBlocks = 31;
    static constexpr int kMaxSize = 1500;

    std::vector<SenderReport> senderReports;
    std::vector<ReceiverReport> receiverReports;
    std::vector<SdesChunk> sdes;
    std::optional<Bye> bye;
    int skippedPackets = 0; // packets of other types found on parse

    // SRs, RRs, one SDES with every chunk, then BYE. Empty when it cannot be
    // represented (no SR or RR first, more than 31 blocks or chunks, a CNAME
    // of 0 or over 255 bytes, a BYE with more than 31 sources, over kMaxSize).
    QByteArray serialize() const;

    // Refuses anything that is not a valid compound packet (RFC 3550 A.2:
    // version 2, SR or RR first, padding only in the last packet, lengths that
    // add up to the datagram exactly); *error says why.
    static std::optional<RtcpCompound> parse(const QByteArray &wire, QString *error = nullptr);

    bool operator==(const RtcpCompound &) const = default;
};

} // namespace softphone::rtp
