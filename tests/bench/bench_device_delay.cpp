// Pipeline delay INCLUDING device buffers (docs/benchmarks.md "Voice"), figures
// only, never a ctest test. Run inside tests/desktop-session (PulseAudio null
// devices: default source softphone_mic = monitor of the null sink
// softphone_mic_feed, default sink softphone_speaker).
//
// A real softphone-server on loopback, alice (caller) captures from the default
// microphone and writes what she hears to a file; bob (callee) sends a silent
// file and plays on the default speaker. A short chirp burst is played into
// softphone_mic_feed every second while two `parec` processes record
// softphone_mic_feed.monitor and softphone_speaker.monitor. Delay per burst =
// onset on the speaker monitor - onset on the feed monitor.
//
// Common time base: each parec stream's sample index is mapped onto this
// process's monotonic clock by the lower envelope of (read time - samples
// received / 48 kHz) over all reads (the reads that came soonest after the data
// was ready). Both streams are the same kind of source (null sink monitor) with
// the same parec settings, so their constant capture latency cancels in the
// difference. `--calibrate` records the feed monitor on both streams (no call),
// the second one started 333 ms later: the "delay" it prints is the error of
// this time base. `--calibrate-combined` plays the bursts through a
// module-combine-sink into both sinks at once and records feed and speaker
// monitors: the "delay" is the time base error between the two monitors plus
// the combine sink's alignment error.
//
// Usage: bench_device_delay [BURSTS (default 20)] [--calibrate | --calibrate-combined]

#include "CliProcess.h"
#include "ServerProcess.h"
#include "WavFile.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <numbers>

using namespace softphone::test;
using softphone::media::WavAudio;
using softphone::media::WavFile;

