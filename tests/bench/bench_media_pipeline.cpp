// Voice pipeline figures (printed, never asserted): CPU per call for one
// 20 ms block through echo canceller + noise suppressor + encoder + jitter
// buffer + decoder, and the delay of an impulse from SendStream input to
// ReceiveStream output on a loopback without network delay.
#include "ThreadCpuTime.h"
#include "media/MediaFormat.h"
#include "media/ReceiveStream.h"
#include "media/SendStream.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <vector>

using namespace softphone::media;

namespace {
using softphone::bench::threadCpuSeconds;

std::vector<int16_t> voiceLike(int samples)
{
    QRandomGenerator rng(1);
    std::vector<int16_t> out(static_cast<size_t>(samples));
    double lp = 0;
    for (int i = 0; i < samples; ++i) {
        lp = 0.7 * lp + 0.3 * (rng.generateDouble() * 2 - 1);
        out[size_t(i)] = int16_t(std::lround(9000 * lp));
    }
    return out;
}

void cpuPerCall(const char *label, SendStream::Settings settings, int blocks)
{
    SendStream send(settings);
    ReceiveStream receive;
    const auto mic = voiceLike(blocks * kFrameSamples);
    const double start = threadCpuSeconds();
    for (int b = 0; b < blocks; ++b) {
        const auto block = std::span<const int16_t>(mic).subspan(size_t(b) * 960, 960);
        const QByteArray wire = send.processCapture(block);
        if (!wire.isEmpty())
            receive.pushPacket(wire, qint64(b) * 20000);
        const auto played = receive.pullBlock();
        send.processPlayback(played); // the echo reference of a real call
    }
    const double perBlockUs = (threadCpuSeconds() - start) / blocks * 1e6;
    std::printf("%-44s %8.1f us per 20 ms block = %5.2f %% of one core\n", label, perBlockUs,
                perBlockUs / 20000.0 * 100);
}

void impulseDelay()
{
    SendStream::Settings settings;
    settings.echoCancellation = false;
    settings.noiseSuppression = false;
    SendStream send(settings);
    ReceiveStream receive;
    const int blocks = 100;
    const int impulseAt = 50 * kFrameSamples + 100;
    std::vector<int16_t> in(size_t(blocks) * kFrameSamples, 0);
    // A short click on top of low noise (an all-zero input lets Opus idle).
    QRandomGenerator rng(3);
    for (auto &v : in)
        v = int16_t(rng.bounded(-30, 30));
    for (int i = 0; i < 48; ++i)
        in[size_t(impulseAt + i)] = int16_t(20000 * std::sin(M_PI * i / 48.0));
    std::vector<int16_t> out;
    double bufferMs = 0;
    for (int b = 0; b < blocks + 10; ++b) {
        if (b == blocks / 2)
            bufferMs = receive.quality().bufferDelayMs;
        if (b < blocks) {
            const QByteArray wire =
                send.processCapture(std::span<const int16_t>(in).subspan(size_t(b) * 960, 960));
            receive.pushPacket(wire, qint64(b) * 20000);
        }
        const auto block = receive.pullBlock();
        out.insert(out.end(), block.begin(), block.end());
    }
    size_t peak = 0;
    for (size_t i = 0; i < out.size(); ++i)
        if (std::abs(out[i]) > std::abs(out[peak]))
            peak = i;
    const double delayMs = double(qsizetype(peak) - (impulseAt + 24)) / kSamplesPerMs;
    std::printf(
        "impulse delay SendStream in -> ReceiveStream out %6.1f ms (codec + jitter buffer)\n",
        delayMs);
    std::printf(
        "  + 20 ms block accumulation before encoding  %6.1f ms (device buffers excluded)\n",
        delayMs + kFrameMs);
    std::printf("  jitter buffer depth mid-stream              %6.1f ms\n", bufferMs);
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int blocks = 3000; // 60 s of audio
    SendStream::Settings full;
    cpuPerCall("full call (WebRTC AEC+NS+AGC, Opus c5, JB)", full, blocks);
    SendStream::Settings noAec;
    noAec.echoCancellation = false;
    cpuPerCall("without echo canceller (NS+AGC)", noAec, blocks);
    SendStream::Settings codecOnly;
    codecOnly.echoCancellation = false;
    codecOnly.noiseSuppression = false;
    cpuPerCall("codec + jitter buffer only (Opus c5)", codecOnly, blocks);
    codecOnly.codec.complexity = 10;
    cpuPerCall("codec + jitter buffer only (Opus c10)", codecOnly, blocks);
    impulseDelay();
    return 0;
}
