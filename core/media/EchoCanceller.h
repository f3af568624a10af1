#pragma once
// Acoustic echo cancellation with speexdsp: removes from the microphone what
// the speaker just played. The speaker blocks are queued as they are played
// and consumed one per microphone block, so the reference always reaches the
// canceller before its echo does (the idea of Mumble's resynchronizer).

#include <cstdint>
#include <deque>
#include <span>
#include <vector>

struct SpeexEchoState_;

namespace softphone::media {

class EchoCanceller
{
public:
    explicit EchoCanceller(int tailMs = 200);
    ~EchoCanceller();
    EchoCanceller(const EchoCanceller &) = delete;
    EchoCanceller &operator=(const EchoCanceller &) = delete;

    // A 20 ms block that has just been sent to the speaker.
    void playback(std::span<const int16_t> block);
    // A 20 ms microphone block, echo removed in place.
    void capture(std::span<int16_t> block);
    void reset();

    // For the noise suppressor's residual echo suppression.
    SpeexEchoState_ *state() const { return m_state; }

private:
    SpeexEchoState_ *m_state = nullptr;
    std::deque<std::vector<int16_t>> m_reference;
    std::vector<int16_t> m_out;
};

} // namespace softphone::media
