// Echo cancellation figures (printed, never asserted; docs/benchmarks.md
// "Echo cancellation"): speexdsp's canceller against WebRTC's audio
// processing on a simulated echo path (tests/support/EchoScenario.h: espeak-ng
// speech, the speaker delayed 30-80 ms and attenuated into the microphone,
// with near-end speech), run block by block as the live pipeline runs it.
// Per engine and delay: ERLE while converging, after convergence and after
// double talk; the near end's voice kept during double talk and alone
// (correlation with the clean voice, level against it); CPU per 10 ms frame.
// Then noise suppression alone: the near end's voice in steady noise, for
// speexdsp's preprocessor and WebRTC's suppressor (and its gain control).
// Usage: bench_echo_canceller [delay ms ...]   (default 30 55 80)
#include "ThreadCpuTime.h"
#include "media/EchoCanceller.h"
#include "media/NoiseSuppressor.h"
#include "support/EchoScenario.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <cstdio>
#include <memory>

using namespace softphone::media;
using namespace softphone::media::test;
using softphone::bench::threadCpuSeconds;

namespace {

struct Chain
{
    const char *label;
    EchoCanceller::Engine engine;
    bool noiseSuppression; // and gain control with WebRTC
    // Told the echo path's delay (setStreamDelayMs), as a call tells it the
    // devices' measured buffers; the path change at 24 s is told too.
    bool toldDelay = false;
};

void run(const Chain &chain, const EchoScenario &scenario)
{
    EchoCanceller::Settings settings;
    settings.engine = chain.engine;
    const bool webRtc = chain.engine == EchoCanceller::Engine::WebRtc;
    settings.noiseSuppression = webRtc && chain.noiseSuppression;
    settings.gainControl = settings.noiseSuppression;
    EchoCanceller aec(settings);
    // speexdsp's chain as SendStream builds it: the preprocessor after the
    // canceller, with its state for residual echo suppression.
    std::unique_ptr<NoiseSuppressor> noise;
    if (!webRtc && chain.noiseSuppression) {
        noise = std::make_unique<NoiseSuppressor>();
        noise->setEchoState(aec.state());
    }
    double cpu = 0;
    int block = 0;
    const EchoFigures f = runEchoScenario(scenario, [&](std::span<const int16_t> played,
                                                        std::span<int16_t> mic) {
        if (chain.toldDelay) {
            const bool changed =
                scenario.path.delayFromChangeMs >= 0 && block >= EchoScenario::kNearOnlyEnd;
            aec.setStreamDelayMs(changed ? scenario.path.delayFromChangeMs : scenario.path.delayMs);
        }
        ++block;
        const double start = threadCpuSeconds();
        aec.playback(played);
        aec.capture(mic);
        if (noise)
            noise->process(mic);
        cpu += threadCpuSeconds() - start;
    });
    const double framesOf10ms = EchoScenario::kBlocks * 2.0;
    std::printf("%-34s %3d ms  %6.1f %6.1f %6.1f %6.1f   %5.2f %6.1f   %5.2f %6.1f %5.1f   %7.1f\n",
                chain.label, scenario.path.delayMs, f.erleConvergingDb, f.erleDb,
                f.erleAfterChangeDb, f.erleAfterDoubleTalkDb, f.doubleTalkCorrelation,
                f.doubleTalkLevelDb, f.nearOnlyCorrelation, f.nearOnlyLevelDb, f.outputLagMs,
                cpu / framesOf10ms * 1e6);
    std::fflush(stdout);
}

// The near end's voice (10 s, looped) in steady low-passed noise at about
// -49 dBFS RMS, no far end: how far the noise goes down in the pauses, and how
// much of the voice is kept.
void noiseSuppression(const char *label, const std::function<void(std::span<int16_t>)> &process,
                      std::span<const int16_t> voice)
{
    constexpr size_t block = 960;
    constexpr size_t blocks = 500;
    QRandomGenerator rng(3);
    std::vector<int16_t> clean(blocks * block), noisy(blocks * block), out(blocks * block);
    double lp = 0;
    for (size_t i = 0; i < clean.size(); ++i) {
        lp = 0.9 * lp + 0.1 * (rng.generateDouble() * 2 - 1);
        clean[i] = voice[i % voice.size()];
        noisy[i] = int16_t(std::clamp(std::lround(clean[i] + 900 * lp), -32768L, 32767L));
    }
    out = noisy;
    double cpu = 0;
    for (size_t b = 0; b < blocks; ++b) {
        const double start = threadCpuSeconds();
        process(std::span<int16_t>(out).subspan(b * block, block));
        cpu += threadCpuSeconds() - start;
    }
    // After 2 s of learning, at the output's lag: pauses (the block and its
    // neighbours 40 dB below the voice's peak level) against the voice.
    const size_t first = 100;
    const auto cleanPart = std::span<const int16_t>(clean).subspan(first * block);
    const auto outPart = std::span<const int16_t>(out).subspan(first * block);
    const int lag = bestNcc(cleanPart.first(2 * 48000), outPart.first(2 * 48000), 0, 1440).second;
    auto cleanEnergy = [&](size_t b) {
        return energy(std::span<const int16_t>(clean).subspan(b * block, block));
    };
    double peak = 0;
    for (size_t b = first; b < blocks; ++b)
        peak = std::max(peak, cleanEnergy(b));
    double noiseIn = 0, noiseOut = 0;
    for (size_t b = first; b + 2 < blocks; ++b) {
        if (std::max({cleanEnergy(b - 1), cleanEnergy(b), cleanEnergy(b + 1)}) > peak * 1e-4)
            continue;
        noiseIn += energy(std::span<const int16_t>(noisy).subspan(b * block, block));
        noiseOut += energy(std::span<const int16_t>(out).subspan(b * block + size_t(lag), block));
    }
    std::printf("%-34s  %6.1f   %5.2f %6.1f %5.1f   %7.1f\n", label,
                10 * std::log10(std::max(noiseOut, 1.0) / noiseIn), ncc(cleanPart, outPart, lag),
                10 * std::log10(energy(outPart) / energy(cleanPart)), lag / 48.0,
                cpu / (blocks * 2.0) * 1e6);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QList<int> delays;
    for (const QString &arg : app.arguments().mid(1))
        delays << arg.toInt();
    if (delays.isEmpty())
        delays = {30, 55, 80};
    const auto [far, near] = echoScenarioSpeech();
    if (far.empty() || near.empty())
        return 1;
    const Chain chains[] = {
        {"speexdsp canceller (200 ms tail)", EchoCanceller::Engine::Speex, false},
        {"speexdsp canceller + preprocessor", EchoCanceller::Engine::Speex, true},
        {"WebRTC AEC", EchoCanceller::Engine::WebRtc, false},
        {"WebRTC AEC + NS + AGC", EchoCanceller::Engine::WebRtc, true},
        {"WebRTC AEC + NS + AGC, told delay", EchoCanceller::Engine::WebRtc, true, true},
    };
    struct Condition
    {
        const char *title;
        double speakerLimit;
        int delayChangeMs;
    };
    const Condition conditions[] = {
        {"linear echo path", 0, -1},
        {"loudspeaker saturating softly at -10 dBFS, path change (+20 ms, new reflections) at 24 s",
         10000, 20},
    };
    std::printf("echo 10 dB below the speaker signal (speech at -21 dBFS), near end 6 dB below it, "
                "noise -65 dBFS; 32 s per run:\n"
                "far end 0-12 s, both 12-20 s, near end 20-24 s, far end 24-32 s\n");
    for (const Condition &condition : conditions) {
        std::printf("\n%s\n", condition.title);
        std::printf("%-34s %6s  %-27s   %-12s   %-18s   %s\n", "", "", "ERLE dB", "double talk",
                    "near end only", "CPU");
        std::printf("%-34s %6s  %6s %6s %6s %6s   %5s %6s   %5s %6s %5s   %7s\n", "chain", "delay",
                    "0-2s", "4-12s", "24-26s", "26-32s", "corr", "dB", "corr", "dB", "lag",
                    "us/10ms");
        for (int delay : delays) {
            EchoScenario::Path path;
            path.delayMs = delay;
            path.speakerLimit = condition.speakerLimit;
            if (condition.delayChangeMs > 0)
                path.delayFromChangeMs = delay + condition.delayChangeMs;
            const EchoScenario scenario = makeEchoScenario(far, near, path);
            for (const Chain &chain : chains)
                run(chain, scenario);
        }
    }

    const double voiceDbfs =
        10 * std::log10(energy(near) / double(near.size()) / (32768.0 * 32768.0));
    std::printf(
        "\nnoise suppression: the near end's voice (%.0f dBFS RMS with its pauses) in steady "
        "low-passed noise at -49 dBFS; pauses = 60 ms 40 dB below the voice's peak\n",
        voiceDbfs);
    std::printf("%-34s  %6s   %5s %6s %5s   %7s\n", "", "noise", "voice", "", "", "CPU");
    std::printf("%-34s  %6s   %5s %6s %5s   %7s\n", "chain", "dB", "corr", "dB", "lag", "us/10ms");
    NoiseSuppressor speexNoise;
    noiseSuppression(
        "speexdsp preprocessor", [&](std::span<int16_t> b) { speexNoise.process(b); }, near);
    for (const bool gain : {false, true}) {
        EchoCanceller::Settings settings;
        settings.cancelEcho = false;
        settings.noiseSuppression = true;
        settings.gainControl = gain;
        EchoCanceller webRtc(settings);
        noiseSuppression(
            gain ? "WebRTC NS + AGC" : "WebRTC NS",
            [&](std::span<int16_t> b) { webRtc.capture(b); }, near);
    }
    return 0;
}
