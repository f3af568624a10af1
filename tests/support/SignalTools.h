#pragma once
// Signal measurements shared by the media tests and the tests that record
// sound devices (softphone_test_signals): correlation, energy, tone detection
// (Goertzel), and speech made at test time with espeak-ng.

#include "media/WavFile.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <optional>
#include <span>
#include <vector>

namespace softphone::media::test {

// Normalised cross-correlation of a[i] with b[i + lag] over the overlap.
inline double ncc(std::span<const int16_t> a, std::span<const int16_t> b, int lag)
{
    double ab = 0, aa = 0, bb = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        const qsizetype j = qsizetype(i) + lag;
        if (j < 0 || j >= qsizetype(b.size()))
            continue;
        ab += double(a[i]) * b[size_t(j)];
        aa += double(a[i]) * a[i];
        bb += double(b[size_t(j)]) * b[size_t(j)];
    }
    return (aa > 0 && bb > 0) ? ab / std::sqrt(aa * bb) : 0;
}

// The best correlation with b delayed by a lag in [minLag, maxLag].
inline std::pair<double, int> bestNcc(std::span<const int16_t> a, std::span<const int16_t> b,
                                      int minLag, int maxLag)
{
    std::pair<double, int> best{-2, 0};
    for (int lag = minLag; lag <= maxLag; ++lag) {
        const double c = ncc(a, b, lag);
        if (c > best.first)
            best = {c, lag};
    }
    return best;
}

inline double energy(std::span<const int16_t> s)
{
    double e = 0;
    for (int16_t v : s)
        e += double(v) * v;
    return e;
}

// Power of one frequency (Goertzel), for telling tones apart; normalised so a
// sine of amplitude A over the whole span gives about A*A/4 (0 for no samples).
inline double tonePower(std::span<const int16_t> s, double frequency, int rate = 48000)
{
    if (s.empty())
        return 0;
    const double w = 2 * std::numbers::pi * frequency / rate;
    const double c = 2 * std::cos(w);
    double s1 = 0, s2 = 0;
    for (int16_t v : s) {
        const double s0 = v + c * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    return (s1 * s1 + s2 * s2 - c * s1 * s2) / double(s.size() * s.size());
}

inline std::vector<int16_t> sine(double frequency, int samples, double amplitude = 8000,
                                 int rate = 48000)
{
    std::vector<int16_t> out(static_cast<size_t>(samples));
    for (int i = 0; i < samples; ++i)
        out[size_t(i)] =
            int16_t(std::lround(amplitude * std::sin(2 * std::numbers::pi * frequency * i / rate)));
    return out;
}

// Spoken text at 48 kHz mono, padded with silence to whole 20 ms frames;
// `options` go to espeak-ng first (a voice: {"-v", "en+f3"}). Fails the
// calling test (returns empty) when espeak-ng is not installed.
inline std::vector<int16_t> speech(const QString &text, const QStringList &options = {})
{
    const QString espeak = QStandardPaths::findExecutable(QStringLiteral("espeak-ng"));
    if (espeak.isEmpty()) {
        qWarning("espeak-ng is not installed (apt-get install espeak-ng): cannot make speech");
        return {};
    }
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("speech.wav"));
    QProcess p;
    p.start(espeak, QStringList(options) << QStringLiteral("-w") << path << text);
    if (!p.waitForFinished(30000) || p.exitCode() != 0) {
        qWarning("espeak-ng failed: %s", p.readAllStandardError().constData());
        return {};
    }
    QString error;
    auto samples = WavFile::readAs48kMono(path, &error);
    if (!samples) {
        qWarning("cannot read espeak-ng output: %s", qPrintable(error));
        return {};
    }
    samples->resize((samples->size() + 959) / 960 * 960, 0);
    return *samples;
}

} // namespace softphone::media::test
