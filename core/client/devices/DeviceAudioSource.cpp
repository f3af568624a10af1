#include "DeviceAudioSource.h"

#include "media/MediaFormat.h"

namespace softphone::client {

namespace {
// More than 120 ms waiting means the session fell behind the microphone:
// keep the newest 40 ms so what is sent stays close to real time.
constexpr size_t kMaxSamples = 6 * media::kFrameSamples;
constexpr size_t kKeepSamples = 2 * media::kFrameSamples;
} // namespace

DeviceAudioSource::DeviceAudioSource(const QByteArray &inputDeviceId, Processing processing)
    : m_fifo(kMaxSamples, kKeepSamples)
    , m_processing(processing)
{
    m_io.startCapture(
        inputDeviceId,
        [this](std::span<const int16_t> block) {
            m_fifo.push(block);
            // Each call reads one block; bounded by what the FIFO holds.
            for (int n = 0; m_ready && m_fifo.size() >= m_blockSamples && n < 4; ++n)
                m_ready();
        },
        media::kShortFrameSamples);
}

DeviceAudioSource::~DeviceAudioSource()
{
    m_io.stop();
}

bool DeviceAudioSource::setBlockReady(std::function<void()> ready)
{
    m_ready = std::move(ready);
    return true;
}

void DeviceAudioSource::setBlockSamples(size_t samples)
{
    if (!media::isFrameSize(samples))
        return;
    m_blockSamples = samples;
    // One capture period per block: a 20 ms block costs one wakeup, not two.
    m_io.setCapturePeriodMs(int(samples / media::kSamplesPerMs));
}

void DeviceAudioSource::read(std::span<int16_t> block)
{
    m_fifo.pop(block);
}

void DeviceAudioSource::fillDelays(media::CallQuality &quality) const
{
    quality.captureMs = m_io.captureBufferMs();
    quality.sendQueueMs = double(m_fifo.size()) / media::kSamplesPerMs;
}

} // namespace softphone::client
