#pragma once
// 16-bit PCM WAV files (mono or stereo, any rate): whole-file reading, with
// conversion to the pipeline's 48 kHz mono, and streaming writing whose
// header is completed on close (for recording a call as it happens).

#include <QFile>
#include <QString>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace softphone::media {

struct WavAudio
{
    int sampleRate = 48000;
    int channels = 1;
    std::vector<int16_t> samples; // interleaved
    double durationSeconds() const;
};

class WavFile
{
public:
    static std::optional<WavAudio> read(const QString &path, QString *error = nullptr);
    static std::optional<WavAudio> parse(const QByteArray &bytes, QString *error = nullptr);
    // Any readable file, converted to 48 kHz mono.
    static std::optional<std::vector<int16_t>> readAs48kMono(const QString &path,
                                                             QString *error = nullptr);
    static bool write(const QString &path, const WavAudio &audio, QString *error = nullptr);

    // Streaming writer.
    WavFile() = default;
    ~WavFile();
    WavFile(const WavFile &) = delete;
    WavFile &operator=(const WavFile &) = delete;
    bool open(const QString &path, int sampleRate, int channels, QString *error = nullptr);
    bool append(std::span<const int16_t> samples);
    bool close();
    bool isOpen() const { return m_file.isOpen(); }

private:
    QFile m_file;
    quint32 m_dataBytes = 0;
};

} // namespace softphone::media
