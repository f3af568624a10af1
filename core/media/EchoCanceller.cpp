#include "EchoCanceller.h"

#include "MediaFormat.h"
#include "common/Logging.h"

#include <algorithm>
#include <speex/speex_echo.h>

namespace softphone::media {

namespace {
// More queued speaker blocks than this means capture stalled: the oldest are
// dropped so the delay between reference and echo cannot grow without bound.
constexpr size_t kMaxQueuedBlocks = 10;
} // namespace

EchoCanceller::EchoCanceller(int tailMs)
    : m_out(kFrameSamples)
{
    m_state = speex_echo_state_init(kFrameSamples, std::max(tailMs, 20) * kSamplesPerMs);
    int rate = kSampleRate;
    speex_echo_ctl(m_state, SPEEX_ECHO_SET_SAMPLING_RATE, &rate);
}

EchoCanceller::~EchoCanceller()
{
    speex_echo_state_destroy(m_state);
}

void EchoCanceller::playback(std::span<const int16_t> block)
{
    if (block.size() != size_t(kFrameSamples))
        return;
    m_reference.emplace_back(block.begin(), block.end());
    while (m_reference.size() > kMaxQueuedBlocks) {
        qCDebug(lcMedia) << "echo canceller: speaker ahead of microphone, dropping a block";
        m_reference.pop_front();
    }
}

void EchoCanceller::capture(std::span<int16_t> block)
{
    if (block.size() != size_t(kFrameSamples))
        return;
    static const std::vector<int16_t> silence(kFrameSamples, 0);
    const std::vector<int16_t> &ref = m_reference.empty() ? silence : m_reference.front();
    speex_echo_cancellation(m_state, block.data(), ref.data(), m_out.data());
    std::copy(m_out.begin(), m_out.end(), block.begin());
    if (!m_reference.empty())
        m_reference.pop_front();
}

void EchoCanceller::reset()
{
    speex_echo_state_reset(m_state);
    m_reference.clear();
}

} // namespace softphone::media
