#include "DeviceAudioSink.h"

#include "media/MediaFormat.h"

#include <algorithm>

namespace softphone::client {

namespace {
// 40 ms queued before playing (again) rides over the session timer's jitter;
// beyond 200 ms the oldest audio goes, back to 60 ms, so a slow card cannot
// build up delay in a long call.
constexpr size_t kPrimeSamples = 2 * media::kFrameSamples;
constexpr size_t kMaxSamples = 10 * media::kFrameSamples;
constexpr size_t kKeepSamples = 3 * media::kFrameSamples;
} // namespace

DeviceAudioSink::DeviceAudioSink(const QByteArray &outputDeviceId)
    : m_fifo(kMaxSamples, kKeepSamples)
    , m_block(media::kFrameSamples)
{
    m_io.startPlayback(outputDeviceId, [this] { return pull(); });
}

DeviceAudioSink::~DeviceAudioSink()
{
    m_io.stop();
}

void DeviceAudioSink::write(std::span<const int16_t> block)
{
    m_fifo.push(block);
}

bool DeviceAudioSink::setPull(Pull pull)
{
    m_pull = std::move(pull);
    return true;
}

std::span<const int16_t> DeviceAudioSink::pull()
{
    if (m_pull)
        return m_pull();
    if (!m_primed && m_fifo.size() >= kPrimeSamples)
        m_primed = true;
    if (!m_primed) {
        std::fill(m_block.begin(), m_block.end(), int16_t(0));
        return m_block;
    }
    if (m_fifo.size() < m_block.size())
        m_primed = false; // this block ends in silence; wait for a cushion again
    m_fifo.pop(m_block);
    return m_block;
}

void DeviceAudioSink::fillDelays(media::CallQuality &quality) const
{
    quality.playQueueMs = m_pull ? 0.0 : double(m_fifo.size()) / media::kSamplesPerMs;
    quality.playbackMs = m_io.playbackBufferMs();
    quality.playbackTargetMs = m_io.playbackTargetMs();
    quality.underruns = m_io.underruns();
}

} // namespace softphone::client
