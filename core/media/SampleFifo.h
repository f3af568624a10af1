#pragma once
// The hand-over between two 20 ms clocks that never quite agree: the call's
// MediaSession timer and a sound card. Whole blocks go in and come out; an
// empty FIFO gives silence (an underrun is heard as a short gap, never a
// stall), and a FIFO that grows past its limit drops its oldest samples so
// the delay the user hears stays bounded when the device runs slow.

#include <cstdint>
#include <deque>
#include <span>

namespace softphone::media {

class SampleFifo
{
public:
    // maxSamples: the most that is kept; keepSamples: what is left after a trim.
    SampleFifo(size_t maxSamples, size_t keepSamples);

    void push(std::span<const int16_t> samples);
    // Fills `out` completely: queued samples first, then silence.
    void pop(std::span<int16_t> out);
    size_t size() const { return m_samples.size(); }
    unsigned long long underruns() const { return m_underruns; }
    unsigned long long trimmed() const { return m_trimmed; }

private:
    std::deque<int16_t> m_samples;
    size_t m_max;
    size_t m_keep;
    unsigned long long m_underruns = 0;
    unsigned long long m_trimmed = 0;
};

} // namespace softphone::media
