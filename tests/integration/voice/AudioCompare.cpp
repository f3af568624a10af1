#include "AudioCompare.h"

#include <algorithm>
#include <cmath>

namespace softphone::test {

namespace {
constexpr qint64 kBlock = 960;
constexpr qint64 kMs = 48;

double blockDbfs(std::span<const int16_t> audio, qint64 block)
{
    double sum = 0;
    for (qint64 i = block * kBlock; i < (block + 1) * kBlock; ++i)
        sum += double(audio[size_t(i)]) * audio[size_t(i)];
    const double rms = std::sqrt(sum / kBlock) / 32768.0;
    return rms > 0 ? 20 * std::log10(rms) : -200;
}

double correlationAt(std::span<const int16_t> a, std::span<const int16_t> b, qint64 lag)
{
    double ab = 0, aa = 0, bb = 0;
    for (qint64 i = 0; i < qint64(a.size()); ++i) {
        const qint64 j = i + lag;
        if (j < 0 || j >= qint64(b.size()))
            continue;
        ab += double(a[size_t(i)]) * b[size_t(j)];
        aa += double(a[size_t(i)]) * a[size_t(i)];
        bb += double(b[size_t(j)]) * b[size_t(j)];
    }
    return aa > 0 && bb > 0 ? ab / std::sqrt(aa * bb) : 0;
}

std::vector<double> envelope(std::span<const int16_t> audio)
{
    std::vector<double> env(audio.size() / size_t(kMs));
    for (size_t m = 0; m < env.size(); ++m) {
        double sum = 0;
        for (size_t i = m * kMs; i < (m + 1) * kMs; ++i)
            sum += std::abs(double(audio[i]));
        env[m] = sum / kMs;
    }
    return env;
}
} // namespace

ActiveSpan activeSpan(std::span<const int16_t> audio, double thresholdDbfs)
{
    ActiveSpan span;
    const qint64 blocks = qint64(audio.size()) / kBlock;
    for (qint64 b = 0; b < blocks; ++b) {
        if (blockDbfs(audio, b) > thresholdDbfs) {
            if (span.firstBlock < 0)
                span.firstBlock = b;
            span.endBlock = b + 1;
        }
    }
    return span;
}

int silentBlocksWithin(std::span<const int16_t> audio, const ActiveSpan &span, double thresholdDbfs)
{
    int silent = 0;
    for (qint64 b = span.firstBlock; b >= 0 && b < span.endBlock; ++b)
        if (blockDbfs(audio, b) < thresholdDbfs)
            ++silent;
    return silent;
}

Alignment align(std::span<const int16_t> sent, std::span<const int16_t> received, qint64 minLag,
                qint64 maxLag)
{
    // Coarse: envelopes at 1 ms resolution (the envelope is not fooled by a
    // tone's periodicity the way the waveform is).
    const std::vector<double> es = envelope(sent);
    const std::vector<double> er = envelope(received);
    double best = -2;
    qint64 bestMs = minLag / kMs;
    for (qint64 lagMs = minLag / kMs; lagMs <= maxLag / kMs; ++lagMs) {
        double ab = 0, aa = 0, bb = 0;
        for (qint64 i = 0; i < qint64(es.size()); ++i) {
            const qint64 j = i + lagMs;
            if (j < 0 || j >= qint64(er.size()))
                continue;
            ab += es[size_t(i)] * er[size_t(j)];
            aa += es[size_t(i)] * es[size_t(i)];
            bb += er[size_t(j)] * er[size_t(j)];
        }
        const double c = aa > 0 && bb > 0 ? ab / std::sqrt(aa * bb) : 0;
        if (c > best) {
            best = c;
            bestMs = lagMs;
        }
    }
    // Fine: per sample within +-2 ms of the coarse lag.
    Alignment result{bestMs * kMs, -2};
    for (qint64 lag = bestMs * kMs - 2 * kMs; lag <= bestMs * kMs + 2 * kMs; ++lag) {
        const double c = correlationAt(sent, received, lag);
        if (c > result.correlation)
            result = {lag, c};
    }
    return result;
}

double medianSecondCorrelation(std::span<const int16_t> sent, std::span<const int16_t> received,
                               qint64 lag, int maxFrames)
{
    constexpr qint64 kSecond = 48000, kFrame = 960;
    std::vector<double> seconds;
    for (qint64 from = 0; from + kSecond <= qint64(sent.size()); from += kSecond) {
        const auto window = sent.subspan(size_t(from), size_t(kSecond));
        double e = 0;
        for (int16_t v : window)
            e += double(v) * v;
        if (10 * std::log10(std::max(e / double(kSecond), 1.0) / (32768.0 * 32768.0)) < -40)
            continue; // a pause: nothing to compare
        // Each second's own best lag near the call's: `lag` itself may sit
        // between two plateaus (a call with a frame inserted half-way aligns
        // best half a frame off either), so not only its whole-frame moves.
        const qint64 reach = maxFrames * kFrame + kFrame / 2;
        seconds.push_back(
            align(window, received, from + lag - reach, from + lag + reach).correlation);
    }
    if (seconds.empty())
        return -2;
    std::sort(seconds.begin(), seconds.end());
    return seconds[seconds.size() / 2];
}

} // namespace softphone::test
