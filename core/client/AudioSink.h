#pragma once
// Where a call's incoming voice goes: a speaker, a file. MediaSession hands it
// one block (48 kHz mono, 20 ms, or 10 ms in a call with short frames) at a time, gaps already
// concealed: on its own 20 ms clock (a file), or, for a sink with a clock of its own (a speaker),
// whenever the sink pulls the next block.

#include "media/CallQuality.h"

#include <cstdint>
#include <functional>
#include <span>

namespace softphone::client {

class AudioSink
{
public:
    virtual ~AudioSink() = default;
    virtual void write(std::span<const int16_t> block) = 0;
    // A sink with its own clock calls `pull` (on the session's thread) for
    // each block it needs and returns true; the session then writes nothing on
    // its clock. An empty function detaches (the sink plays silence).
    using Pull = std::function<std::span<const int16_t>()>;
    virtual bool setPull(Pull pull)
    {
        (void)pull;
        return false;
    }
    // Sets the playing stages it has (playQueueMs, playbackMs, underruns...), measured now.
    virtual void fillDelays(media::CallQuality &quality) const { (void)quality; }
};

} // namespace softphone::client
