#include "WavFile.h"

#include "MediaFormat.h"
#include "Resampler.h"
#include "common/Logging.h"

#include <QSaveFile>
#include <QtEndian>
#include <cmath>
#include <limits>

namespace softphone::media {

namespace {
constexpr int kHeaderSize = 44;
constexpr quint16 kFormatPcm = 1;
constexpr quint16 kFormatExtensible = 0xfffe;
constexpr quint32 kMaxDataBytes = std::numeric_limits<quint32>::max() - kHeaderSize;

template<typename T> std::optional<T> fail(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return std::nullopt;
}

QByteArray header(int rate, int channels, quint32 dataBytes)
{
    QByteArray h(kHeaderSize, '\0');
    char *p = h.data();
    memcpy(p, "RIFF", 4);
    qToLittleEndian<quint32>(36 + dataBytes, p + 4);
    memcpy(p + 8, "WAVEfmt ", 8);
    qToLittleEndian<quint32>(16, p + 16);
    qToLittleEndian<quint16>(kFormatPcm, p + 20);
    qToLittleEndian<quint16>(quint16(channels), p + 22);
    qToLittleEndian<quint32>(quint32(rate), p + 24);
    qToLittleEndian<quint32>(quint32(rate * channels * 2), p + 28);
    qToLittleEndian<quint16>(quint16(channels * 2), p + 32);
    qToLittleEndian<quint16>(16, p + 34);
    memcpy(p + 36, "data", 4);
    qToLittleEndian<quint32>(dataBytes, p + 40);
    return h;
}
} // namespace

double WavAudio::durationSeconds() const
{
    if (sampleRate <= 0 || channels <= 0)
        return 0;
    return double(samples.size()) / channels / sampleRate;
}

std::optional<WavAudio> WavFile::read(const QString &path, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return fail<WavAudio>(error,
                              QStringLiteral("cannot open %1: %2").arg(path, f.errorString()));
    if (f.size() > qint64(kMaxDataBytes))
        return fail<WavAudio>(error, QStringLiteral("%1 is too large for a WAV file").arg(path));
    auto audio = parse(f.readAll(), error);
    if (!audio && error)
        *error = path + QStringLiteral(": ") + *error;
    return audio;
}

std::optional<WavAudio> WavFile::parse(const QByteArray &bytes, QString *error)
{
    const auto *p = reinterpret_cast<const uchar *>(bytes.constData());
    const qsizetype size = bytes.size();
    if (size < 12 || memcmp(p, "RIFF", 4) != 0 || memcmp(p + 8, "WAVE", 4) != 0)
        return fail<WavAudio>(error, QStringLiteral("not a RIFF/WAVE file"));
    WavAudio audio;
    bool haveFormat = false;
    qsizetype pos = 12;
    while (pos + 8 <= size) {
        const QByteArray id(bytes.constData() + pos, 4);
        quint32 length = qFromLittleEndian<quint32>(p + pos + 4);
        pos += 8;
        if (id == "fmt ") {
            if (length < 16 || pos + 16 > size)
                return fail<WavAudio>(error, QStringLiteral("truncated fmt chunk"));
            quint16 format = qFromLittleEndian<quint16>(p + pos);
            const quint16 channels = qFromLittleEndian<quint16>(p + pos + 2);
            const quint32 rate = qFromLittleEndian<quint32>(p + pos + 4);
            const quint16 bits = qFromLittleEndian<quint16>(p + pos + 14);
            if (format == kFormatExtensible && length >= 40 && pos + 26 <= size)
                format = qFromLittleEndian<quint16>(p + pos + 24); // the sub-format GUID
            if (format != kFormatPcm || bits != 16)
                return fail<WavAudio>(
                    error, QStringLiteral("only 16-bit PCM is supported (format %1, %2 bits)")
                               .arg(format)
                               .arg(bits));
            if (channels < 1 || channels > 2)
                return fail<WavAudio>(
                    error, QStringLiteral("%1 channels (1 or 2 supported)").arg(channels));
            if (rate < 1000 || rate > 384000)
                return fail<WavAudio>(error,
                                      QStringLiteral("sample rate %1 out of range").arg(rate));
            audio.channels = channels;
            audio.sampleRate = int(rate);
            haveFormat = true;
        } else if (id == "data") {
            if (!haveFormat)
                return fail<WavAudio>(error, QStringLiteral("data chunk before fmt chunk"));
            // Writers that stream to a pipe leave the size unset (0 or all
            // ones): the data then runs to the end of the file.
            if (length == 0 || length == 0xffffffffu || qsizetype(length) > size - pos) {
                if (length != 0 && length != 0xffffffffu && length != 0x7fffffffu)
                    qCWarning(lcMedia)
                        << "WAV data chunk claims" << length << "bytes, file holds" << size - pos;
                length = quint32(size - pos);
            }
            const qsizetype frameBytes = 2 * audio.channels;
            const qsizetype count = (qsizetype(length) / frameBytes) * audio.channels;
            audio.samples.resize(size_t(count));
            for (qsizetype i = 0; i < count; ++i)
                audio.samples[size_t(i)] = qFromLittleEndian<qint16>(p + pos + 2 * i);
            return audio;
        }
        pos += qsizetype(length) + (length & 1); // chunks are padded to even sizes
    }
    return fail<WavAudio>(error, haveFormat ? QStringLiteral("no data chunk")
                                            : QStringLiteral("no fmt chunk"));
}

std::optional<std::vector<int16_t>> WavFile::readAs48kMono(const QString &path, QString *error)
{
    auto audio = read(path, error);
    if (!audio)
        return std::nullopt;
    if (audio->sampleRate == kSampleRate && audio->channels == 1)
        return std::move(audio->samples);
    Resampler resampler(audio->sampleRate, kSampleRate, audio->channels, 1);
    std::vector<int16_t> out = resampler.process(audio->samples);
    const std::vector<int16_t> tail = resampler.flush();
    out.insert(out.end(), tail.begin(), tail.end());
    const size_t frames = audio->samples.size() / size_t(audio->channels);
    out.resize(size_t(std::llround(double(frames) * kSampleRate / audio->sampleRate)), 0);
    return out;
}

bool WavFile::write(const QString &path, const WavAudio &audio, QString *error)
{
    const quint64 bytes = quint64(audio.samples.size()) * 2;
    if (bytes > kMaxDataBytes || audio.channels < 1 || audio.channels > 2 ||
        audio.sampleRate <= 0) {
        if (error)
            *error = QStringLiteral("audio cannot be stored as a WAV file");
        return false;
    }
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    f.write(header(audio.sampleRate, audio.channels, quint32(bytes)));
    QByteArray data(qsizetype(bytes), Qt::Uninitialized);
    for (size_t i = 0; i < audio.samples.size(); ++i)
        qToLittleEndian<qint16>(audio.samples[i], data.data() + 2 * i);
    f.write(data);
    if (!f.commit()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

WavFile::~WavFile()
{
    close();
}

bool WavFile::open(const QString &path, int sampleRate, int channels, QString *error)
{
    close();
    m_file.setFileName(path);
    if (sampleRate <= 0 || channels < 1 || channels > 2 ||
        !m_file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, m_file.errorString());
        return false;
    }
    m_dataBytes = 0;
    // Sizes are filled in by close(); until then a reader sees "to the end".
    return m_file.write(header(sampleRate, channels, 0)) == kHeaderSize;
}

bool WavFile::append(std::span<const int16_t> samples)
{
    if (!m_file.isOpen())
        return false;
    const quint64 bytes = quint64(samples.size()) * 2;
    if (m_dataBytes + bytes > kMaxDataBytes)
        return false;
    QByteArray data(qsizetype(bytes), Qt::Uninitialized);
    for (size_t i = 0; i < samples.size(); ++i)
        qToLittleEndian<qint16>(samples[i], data.data() + 2 * i);
    if (m_file.write(data) != data.size())
        return false;
    m_dataBytes += quint32(bytes);
    return true;
}

bool WavFile::close()
{
    if (!m_file.isOpen())
        return true;
    char size[4];
    bool ok = m_file.seek(4);
    qToLittleEndian<quint32>(36 + m_dataBytes, size);
    ok = ok && m_file.write(size, 4) == 4 && m_file.seek(40);
    qToLittleEndian<quint32>(m_dataBytes, size);
    ok = ok && m_file.write(size, 4) == 4;
    m_file.close();
    return ok;
}

} // namespace softphone::media
