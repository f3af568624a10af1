#include "WavFileSink.h"

#include "common/Logging.h"
#include "media/MediaFormat.h"

namespace softphone::client {

std::unique_ptr<WavFileSink> WavFileSink::open(const QString &path, QString *error)
{
    std::unique_ptr<WavFileSink> sink(new WavFileSink);
    if (!sink->m_file.open(path, media::kSampleRate, media::kChannels, error))
        return nullptr;
    return sink;
}

WavFileSink::~WavFileSink()
{
    close();
}

void WavFileSink::write(std::span<const int16_t> block)
{
    if (!m_file.isOpen() || m_failed)
        return;
    if (!m_file.append(block)) {
        // A full disk loses the recording, not the call.
        m_failed = true;
        qCWarning(lcMedia) << "cannot write the call's audio file; recording stopped";
        return;
    }
    ++m_blocks;
}

bool WavFileSink::close()
{
    return !m_file.isOpen() || m_file.close();
}

} // namespace softphone::client
