#pragma once
// A call's outgoing voice from a microphone: the AudioSource MediaSession
// reads, fed by DeviceAudioIO capturing from the chosen input device (the
// GUI's Settings, softphone-cli's --input-device), falling back to the
// default while it is missing. It captures in 10 ms blocks; each time a
// block of the session's size (10 or 20 ms) is there it is announced at once
// (setBlockReady) and read by the session straight away; the small FIFO in
// between only holds blocks nobody read yet (bounded; empty reads as
// silence). Acoustic unless told otherwise, so the call turns echo
// cancellation, noise suppression and gain control on; with
// Processing::Off (a headset, whose microphone does not hear its speaker,
// or a microphone the sound server already cleans) the call sends it as it
// is and saves their CPU (docs/media.md "Audio processing"). Lives on the
// thread of the call (the main thread); nothing here blocks.

#include "client/AudioSource.h"
#include "media/SampleFifo.h"
#include "media/devices/DeviceAudioIO.h"

#include <QByteArray>

namespace softphone::client {

class DeviceAudioSource : public AudioSource
{
public:
    enum class Processing { On, Off };
    // Starts capturing at once. Empty id = System default.
    explicit DeviceAudioSource(const QByteArray &inputDeviceId,
                               Processing processing = Processing::On);
    ~DeviceAudioSource() override;

    void read(std::span<int16_t> block) override;
    bool isAcoustic() const override { return m_processing == Processing::On; }
    bool setBlockReady(std::function<void()> ready) override;
    void setBlockSamples(size_t samples) override;
    void fillDelays(media::CallQuality &quality) const override;

    media::DeviceAudioIO *device() { return &m_io; }

private:
    media::DeviceAudioIO m_io;
    media::SampleFifo m_fifo;
    std::function<void()> m_ready;
    size_t m_blockSamples = media::kFrameSamples;
    Processing m_processing;
};

} // namespace softphone::client
