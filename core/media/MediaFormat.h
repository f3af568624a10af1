#pragma once
// The one audio format the voice pipeline works in; devices and files are
// converted to it at the edges so the codec, jitter buffer and echo canceller
// never see anything else.

#include <cstdint>

namespace softphone::media {

inline constexpr int kSampleRate = 48000;
inline constexpr int kChannels = 1;
inline constexpr int kFrameMs = 20;
inline constexpr int kFrameSamples = kSampleRate * kFrameMs / 1000; // 960
inline constexpr int kSamplesPerMs = kSampleRate / 1000;

} // namespace softphone::media
