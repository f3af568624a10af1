#pragma once
// Plays the softphone's own sounds (ToneGenerator: ringtone, ringback, call
// ended - the same sounds resources/sounds renders to WAV) on one output
// device through DeviceAudioIO, so a chosen device that is unplugged falls
// back to the default like call audio does. A repeating tone plays until
// stop(); a one-shot tone stops by itself once it has been heard. The device
// side (and with it Qt Multimedia's sound-server connection) is made on the
// first play(), not at start: most players wait for a call or a click.

#include "media/ToneGenerator.h"
#include "media/devices/DeviceAudioIO.h"

#include <QByteArray>
#include <QObject>
#include <memory>
#include <optional>
#include <vector>

namespace softphone::app {

class TonePlayer : public QObject
{
    Q_OBJECT

public:
    explicit TonePlayer(QObject *parent = nullptr);
    ~TonePlayer() override;

    // Replaces whatever was playing. Empty id = System default.
    void play(media::ToneGenerator tone, const QByteArray &deviceId);
    void stop();
    bool isPlaying() const { return m_playing; }
    // The device the tone is on now (the default while the chosen one is missing).
    QByteArray deviceInUse() const { return m_io ? m_io->outputDeviceId() : QByteArray(); }

signals:
    void playingChanged(bool playing);

private:
    std::span<const int16_t> pull();

    std::unique_ptr<media::DeviceAudioIO> m_io; // from the first play()
    std::optional<media::ToneGenerator> m_tone;
    std::vector<int16_t> m_block;
    int m_tailBlocks = 0;
    bool m_playing = false;
    bool m_stopQueued = false;
};

} // namespace softphone::app
