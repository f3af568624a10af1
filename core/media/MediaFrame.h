#pragma once
// One voice packet on the wire (binary WebSocket frame today, UDP later):
// a small header that lets the receiver order, time and attribute the packet,
// followed by one Opus packet, or (telephoneEvent) one RFC 4733 keypad event
// (TelephoneEvent) instead. The layout is documented in docs/media.md.

#include <QByteArray>
#include <QString>
#include <cstdint>
#include <optional>

namespace softphone::media {

class MediaFrame
{
public:
    static constexpr quint8 kVersion = 1;
    static constexpr quint8 kFlagStreamId = 0x1;       // a stream id byte follows the flags
    static constexpr quint8 kFlagMarker = 0x2;         // first frame of a talk spurt
    static constexpr quint8 kFlagTelephoneEvent = 0x4; // the payload is a TelephoneEvent
    static constexpr quint8 kKnownFlags = kFlagStreamId | kFlagMarker | kFlagTelephoneEvent;
    static constexpr int kMinHeaderSize = 1 + 2 + 4 + 2;
    static constexpr int kMaxPayloadSize = 1275; // the largest single Opus frame

    std::optional<quint8> streamId;
    bool marker = false;
    bool telephoneEvent = false; // payload: 4 bytes of RFC 4733, not Opus
    quint16 sequence = 0;
    quint32 timestamp = 0; // in samples at 48 kHz
    QByteArray payload;    // one Opus packet (or a TelephoneEvent)

    // The Opus packet's duration in 48 kHz samples (480 for 10 ms, 960 for
    // 20 ms); 0 when the payload says nothing sensible.
    int durationSamples() const;

    // Empty when the frame cannot be represented (payload empty or too large).
    QByteArray encode() const;

    // Rejects anything that is not exactly one well-formed frame; *error says why.
    static std::optional<MediaFrame> decode(const QByteArray &wire, QString *error = nullptr);
};

} // namespace softphone::media
