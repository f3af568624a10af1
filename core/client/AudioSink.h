#pragma once
// Where a call's incoming voice goes: a speaker, a file. MediaSession hands it
// one 20 ms block (48 kHz mono) per frame played, gaps already concealed.

#include <cstdint>
#include <span>

namespace softphone::client {

class AudioSink
{
public:
    virtual ~AudioSink() = default;
    virtual void write(std::span<const int16_t> block) = 0;
};

} // namespace softphone::client
