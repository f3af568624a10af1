#pragma once
// A simulated acoustic echo path for measuring echo cancellers offline, shared
// by bench_echo_canceller (figures) and tst_echocanceller (pass/fail): the far
// end's speech, as the speaker plays it, reaches the microphone delayed,
// attenuated and smeared by a few room reflections, mixed with near-end speech
// and a little microphone noise. A canceller is run on it block by block as
// the live pipeline runs it (speaker block first, then the microphone block),
// and EchoFigures measures it against the parts it could not see.
//
// Timeline (20 ms blocks): far end only 0-12 s (convergence, then ERLE), both
// talk 12-20 s, near end only 20-24 s, far end only again 24-32 s (does the
// canceller hold after double talk, and follow a changed echo path?).

#include "support/SignalTools.h"

#include <QRandomGenerator>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace softphone::media::test {

struct EchoScenario
{
    static constexpr int kBlocksPerSecond = 50;
    static constexpr int kFarOnlyEnd = 12 * kBlocksPerSecond;
    static constexpr int kDoubleTalkEnd = 20 * kBlocksPerSecond;
    static constexpr int kNearOnlyEnd = 24 * kBlocksPerSecond;
    static constexpr int kBlocks = 32 * kBlocksPerSecond;

    // How the speaker's sound reaches the microphone.
    struct Path
    {
        int delayMs = 30;
        double echoLossDb = 10;     // the echo arrives this far below the speaker signal
        double nearBelowFarDb = 6;  // the near end's voice, against the speaker signal
        double speakerLimit = 0;    // > 0: the loudspeaker saturates softly at this level
        int delayFromChangeMs = -1; // >= 0: at 24 s the path changes (new delay, new reflections)
    };

    Path path;
    std::vector<int16_t> speaker; // the far end, as played
    std::vector<int16_t> nearEnd; // the near end's voice at the microphone
    std::vector<int16_t> mic;     // echo + near end + noise
};

// What the far end would hear from this canceller.
struct EchoFigures
{
    double erleConvergingDb = 0;      // 0-2 s
    double erleDb = 0;                // 4-12 s: after convergence
    double erleAfterDoubleTalkDb = 0; // 26-32 s (after a path change, if any)
    double erleAfterChangeDb = 0;     // 24-26 s: re-finding a changed path
    double doubleTalkCorrelation = 0; // output vs the clean near end, 12-20 s
    double doubleTalkLevelDb = 0;     // output energy / clean near-end energy, 12-20 s
    double nearOnlyCorrelation = 0;   // 20-24 s
    double nearOnlyLevelDb = 0;
    double outputLagMs = 0; // how much later the near end's voice comes out
};

// Far-end and near-end speech by espeak-ng (two voices); empty when espeak-ng
// is missing.
inline std::pair<std::vector<int16_t>, std::vector<int16_t>> echoScenarioSpeech()
{
    auto far = speech(QStringLiteral(
        "The quick brown fox jumps over the lazy dog. A journey of a thousand miles begins with a "
        "single step. Please call me back when you have a moment, the meeting moved to Thursday "
        "afternoon at three. We should check the numbers before the report goes out next week. "
        "It was raining all morning, but the sun came out after lunch and the streets dried "
        "quickly."));
    auto near =
        speech(QStringLiteral("Sorry to interrupt, but I cannot hear you very well. Could "
                              "you say that again a little slower? I think the line is bad, "
                              "let me move closer to the window."),
               {QStringLiteral("-v"), QStringLiteral("en+f3")});
    return {std::move(far), std::move(near)};
}

