#pragma once
// Where a call's outgoing voice comes from: a microphone, a file, a test
// signal. MediaSession pulls one block (48 kHz mono, 20 ms or, in a call with
// short frames, 10 ms) per frame it sends:
// on its own 20 ms clock (a file), or, for a source with a clock of its own
// (a microphone), each time the source says a block is there.

#include "media/CallQuality.h"

#include <cstdint>
#include <functional>
#include <span>

namespace softphone::client {

class AudioSource
{
public:
    virtual ~AudioSource() = default;
    // Fills the whole block (silence when there is nothing to say).
    virtual void read(std::span<int16_t> block) = 0;
    // A microphone hears the speaker and the room: echo cancellation and noise
    // suppression are on. A file is clean voice, which they would only damage
    // (a steady tone looks like noise to the suppressor).
    virtual bool isAcoustic() const { return false; }
    // A source with its own clock calls `ready` (on the session's thread)
    // each time a block can be read, and returns true; the session then reads
    // at once instead of on its clock. An empty function detaches.
    virtual bool setBlockReady(std::function<void()> ready)
    {
        (void)ready;
        return false;
    }
    // The size of the blocks the session reads from now on (kFrameSamples or
    // kShortFrameSamples): a source with its own clock says a block is ready
    // when it has that much.
    virtual void setBlockSamples(size_t samples) { (void)samples; }
    // Sets the sending stages it has (captureMs, sendQueueMs), measured now.
    virtual void fillDelays(media::CallQuality &quality) const { (void)quality; }
};

} // namespace softphone::client
