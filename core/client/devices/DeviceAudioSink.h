#pragma once
// A call's incoming voice on a sound card: the AudioSink MediaSession writes
// to, played through DeviceAudioIO on the chosen output device (the GUI's
// Settings, softphone-cli's --output-device), with its fallback to the
// default while that device is missing. The device's clock drives playback:
// MediaSession gives it a pull function and each block is decoded when the
// sound server's stream needs it (no queue of ours in between). Blocks
// written instead (no pull set) meet the device in a small FIFO: a short
// prebuffer after each underrun, and a bound on the delay when the card
// runs slow.
// Lives on the thread of the call (the main thread); nothing here blocks.

#include "client/AudioSink.h"
#include "media/SampleFifo.h"
#include "media/devices/DeviceAudioIO.h"

#include <QByteArray>
#include <vector>

namespace softphone::client {

class DeviceAudioSink : public AudioSink
{
public:
    // Starts playing (silence until the first block) at once. Empty id = System default.
    explicit DeviceAudioSink(const QByteArray &outputDeviceId);
    ~DeviceAudioSink() override;

    void write(std::span<const int16_t> block) override;
    bool setPull(Pull pull) override;
    void fillDelays(media::CallQuality &quality) const override;

    media::DeviceAudioIO *device() { return &m_io; }
    unsigned long long underruns() const { return m_io.underruns(); }

private:
    std::span<const int16_t> pull();

    media::DeviceAudioIO m_io;
    media::SampleFifo m_fifo;
    std::vector<int16_t> m_block;
    Pull m_pull;
    bool m_primed = false;
};

} // namespace softphone::client
