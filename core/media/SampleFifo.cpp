#include "SampleFifo.h"

#include <algorithm>

namespace softphone::media {

SampleFifo::SampleFifo(size_t maxSamples, size_t keepSamples)
    : m_max(maxSamples)
    , m_keep(std::min(keepSamples, maxSamples))
{}

void SampleFifo::push(std::span<const int16_t> samples)
{
    m_samples.insert(m_samples.end(), samples.begin(), samples.end());
    if (m_samples.size() > m_max) {
        // Trim to well below the limit at once rather than a little on every
        // push: one jump in the audio instead of a steady crackle.
        const size_t drop = m_samples.size() - m_keep;
        m_samples.erase(m_samples.begin(), m_samples.begin() + std::ptrdiff_t(drop));
        m_trimmed += drop;
    }
}

void SampleFifo::pop(std::span<int16_t> out)
{
    const size_t n = std::min(out.size(), m_samples.size());
    std::copy_n(m_samples.begin(), n, out.begin());
    m_samples.erase(m_samples.begin(), m_samples.begin() + std::ptrdiff_t(n));
    if (n < out.size()) {
        std::fill(out.begin() + std::ptrdiff_t(n), out.end(), int16_t(0));
        ++m_underruns;
    }
}

} // namespace softphone::media
