#pragma once
// Voice read from a WAV file (any rate, mono or stereo, converted to 48 kHz
// mono up front), then silence: softphone-cli's --audio-in.

#include "AudioSource.h"

#include <QString>
#include <memory>
#include <vector>

namespace softphone::client {

class WavFileSource : public AudioSource
{
public:
    // Null with *error set when the file cannot be read or is not 16-bit PCM WAV.
    static std::unique_ptr<WavFileSource> open(const QString &path, QString *error);
    explicit WavFileSource(std::vector<int16_t> samples);

    void read(std::span<int16_t> block) override;
    bool finished() const { return m_position >= m_samples.size(); }
    qint64 samples() const { return qint64(m_samples.size()); }

private:
    std::vector<int16_t> m_samples;
    size_t m_position = 0;
};

} // namespace softphone::client
