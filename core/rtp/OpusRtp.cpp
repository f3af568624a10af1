#include "OpusRtp.h"

#include <opus.h>

namespace softphone::rtp::opus {

RtpPacket fromMediaFrame(const media::MediaFrame &frame, quint32 ssrc, quint8 payloadType)
{
    RtpPacket packet;
    packet.payloadType = payloadType;
    packet.marker = frame.marker;
    packet.sequence = frame.sequence;
    packet.timestamp = frame.timestamp;
    packet.ssrc = ssrc;
    packet.payload = frame.payload;
    return packet;
}

std::optional<media::MediaFrame> toMediaFrame(const RtpPacket &packet, quint8 payloadType,
                                              QString *error)
{
    auto fail = [error](const QString &why) -> std::optional<media::MediaFrame> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (packet.payloadType != payloadType)
        return fail(QStringLiteral("RTP payload type %1, expected Opus (%2)")
                        .arg(packet.payloadType)
                        .arg(payloadType));
    const qsizetype size = packet.payload.size();
    if (size == 0 || size > media::MediaFrame::kMaxPayloadSize)
        return fail(QStringLiteral("Opus payload of %1 bytes out of range").arg(size));
    const uchar *frames[48];
    opus_int16 sizes[48];
    if (opus_packet_parse(reinterpret_cast<const uchar *>(packet.payload.constData()),
                          opus_int32(size), nullptr, frames, sizes, nullptr) <= 0)
        return fail(QStringLiteral("RTP payload is not a valid Opus packet"));
    media::MediaFrame frame;
    frame.marker = packet.marker;
    frame.sequence = packet.sequence;
    frame.timestamp = packet.timestamp;
    frame.payload = packet.payload;
    return frame;
}

} // namespace softphone::rtp::opus