inline EchoScenario makeEchoScenario(std::span<const int16_t> farSpeech,
                                     std::span<const int16_t> nearSpeech,
                                     const EchoScenario::Path &path)
{
    constexpr size_t block = 960;
    const size_t total = size_t(EchoScenario::kBlocks) * block;
    EchoScenario s;
    s.path = path;
    s.speaker.assign(total, 0);
    s.nearEnd.assign(total, 0);
    s.mic.assign(total, 0);
    if (farSpeech.empty() || nearSpeech.empty())
        return s;

    auto rms = [](std::span<const int16_t> x) {
        return std::sqrt(energy(x) / double(std::max<size_t>(x.size(), 1)));
    };
    // The far end talks (its speech looped) except during "near end only".
    const double farGain = 3000 / rms(farSpeech);
    std::vector<double> speaker(total, 0);
    size_t f = 0;
    for (size_t i = 0; i < total; ++i) {
        const size_t b = i / block;
        if (b >= size_t(EchoScenario::kDoubleTalkEnd) && b < size_t(EchoScenario::kNearOnlyEnd))
            continue;
        speaker[i] = farGain * farSpeech[f];
        f = (f + 1) % farSpeech.size();
    }
    // The near end talks from the start of double talk to the end of "near end only".
    const double nearGain = 3000 * std::pow(10, -path.nearBelowFarDb / 20) / rms(nearSpeech);
    std::vector<double> nearEnd(total, 0);
    size_t n = 0;
    for (size_t i = size_t(EchoScenario::kFarOnlyEnd) * block;
         i < size_t(EchoScenario::kNearOnlyEnd) * block; ++i) {
        nearEnd[i] = nearGain * nearSpeech[n];
        n = (n + 1) % nearSpeech.size();
    }
    // The room: the direct sound, then 40 reflections over 60 ms, each
    // weaker (15 ms time constant) with a random sign; after a change, other
    // reflections.
    QRandomGenerator rng(uint(path.delayMs) * 7919u + 13u);
    auto room = [&rng] {
        std::vector<std::pair<size_t, double>> taps{{0, 1.0}};
        for (int k = 0; k < 40; ++k) {
            const double t = 2 + rng.generateDouble() * 58; // ms after the direct sound
            const double sign = rng.generateDouble() < 0.5 ? -1 : 1;
            taps.emplace_back(size_t(t * 48), sign * 0.5 * std::exp(-t / 15));
        }
        return taps;
    };
    const auto before = room();
    const auto after = room();
    // What comes out of the loudspeaker.
    std::vector<double> sound(speaker);
    if (path.speakerLimit > 0)
        for (double &v : sound)
            v = path.speakerLimit * std::tanh(v / path.speakerLimit);
    const size_t change =
        path.delayFromChangeMs >= 0 ? size_t(EchoScenario::kNearOnlyEnd) * block : total;
    std::vector<double> echo(total, 0);
    for (size_t i = 0; i < total; ++i) {
        const bool changed = i >= change;
        const size_t delay = size_t(changed ? path.delayFromChangeMs : path.delayMs) * 48;
        const auto &taps = changed ? after : before;
        double v = 0;
        for (const auto &[at, gain] : taps)
            if (i >= delay + at)
                v += gain * sound[i - delay - at];
        echo[i] = v;
    }
    auto rmsOf = [](const std::vector<double> &x) {
        double e = 0;
        for (double v : x)
            e += v * v;
        return std::sqrt(e / double(x.size()));
    };
    const double echoGain =
        rmsOf(speaker) / std::max(rmsOf(echo), 1e-9) * std::pow(10, -path.echoLossDb / 20);
    auto clip = [](double v) { return int16_t(std::clamp(std::lround(v), -32768L, 32767L)); };
    for (size_t i = 0; i < total; ++i) {
        const double noise = (rng.generateDouble() * 2 - 1) * 30; // about -64 dBFS
        s.speaker[i] = clip(speaker[i]);
        s.nearEnd[i] = clip(nearEnd[i]);
        s.mic[i] = clip(echoGain * echo[i] + nearEnd[i] + noise);
    }
    return s;
}

