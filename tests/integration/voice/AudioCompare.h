#pragma once
// What a listener would notice about a received recording, as numbers: where
// the sound is, how long it lasts, whether it has holes, and how closely it
// matches what was sent once aligned.

#include <QtGlobal>
#include <cstdint>
#include <span>
#include <vector>

namespace softphone::test {

struct Alignment
{
    qint64 lag = 0;         // samples the received signal is late by
    double correlation = 0; // normalized cross-correlation at that lag
};

// 20 ms blocks whose RMS is over the threshold (dBFS): first and one past the last.
struct ActiveSpan
{
    qint64 firstBlock = -1;
    qint64 endBlock = -1;
    qint64 blocks() const { return endBlock - firstBlock; }
};

ActiveSpan activeSpan(std::span<const int16_t> audio, double thresholdDbfs = -40);
// Blocks inside [span) quieter than thresholdDbfs: holes a listener hears.
int silentBlocksWithin(std::span<const int16_t> audio, const ActiveSpan &span,
                       double thresholdDbfs = -50);
// Best lag in [minLag, maxLag] (coarse on 1 ms envelopes, then per sample).
Alignment align(std::span<const int16_t> sent, std::span<const int16_t> received, qint64 minLag,
                qint64 maxLag);
// The same, one second of `sent` at a time: the median over the seconds that
// carry sound of each one's best correlation within maxFrames 20 ms frames
// (and half a frame) of `lag`. A jitter buffer that drops or inserts a
// frame between two words moves the rest of the call by 20 ms, which a
// listener does not notice and a single lag over the whole call reads as
// damage; and with one such move `lag` itself may fall half a frame off
// both parts (speech whose pitch period is 10 ms aligns there too).
double medianSecondCorrelation(std::span<const int16_t> sent, std::span<const int16_t> received,
                               qint64 lag, int maxFrames = 3);

} // namespace softphone::test
