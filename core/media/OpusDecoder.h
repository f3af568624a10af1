#pragma once
// RAII owner of a libopus decoder with the two ways of filling a lost frame:
// packet loss concealment, and recovery from the FEC data of the next packet.

#include <QByteArray>
#include <cstdint>
#include <memory>
#include <span>

namespace softphone::media {

class OpusDecoder
{
public:
    OpusDecoder();
    ~OpusDecoder();
    OpusDecoder(const OpusDecoder &) = delete;
    OpusDecoder &operator=(const OpusDecoder &) = delete;

    bool isValid() const;

    // Each call fills all of out (one frame: 10 or 20 ms, the packet's
    // duration) and returns true, or returns false (out then holds
    // concealment, never garbage).
    bool decode(const QByteArray &packet, std::span<int16_t> out);
    // Rebuilds the frame before `nextPacket` from its inband FEC data.
    bool decodeFec(const QByteArray &nextPacket, std::span<int16_t> out);
    void conceal(std::span<int16_t> out);

private:
    // libopus's own type has our class's name; keeping it out of this header
    // keeps `using namespace softphone::media` unambiguous for users.
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace softphone::media
