#pragma once
// Acoustic echo cancellation: removes from the microphone what the speaker
// just played. The speaker blocks are queued as they are played and consumed
// block for block with the microphone's (10 or 20 ms, the same size on both
// sides), so the reference always reaches the canceller before its echo does
// (the idea of Mumble's resynchronizer).
//
// Two engines, chosen by measurement (tests/bench/bench_echo_canceller,
// docs/media.md "Echo cancellation"): WebRTC's audio processing (0.3, the
// engine of PulseAudio's module-echo-cancel), the default, which also does
// noise suppression and automatic gain control when asked; and speexdsp's
// canceller, kept for comparison, whose noise suppression is the separate
// NoiseSuppressor (fed state()).

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <vector>

struct SpeexEchoState_;

namespace softphone::media {

class EchoCanceller
{
public:
    enum class Engine { WebRtc, Speex };
    struct Settings
    {
        Engine engine = Engine::WebRtc;
        // speexdsp's filter length; WebRTC's extended filter is fixed (about 128 ms
        // after its own delay estimation, which covers any device delay).
        int tailMs = 200;
        // WebRTC only: cancel the echo (off leaves noise suppression and gain control alone).
        bool cancelEcho = true;
        bool noiseSuppression = false;
        bool gainControl = false;
    };

    EchoCanceller();
    explicit EchoCanceller(const Settings &settings);
    ~EchoCanceller();
    EchoCanceller(const EchoCanceller &) = delete;
    EchoCanceller &operator=(const EchoCanceller &) = delete;

    // A block (10 or 20 ms) that has just been sent to the speaker.
    void playback(std::span<const int16_t> block);
    // A microphone block of the same size, echo removed in place.
    void capture(std::span<int16_t> block);
    // The delay from the speaker block handed over to its sound in the
    // microphone (the sound devices' buffers), given to WebRTC
    // (set_stream_delay_ms, less what the reference queue holds) besides its
    // delay-agnostic search; 0 (the default) leaves the search alone.
    // Speexdsp ignores it. Calls do not set it: in bench_echo_canceller it
    // helped the first 2 s at 80 ms, hurt them at 55 ms and did not speed up
    // re-finding a changed path (docs/media.md "Echo cancellation").
    void setStreamDelayMs(int ms);
    void reset();

    const Settings &settings() const { return m_settings; }
    // The speexdsp engine's state, for NoiseSuppressor's residual echo
    // suppression; null with the WebRTC engine.
    SpeexEchoState_ *state() const;

    class Processor;

private:
    void noteDroppedBlock();

    Settings m_settings;
    std::unique_ptr<Processor> m_processor;
    int m_devicesDelayMs = 0;
    std::deque<int16_t> m_reference; // speaker samples not yet matched with the microphone's
    std::vector<int16_t> m_out;
    // Dropped reference blocks, logged at most once per interval (a device on
    // one side and a file on the other drop one every few seconds for the
    // whole call).
    uint64_t m_dropped = 0;
    uint64_t m_droppedLogged = 0;
    std::chrono::steady_clock::time_point m_lastDropLog{};
};

} // namespace softphone::media
