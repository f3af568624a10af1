#pragma once
// What a call hears, written to a 48 kHz mono WAV file as it is played; the
// header is completed when the sink is destroyed (or close() is called), so
// the file is valid whichever way the call ends: softphone-cli's --audio-out.

#include "AudioSink.h"
#include "media/WavFile.h"

#include <QString>
#include <memory>

namespace softphone::client {

class WavFileSink : public AudioSink
{
public:
    // Null with *error set when the file cannot be created.
    static std::unique_ptr<WavFileSink> open(const QString &path, QString *error);
    ~WavFileSink() override;

    void write(std::span<const int16_t> block) override;
    bool close();
    qint64 blocksWritten() const { return m_blocks; }

private:
    WavFileSink() = default;
    media::WavFile m_file;
    qint64 m_blocks = 0;
    bool m_failed = false;
};

} // namespace softphone::client
