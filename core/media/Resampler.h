#pragma once
// Converts device or file audio (any rate, mono or stereo) to the pipeline's
// 48 kHz mono and back, with speexdsp's resampler at quality 3 (as Mumble).

#include <cstdint>
#include <span>
#include <vector>

struct SpeexResamplerState_;

namespace softphone::media {

class Resampler
{
public:
    // inChannels 1 or 2 (stereo is averaged to mono first); the output is
    // mono at outRate, or duplicated to outChannels == 2.
    Resampler(int inRate, int outRate, int inChannels = 1, int outChannels = 1);
    ~Resampler();
    Resampler(const Resampler &) = delete;
    Resampler &operator=(const Resampler &) = delete;

    bool isValid() const { return m_passthrough || m_state; }
    // Streaming: keeps its filter state between calls. `in` holds interleaved
    // frames; a trailing partial frame is ignored.
    std::vector<int16_t> process(std::span<const int16_t> in);
    // Output still held in the filter at the end of a stream.
    std::vector<int16_t> flush();
    // How many output samples lag the input (the filter's delay).
    int outputLatency() const;

private:
    std::vector<int16_t> convertChannels(std::span<const int16_t> mono) const;

    SpeexResamplerState_ *m_state = nullptr;
    bool m_passthrough = false;
    int m_inRate;
    int m_outRate;
    int m_inChannels;
    int m_outChannels;
    std::vector<int16_t> m_mono;
};

} // namespace softphone::media