// Runs `process(played, mic)` block by block (it cancels in place) and
// measures the output.
inline EchoFigures
runEchoScenario(const EchoScenario &s,
                const std::function<void(std::span<const int16_t>, std::span<int16_t>)> &process)
{
    constexpr size_t block = 960;
    std::vector<int16_t> out(s.mic.size());
    for (size_t b = 0; b * block < s.mic.size(); ++b) {
        const size_t at = b * block;
        std::copy_n(s.mic.begin() + qsizetype(at), block, out.begin() + qsizetype(at));
        process(std::span<const int16_t>(s.speaker).subspan(at, block),
                std::span<int16_t>(out).subspan(at, block));
    }
    auto part = [](std::span<const int16_t> x, int fromBlock, int toBlock) {
        return x.subspan(size_t(fromBlock) * block, size_t(toBlock - fromBlock) * block);
    };
    auto erle = [&](int from, int to) {
        return 10 * std::log10(energy(part(s.mic, from, to)) /
                               std::max(energy(part(out, from, to)), 1.0));
    };
    // Processing may delay the output (WebRTC's band splitting and noise
    // suppressor, speexdsp's preprocessor: up to 20 ms): the lag is found on
    // 2 s of the near end alone (every 8th lag, then around the best), then
    // correlation and level are taken at it.
    const auto cleanAlone =
        part(s.nearEnd, EchoScenario::kDoubleTalkEnd, EchoScenario::kDoubleTalkEnd + 100);
    const auto heardAlone =
        part(out, EchoScenario::kDoubleTalkEnd, EchoScenario::kDoubleTalkEnd + 100);
    std::pair<double, int> coarse{-2, 0};
    for (int l = 0; l <= 1440; l += 8)
        coarse = std::max(coarse, std::pair{ncc(cleanAlone, heardAlone, l), l});
    const int lag =
        bestNcc(cleanAlone, heardAlone, std::max(coarse.second - 8, 0), coarse.second + 8).second;
    auto nearEnd = [&](int from, int to) {
        const auto clean = part(s.nearEnd, from, to);
        const auto heard = part(out, from, to);
        const double correlation = ncc(clean, heard, lag);
        const double level =
            10 * std::log10(std::max(energy(heard), 1.0) / std::max(energy(clean), 1.0));
        return std::pair{correlation, level};
    };
    constexpr int perSecond = EchoScenario::kBlocksPerSecond;
    EchoFigures figures;
    figures.erleConvergingDb = erle(0, 2 * perSecond);
    figures.erleDb = erle(4 * perSecond, EchoScenario::kFarOnlyEnd);
    figures.erleAfterDoubleTalkDb =
        erle(EchoScenario::kNearOnlyEnd + 2 * perSecond, EchoScenario::kBlocks);
    figures.erleAfterChangeDb =
        erle(EchoScenario::kNearOnlyEnd, EchoScenario::kNearOnlyEnd + 2 * perSecond);
    std::tie(figures.doubleTalkCorrelation, figures.doubleTalkLevelDb) =
        nearEnd(EchoScenario::kFarOnlyEnd, EchoScenario::kDoubleTalkEnd);
    figures.outputLagMs = lag / 48.0;
    std::tie(figures.nearOnlyCorrelation, figures.nearOnlyLevelDb) =
        nearEnd(EchoScenario::kDoubleTalkEnd, EchoScenario::kNearOnlyEnd);
    return figures;
}

// A call through real devices with an acoustic loop: what the far end `said`,
// what reached the near end's microphone (`atMic`), and what the far end
// `heard` back, each starting when the call's audio did.
struct EchoHeard
{
    double atMicDb = 0; // the echo at the microphone against what was said
    double firstDb = 0; // heard against said, before `settledSeconds`
    double afterDb = 0; // heard against said, from `settledSeconds` to the end of `said`
    // The median second of that span: a stall of the process (a capture
    // backlog trimmed, the speaker refilled) shifts the echo against its
    // reference and lets a second or so through while the canceller re-adapts.
    double medianAfterDb = 0;
    QString perSecond; // heard against said, second by second (dB)
};

inline EchoHeard measureEchoHeard(std::span<const int16_t> said, std::span<const int16_t> atMic,
                                  std::span<const int16_t> heard, int settledSeconds)
{
    constexpr size_t rate = 48000;
    const auto part = [](std::span<const int16_t> x, size_t from, size_t to) {
        from = std::min(from, x.size());
        return x.subspan(from, std::min(to, x.size()) - from);
    };
    const auto db = [](double a, double b) {
        return 10 * std::log10(std::max(a, 1.0) / std::max(b, 1.0));
    };
    const size_t settled = size_t(settledSeconds) * rate;
    EchoHeard h;
    h.atMicDb = db(energy(atMic), energy(said));
    h.firstDb = db(energy(part(heard, 0, settled)), energy(part(said, 0, settled)));
    h.afterDb =
        db(energy(part(heard, settled, said.size())), energy(part(said, settled, said.size())));
    std::vector<double> after;
    for (size_t at = 0; at + rate <= said.size(); at += rate) {
        const double second =
            db(energy(part(heard, at, at + rate)), energy(part(said, at, at + rate)));
        h.perSecond += QStringLiteral(" %1").arg(second, 0, 'f', 0);
        if (at >= settled)
            after.push_back(second);
    }
    if (!after.empty()) {
        std::nth_element(after.begin(), after.begin() + qsizetype(after.size() / 2), after.end());
        h.medianAfterDb = after[after.size() / 2];
    }
    return h;
}

} // namespace softphone::media::test
