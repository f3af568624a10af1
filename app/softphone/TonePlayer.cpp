#include "TonePlayer.h"

#include "media/MediaFormat.h"

#include <QTimer>
#include <algorithm>

namespace softphone::app {

namespace {
// Silence written after a one-shot tone before the device is closed: more
// than DeviceAudioIO's 60 ms device buffer, so the last beep is not cut off.
constexpr int kTailBlocks = 8;
} // namespace

TonePlayer::TonePlayer(QObject *parent)
    : QObject(parent)
    , m_block(media::kFrameSamples)
{}

TonePlayer::~TonePlayer()
{
    if (m_io)
        m_io->stop();
}

void TonePlayer::play(media::ToneGenerator tone, const QByteArray &deviceId)
{
    m_tone = std::move(tone);
    m_tailBlocks = 0;
    if (!m_io)
        m_io = std::make_unique<media::DeviceAudioIO>();
    m_io->startPlayback(deviceId, [this] { return pull(); });
    if (!m_playing) {
        m_playing = true;
        emit playingChanged(true);
    }
}

void TonePlayer::stop()
{
    if (m_io)
        m_io->stop();
    m_tone.reset();
    if (m_playing) {
        m_playing = false;
        emit playingChanged(false);
    }
}

std::span<const int16_t> TonePlayer::pull()
{
    if (!m_tone) {
        std::fill(m_block.begin(), m_block.end(), int16_t(0));
        return m_block;
    }
    m_tone->fill(m_block);
    if (m_tone->finished() && ++m_tailBlocks >= kTailBlocks && !m_stopQueued) {
        // Not from inside the device's pump: stop() closes the device it is writing to.
        m_stopQueued = true;
        QTimer::singleShot(0, this, [this] {
            m_stopQueued = false;
            if (m_tone && m_tone->finished())
                stop();
        });
    }
    return m_block;
}

} // namespace softphone::app
