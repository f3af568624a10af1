#pragma once
// A call's outgoing voice from a microphone: the AudioSource MediaSession
// reads, fed by DeviceAudioIO capturing from the input device chosen in
// Settings (falling back to the default while it is missing). Captured blocks
// wait in a small FIFO for the session's clock; an empty FIFO reads as
// silence. Acoustic, so the call turns echo cancellation and noise
// suppression on. Lives on the GUI thread; nothing here blocks.

#include "AudioSource.h"
#include "DeviceAudioIO.h"
#include "SampleFifo.h"

#include <QByteArray>

namespace softphone::app {

class DeviceAudioSource : public client::AudioSource
{
public:
    // Starts capturing at once. Empty id = System default.
    explicit DeviceAudioSource(const QByteArray &inputDeviceId);
    ~DeviceAudioSource() override;

    void read(std::span<int16_t> block) override;
    bool isAcoustic() const override { return true; }

    media::DeviceAudioIO *device() { return &m_io; }

private:
    media::DeviceAudioIO m_io;
    SampleFifo m_fifo;
};

} // namespace softphone::app
