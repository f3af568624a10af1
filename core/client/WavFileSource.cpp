#include "WavFileSource.h"

#include "media/WavFile.h"

#include <algorithm>

namespace softphone::client {

std::unique_ptr<WavFileSource> WavFileSource::open(const QString &path, QString *error)
{
    auto samples = media::WavFile::readAs48kMono(path, error);
    if (!samples)
        return nullptr;
    return std::make_unique<WavFileSource>(std::move(*samples));
}

WavFileSource::WavFileSource(std::vector<int16_t> samples)
    : m_samples(std::move(samples))
{}

void WavFileSource::read(std::span<int16_t> block)
{
    const size_t left = m_samples.size() - std::min(m_position, m_samples.size());
    const size_t n = std::min(left, block.size());
    std::copy_n(m_samples.begin() + qsizetype(m_position), n, block.begin());
    std::fill(block.begin() + qsizetype(n), block.end(), int16_t(0));
    m_position += n;
}

} // namespace softphone::client
