#pragma once
// Where a call's outgoing voice comes from: a microphone, a file, a test
// signal. MediaSession pulls one 20 ms block (48 kHz mono) per frame it sends.

#include "CallQuality.h"

#include <cstdint>
#include <span>

namespace softphone::client {

class AudioSource
{
public:
    virtual ~AudioSource() = default;
    // Fills exactly kFrameSamples samples (silence when there is nothing to say).
    virtual void read(std::span<int16_t> block) = 0;
    // A microphone hears the speaker and the room: echo cancellation and noise
    // suppression are on. A file is clean voice, which they would only damage
    // (a steady tone looks like noise to the suppressor).
    virtual bool isAcoustic() const { return false; }
    // Sets the sending stages it has (captureMs, sendQueueMs), measured now.
    virtual void fillDelays(media::CallQuality &quality) const { (void)quality; }
};

} // namespace softphone::client
