#pragma once
// Opus in RTP (RFC 7587): one Opus packet per RTP packet, the 48 kHz clock
// whatever the audio's rate, the marker on the first packet of a talk spurt
// (after DTX or mute). Converts between the voice pipeline's MediaFrame
// (SendStream/ReceiveStream) and RtpPacket, so the UDP path and the WebSocket
// path carry the same frames.

#include "RtpPacket.h"
#include "media/MediaFrame.h"

#include <optional>

namespace softphone::rtp::opus {

constexpr quint8 kDefaultPayloadType = 111; // dynamic, as WebRTC uses it
constexpr int kClockRate = 48000;

RtpPacket fromMediaFrame(const media::MediaFrame &frame, quint32 ssrc,
                         quint8 payloadType = kDefaultPayloadType);

// Refuses another payload type and a payload that is not one valid Opus packet.
std::optional<media::MediaFrame> toMediaFrame(const RtpPacket &packet,
                                              quint8 payloadType = kDefaultPayloadType,
                                              QString *error = nullptr);

} // namespace softphone::rtp::opus
