// EchoCanceller: the far end's voice played by the speaker and picked up by
// the microphone is measurably removed (echo return loss enhancement).
#include "media/EchoCanceller.h"
#include "media/MediaFormat.h"
#include "support/SignalTools.h"

#include <QRandomGenerator>
#include <QTest>

using namespace softphone::media;
using namespace softphone::media::test;

namespace {
// Speech-like noise: white noise through a one-pole low-pass, with a slow
// syllable-rate envelope.
std::vector<int16_t> farEndVoice(int samples)
{
    QRandomGenerator rng(99);
    std::vector<int16_t> out(static_cast<size_t>(samples));
    double lp = 0;
    for (int i = 0; i < samples; ++i) {
        const double white = rng.generateDouble() * 2 - 1;
        lp = 0.7 * lp + 0.3 * white;
        const double envelope = 0.6 + 0.4 * std::sin(2 * std::numbers::pi * 4.0 * i / kSampleRate);
        out[size_t(i)] = int16_t(std::lround(12000 * lp * envelope));
    }
    return out;
}

// The room: the speaker's sound reaches the microphone 30 ms later, weaker
// and smeared over a few taps, with a little microphone noise.
std::vector<int16_t> room(const std::vector<int16_t> &speaker)
{
    const int delay = 30 * kSamplesPerMs;
    const double taps[] = {0.35, 0.2, -0.1, 0.05};
    QRandomGenerator rng(5);
    std::vector<int16_t> mic(speaker.size());
    for (size_t i = 0; i < mic.size(); ++i) {
        double v = (rng.generateDouble() * 2 - 1) * 20;
        for (int k = 0; k < 4; ++k) {
            const qsizetype j = qsizetype(i) - delay - k * 24;
            if (j >= 0)
                v += taps[k] * speaker[size_t(j)];
        }
        mic[i] = int16_t(std::clamp(std::lround(v), -32768L, 32767L));
    }
    return mic;
}

// ERLE in dB over the last `measureBlocks` blocks.
double erle(bool giveReference, int blocks, int measureBlocks)
{
    const auto speaker = farEndVoice(blocks * kFrameSamples);
    const auto mic = room(speaker);
    EchoCanceller aec(200);
    double inEnergy = 0, outEnergy = 0;
    std::vector<int16_t> block(kFrameSamples);
    for (int b = 0; b < blocks; ++b) {
        const auto played = std::span<const int16_t>(speaker).subspan(size_t(b) * 960, 960);
        if (giveReference)
            aec.playback(played);
        const auto captured = std::span<const int16_t>(mic).subspan(size_t(b) * 960, 960);
        std::copy(captured.begin(), captured.end(), block.begin());
        aec.capture(block);
        if (b >= blocks - measureBlocks) {
            inEnergy += energy(captured);
            outEnergy += energy(block);
        }
    }
    return 10 * std::log10(inEnergy / std::max(outEnergy, 1.0));
}
} // namespace

class TestEchoCanceller : public QObject
{
    Q_OBJECT

private slots:
    void echoIsAttenuatedAfterConvergence()
    {
        const double withReference = erle(true, 500, 150); // 10 s, measured over the last 3 s
        const double withoutReference = erle(false, 500, 150);
        qInfo("ERLE %.1f dB with the speaker reference, %.1f dB without", withReference,
              withoutReference);
        QVERIFY2(withReference > 6, qPrintable(QString::number(withReference)));
        // Without the reference there is nothing to cancel: the measurement is real.
        QVERIFY(withoutReference < 3);
    }
};

QTEST_GUILESS_MAIN(TestEchoCanceller)
#include "tst_echocanceller.moc"
