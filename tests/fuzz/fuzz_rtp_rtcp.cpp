// libFuzzer target: any datagram given to the RTP and RTCP parsers is refused
// with a reason or parses into something that survives its own round trip.
#include "rtp/RtcpPacket.h"
#include "rtp/RtpPacket.h"

#include <cstdint>
#include <cstdlib>

using namespace softphone::rtp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray wire =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    if (const auto rtp = RtpPacket::parse(wire, &error)) {
        // Padding bytes are rewritten as zeros; everything else is kept.
        const QByteArray again = rtp->serialize();
        const auto back = RtpPacket::parse(again);
        if (again.size() != wire.size() || !back || back->serialize() != again ||
            back->payload != rtp->payload)
            std::abort();
    } else if (error.isEmpty()) {
        std::abort();
    }
    error.clear();
    if (const auto rtcp = RtcpCompound::parse(wire, &error)) {
        // Skipped packets and extra SDES items are dropped; what is kept comes back equal.
        const QByteArray again = rtcp->serialize();
        if (!again.isEmpty()) {
            auto back = RtcpCompound::parse(again);
            if (!back)
                std::abort();
            back->skippedPackets = rtcp->skippedPackets;
            if (!(*back == *rtcp))
                std::abort();
        }
    } else if (error.isEmpty()) {
        std::abort();
    }
    return 0;
}
