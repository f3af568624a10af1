#pragma once
// Where a call's incoming voice goes: a speaker, a file. MediaSession hands it
// one 20 ms block (48 kHz mono) per frame played, gaps already concealed.

#include "CallQuality.h"

#include <cstdint>
#include <span>

namespace softphone::client {

class AudioSink
{
public:
    virtual ~AudioSink() = default;
    virtual void write(std::span<const int16_t> block) = 0;
    // Sets the playing stages it has (playQueueMs, playbackMs, underruns...), measured now.
    virtual void fillDelays(media::CallQuality &quality) const { (void)quality; }
};

} // namespace softphone::client
