#pragma once
// The one audio format the voice pipeline works in; devices and files are
// converted to it at the edges so the codec, jitter buffer and echo canceller
// never see anything else. Blocks (and Opus frames) are 20 ms, or 10 ms in a
// call that agreed on short frames (docs/media.md "10 ms frames").

#include <cstddef>
#include <cstdint>

namespace softphone::media {

inline constexpr int kSampleRate = 48000;
inline constexpr int kChannels = 1;
inline constexpr int kFrameMs = 20;
inline constexpr int kFrameSamples = kSampleRate * kFrameMs / 1000; // 960
inline constexpr int kSamplesPerMs = kSampleRate / 1000;
inline constexpr int kShortFrameMs = 10;
inline constexpr int kShortFrameSamples = kSampleRate * kShortFrameMs / 1000; // 480

// A block or Opus frame the pipeline takes: 10 or 20 ms.
constexpr bool isFrameSize(size_t samples)
{
    return samples == size_t(kFrameSamples) || samples == size_t(kShortFrameSamples);
}

} // namespace softphone::media