namespace {

constexpr int kRate = 48000;
constexpr double kAbsThreshold = 300; // envelope level that means "a burst is there"

QElapsedTimer g_clock;

// parec on a monitor; every read is stamped with the monotonic clock.
class Recorder
{
public:
    explicit Recorder(const QString &source)
    {
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process, [this] {
            const qint64 t = g_clock.nsecsElapsed();
            m_bytes += m_process.readAllStandardOutput();
            const double n = double(m_bytes.size() / 2);
            m_reads.push_back({n, double(t) - n * 1e9 / kRate});
        });
        m_process.start(QStringLiteral("parec"),
                        {QStringLiteral("-d"), source, QStringLiteral("--raw"),
                         QStringLiteral("--format=s16le"), QStringLiteral("--rate=48000"),
                         QStringLiteral("--channels=1"), QStringLiteral("--latency-msec=10")});
    }
    ~Recorder()
    {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
    bool started() { return m_process.waitForStarted(5000); }
    void stop()
    {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
    // Envelope: mean |x| over the last 1 ms (trailing, the same on both streams).
    std::vector<float> envelope() const
    {
        const auto *s = reinterpret_cast<const int16_t *>(m_bytes.constData());
        const size_t n = size_t(m_bytes.size() / 2);
        std::vector<float> e(n);
        constexpr int w = kRate / 1000;
        double sum = 0;
        for (size_t i = 0; i < n; ++i) {
            sum += std::abs(int(s[i]));
            if (i >= size_t(w))
                sum -= std::abs(int(s[i - w]));
            e[i] = float(sum / w);
        }
        return e;
    }
    // Monotonic time (ns) of sample k: the lower envelope of the reads within
    // 0.5 s of it (local, so a pause of the stream or a drift does not leak in).
    double timeOf(double k) const { return startNear(k) + k * 1e9 / kRate; }
    double sampleAt(double ns) const
    {
        double k = (ns - startNear(-1)) * kRate / 1e9;
        return (ns - startNear(k)) * kRate / 1e9;
    }
    // How far the local start estimates move over the recording (ms): ~0 when
    // the stream ran without pauses.
    double startSpreadMs() const
    {
        double lo = 1e300, hi = -1e300;
        for (double k = 0; k < double(m_bytes.size() / 2); k += kRate / 2) {
            lo = std::min(lo, startNear(k));
            hi = std::max(hi, startNear(k));
        }
        return (hi - lo) / 1e6;
    }

private:
    QProcess m_process;
    struct Read
    {
        double samples; // received so far
        double start;   // read time - samples / rate (ns)
    };
    // k < 0: over all reads.
    double startNear(double k) const
    {
        double best = 1e300;
        for (const Read &r : m_reads)
            if (k < 0 || std::abs(r.samples - k) <= kRate / 2)
                best = std::min(best, r.start);
        return best < 1e299 ? best : 0;
    }

    QByteArray m_bytes;
    std::vector<Read> m_reads;
};

// Onset of a burst found at or after `from`: the first sample whose envelope
// reaches half the burst's peak (peak over the 60 ms after it crossed the
// absolute threshold). Returns -1 if none before `to`.
double onset(const std::vector<float> &e, size_t from, size_t to)
{
    to = std::min(to, e.size());
    size_t k = from;
    while (k < to && e[k] < kAbsThreshold)
        ++k;
    if (k >= to)
        return -1;
    const size_t peakEnd = std::min(e.size(), k + size_t(kRate * 60 / 1000));
    const float peak = *std::max_element(e.begin() + long(k), e.begin() + long(peakEnd));
    size_t j = k > size_t(kRate / 100) ? k - size_t(kRate / 100) : 0;
    while (j < peakEnd && e[j] < peak / 2)
        ++j;
    return double(j);
}

// 50 ms chirp 600 -> 2400 Hz: voice band, sharp start, not steady like a tone.
std::vector<int16_t> burst()
{
    std::vector<int16_t> out(kRate / 20);
    const double f0 = 600, f1 = 2400, len = double(out.size()) / kRate;
    for (size_t i = 0; i < out.size(); ++i) {
        const double t = double(i) / kRate;
        const double phase = 2 * std::numbers::pi * (f0 * t + (f1 - f0) * t * t / (2 * len));
        out[i] = int16_t(12000 * std::sin(phase));
    }
    return out;
}

double percentile(std::vector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    const size_t i = size_t(std::lround(p * double(v.size() - 1)));
    return v[i];
}

// Median of one quality figure over the call's quality events (-1: none).
double medianOf(const QList<QJsonObject> &events, const char *field)
{
    std::vector<double> v;
    for (const QJsonObject &e : events) {
        const double x = e.value(QLatin1StringView("quality"))
                             .toObject()
                             .value(QLatin1StringView(field))
                             .toDouble(-1);
        if (x >= 0)
            v.push_back(x);
    }
    return v.empty() ? -1 : percentile(v, 0.5);
}

// Where the time goes: the stages each side measured (docs/media.md), medians
// of the once-a-second quality events during the bursts. The rest is the
// codec (20 ms block + 6.5 ms look-ahead), the network and the sound server.
void printStages(const QList<QJsonObject> &alice, const QList<QJsonObject> &bob, double total)
{
    struct Stage
    {
        const char *name;
        double ms;
    };
    const Stage stages[] = {
        {"capture", medianOf(alice, "captureMs")},
        {"send queue", medianOf(alice, "sendQueueMs")},
        {"jitter buffer", medianOf(bob, "bufferDelayMs")},
        {"play queue", medianOf(bob, "playQueueMs")},
        {"playback", medianOf(bob, "playbackMs")},
    };
    double sum = 0;
    std::printf("stages (medians of %lld + %lld quality events):", qlonglong(alice.size()),
                qlonglong(bob.size()));
    for (const Stage &s : stages) {
        std::printf(" %s %.1f ms,", s.name, s.ms);
        sum += std::max(0.0, s.ms);
    }
    std::printf(" sum %.1f ms; rest (codec, network, sound server) %.1f ms of p50 %.1f ms\n", sum,
                total - sum, total);
    std::printf("playback target %.1f ms, speaker underruns %.0f, jitter %.1f ms\n",
                medianOf(bob, "playbackTargetMs"),
                bob.isEmpty() ? 0.0
                              : bob.last()
                                    .value(QLatin1StringView("quality"))
                                    .toObject()
                                    .value(QLatin1StringView("underruns"))
                                    .toDouble(),
                medianOf(bob, "jitterMs"));
}

int fail(const QString &why)
{
    std::fprintf(stderr, "bench_device_delay: %s\n", qPrintable(why));
    return 1;
}

} // namespace

int main(int argc, char **argv)
{
#ifdef SOFTPHONE_SERVER_BIN
    if (qEnvironmentVariableIsEmpty("SOFTPHONE_SERVER_BIN"))
        qputenv("SOFTPHONE_SERVER_BIN", SOFTPHONE_SERVER_BIN);
#endif
#ifdef SOFTPHONE_CLI_BIN
    if (qEnvironmentVariableIsEmpty("SOFTPHONE_CLI_BIN"))
        qputenv("SOFTPHONE_CLI_BIN", SOFTPHONE_CLI_BIN);
#endif
    QCoreApplication app(argc, argv);
    int bursts = 20;
    bool calibrate = false, combined = false;
    for (const QString &a : app.arguments().mid(1)) {
        bool ok = false;
        if (a == QStringLiteral("--calibrate"))
            calibrate = true;
        else if (a == QStringLiteral("--calibrate-combined"))
            calibrate = combined = true;
        else if (const int n = a.toInt(&ok); ok && n > 0 && n <= 1000)
            bursts = n;
        else
            return fail(QStringLiteral("unknown argument '%1' (usage: bench_device_delay "
                                       "[BURSTS 1-1000] [--calibrate | --calibrate-combined])")
                            .arg(a));
    }
    {
        QProcess p;
        p.start(QStringLiteral("pactl"), {QStringLiteral("info")});
        if (!p.waitForFinished(10000) || p.exitCode() != 0)
            return fail(QStringLiteral("no PulseAudio server: run through tests/desktop-session"));
    }
    QTemporaryDir dir;
    const QString burstWav = dir.filePath(QStringLiteral("burst.wav"));
    const QString silentWav = dir.filePath(QStringLiteral("silent.wav"));
    if (!dir.isValid() || !WavFile::write(burstWav, WavAudio{kRate, 1, burst()}) ||
        !WavFile::write(silentWav, WavAudio{kRate, 1, std::vector<int16_t>(kRate / 10, 0)}))
        return fail(QStringLiteral("cannot write the WAV files"));

    ServerProcess server;
    std::unique_ptr<CliProcess> bob, alice;
    if (!calibrate) {
        if (!server.start())
            return fail(server.lastError());
        if (!server.addUser(QStringLiteral("alice"), QStringLiteral("alice-delay-password")) ||
            !server.addUser(QStringLiteral("bob"), QStringLiteral("bob-delay-password")))
            return fail(QStringLiteral("user add failed"));
        const QUrl url = server.appServerUrl();
        // bob: silent file out, default speaker in.
        bob = std::make_unique<CliProcess>(
            url, QStringLiteral("bob"), QStringLiteral("bob-delay-password"),
            QStringList{QStringLiteral("answer"), QStringLiteral("--quality-events"),
                        QStringLiteral("--audio-in"), silentWav});
        if (!bob->waitForEvent(QStringLiteral("waiting")))
            return fail(QStringLiteral("bob is not waiting:\n") + bob->transcript());
        // alice: default microphone, what she hears to a file (not the speaker).
        alice = std::make_unique<CliProcess>(
            url, QStringLiteral("alice"), QStringLiteral("alice-delay-password"),
            QStringList{QStringLiteral("call"), QStringLiteral("bob"),
                        QStringLiteral("--hangup-after"), QString::number(bursts + 15),
                        QStringLiteral("--quality-events"), QStringLiteral("--audio-out"),
                        dir.filePath(QStringLiteral("alice.wav"))});
        if (!alice->waitForEvent(QStringLiteral("audio")) ||
            !bob->waitForEvent(QStringLiteral("audio")))
            return fail(QStringLiteral("no audio:\nalice: ") + alice->transcript() +
                        QStringLiteral("\nbob: ") + bob->transcript());
    }

    g_clock.start();
    // In calibration a reader of the default microphone stands in for alice: a
    // null sink's monitor only runs while something reads or plays.
    std::unique_ptr<Recorder> micReader;
    QString playTo = QStringLiteral("softphone_mic_feed"), module;
    if (calibrate)
        micReader = std::make_unique<Recorder>(QStringLiteral("softphone_mic"));
    if (combined) {
        // One stream played into both sinks at once (module-combine-sink keeps its
        // outputs aligned): feed and speaker monitors should see it together.
        QProcess p;
        p.start(QStringLiteral("pactl"),
                {QStringLiteral("load-module"), QStringLiteral("module-combine-sink"),
                 QStringLiteral("sink_name=delay_probe"),
                 QStringLiteral("slaves=softphone_mic_feed,softphone_speaker")});
        if (!p.waitForFinished(10000) || p.exitCode() != 0)
            return fail(QStringLiteral("cannot load module-combine-sink"));
        module = QString::fromUtf8(p.readAllStandardOutput()).trimmed();
        playTo = QStringLiteral("delay_probe");
    }
    Recorder feed(QStringLiteral("softphone_mic_feed.monitor"));
    if (calibrate)
        QTest::qWait(333); // a late second stream: the time base must absorb it
    Recorder speaker(calibrate && !combined ? QStringLiteral("softphone_mic_feed.monitor")
                                            : QStringLiteral("softphone_speaker.monitor"));
    if (!feed.started() || !speaker.started())
        return fail(QStringLiteral("parec did not start"));
    QTest::qWait(3000); // the call's audio settles (jitter buffer, speaker prebuffer)

    const qsizetype aliceSkip = alice ? alice->events(QStringLiteral("quality")).size() : 0;
    const qsizetype bobSkip = bob ? bob->events(QStringLiteral("quality")).size() : 0;
    std::vector<std::unique_ptr<QProcess>> players;
    for (int i = 0; i < bursts; ++i) {
        auto p = std::make_unique<QProcess>();
        p->start(QStringLiteral("paplay"), {QStringLiteral("-d"), playTo, burstWav});
        players.push_back(std::move(p));
        QTest::qWait(1000);
    }
    QTest::qWait(1000);
    for (auto &p : players)
        p->waitForFinished(5000);
    feed.stop();
    speaker.stop();
    if (!module.isEmpty())
        QProcess::execute(QStringLiteral("pactl"), {QStringLiteral("unload-module"), module});
    if (alice && !alice->event(QStringLiteral("audio_error")).isEmpty())
        return fail(QStringLiteral("audio error:\n") + alice->transcript());
    if (bob && !bob->event(QStringLiteral("audio_error")).isEmpty())
        return fail(QStringLiteral("audio error:\n") + bob->transcript());

    const std::vector<float> fe = feed.envelope();
    const std::vector<float> se = speaker.envelope();
    std::vector<double> delays;
    int missed = 0;
    size_t from = 0;
    while (true) {
        const double f = onset(fe, from, fe.size());
        if (f < 0)
            break;
        from = size_t(f) + size_t(kRate / 2); // the next burst is 1 s later
        const double tf = feed.timeOf(f);
        const double s0 = std::max(0.0, speaker.sampleAt(tf - 20e6));
        const double s = onset(se, size_t(s0), size_t(speaker.sampleAt(tf + 600e6)));
        if (s < 0) {
            ++missed;
            std::printf("burst %zu: not heard on the speaker\n", delays.size() + missed);
            continue;
        }
        const double ms = (speaker.timeOf(s) - tf) / 1e6;
        delays.push_back(ms);
        std::printf("burst %zu: %.1f ms\n", delays.size() + missed, ms);
    }
    std::printf("%s: %zu bursts measured, %d not heard (of %d played); %zu + %zu samples\n",
                combined    ? "calibration (one stream into both sinks)"
                : calibrate ? "calibration (feed monitor twice)"
                            : "mouth-to-ear delay",
                delays.size(), missed, bursts, fe.size(), se.size());
    std::printf("streams on the common clock: feed starts %.1f ms (local starts spread "
                "%.1f ms), speaker starts %.1f ms (spread %.1f ms)\n",
                feed.timeOf(0) / 1e6, feed.startSpreadMs(), speaker.timeOf(0) / 1e6,
                speaker.startSpreadMs());
    if (delays.empty())
        return fail(QStringLiteral("no burst measured"));
    std::printf("p50 %.1f ms, p95 %.1f ms, min %.1f ms, max %.1f ms\n", percentile(delays, 0.5),
                percentile(delays, 0.95), *std::min_element(delays.begin(), delays.end()),
                *std::max_element(delays.begin(), delays.end()));
    if (alice && bob)
        printStages(alice->events(QStringLiteral("quality")).mid(aliceSkip),
                    bob->events(QStringLiteral("quality")).mid(bobSkip), percentile(delays, 0.5));
    return 0;
}
