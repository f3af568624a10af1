#pragma once
// The receiving half of a call's voice: wire frames in, continuous PCM blocks
// out (20 or 10 ms, as the player asks, whatever the sender's frames are),
// whatever the network does. Loss becomes FEC recovery or
// concealment, never a gap. Not a QObject so it can live on the audio thread;
// the call polls quality(). Keypad digits that arrive as telephone events
// (RFC 4733) are kept for takeDigits(), each once, in the order pressed.

#include "CallQuality.h"
#include "JitterBuffer.h"
#include "MediaFormat.h"
#include "OpusDecoder.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QString>
#include <array>
#include <cstdint>
#include <optional>
#include <span>

namespace softphone::media {

class ReceiveStream
{
public:
    ReceiveStream();

    // Takes one wire frame; a malformed one is counted and rejected (*error
    // says why) without touching anything else. Frames of another stream id
    // than the one set with setStreamId() are rejected too.
    bool pushPacket(const QByteArray &wire, QString *error = nullptr);
    bool pushPacket(const QByteArray &wire, qint64 arrivalUs, QString *error = nullptr);

    // The next block of audio, always exactly `samples` samples (10 or 20 ms:
    // isFrameSize; anything else gives 20 ms). Frames of the other duration
    // are decoded whole and handed out in parts.
    std::span<const int16_t> pullBlock(size_t samples = kFrameSamples);

    // The keypad digits whose first event packet arrived since the last call,
    // in order ("" when none). At most kMaxDigitsKept wait; more are dropped.
    QString takeDigits();
    static constexpr int kMaxDigitsKept = 64;

    void setStreamId(std::optional<quint8> id) { m_streamId = id; }
    void setRoundTripMs(double ms) { m_roundTripMs = ms; }
    CallQuality quality() const;
    void reset();

private:
    JitterBuffer m_jitter;
    OpusDecoder m_decoder;
    QElapsedTimer m_clock;
    std::optional<quint8> m_streamId;
    void decodeNext();

    std::array<int16_t, kFrameSamples> m_block{};
    // Decoded and not yet handed out: at most one frame and a block.
    std::array<int16_t, 2 * kFrameSamples> m_decoded{};
    size_t m_decodedCount = 0;
    double m_roundTripMs = -1;
    quint64 m_played = 0;
    quint64 m_fecRecovered = 0;
    quint64 m_concealed = 0;
    quint64 m_malformed = 0;
    QString m_digits;
    std::optional<quint32> m_lastEventTimestamp; // the event whose digit was taken
};

} // namespace softphone::media
