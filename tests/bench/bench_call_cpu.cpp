// CPU per call, all in (docs/benchmarks.md "CPU per call"), ours against the
// reference softphone on the same machine, devices and sound; figures only,
// never a ctest test. Run inside tests/desktop-session (PulseAudio null
// devices).
//
// A softphone-server on loopback. Each round makes one call of each kind,
// back to back, so the machine's load falls on all of them alike:
//   p2p-10ms  UDP peer to peer, 10 ms Opus frames (our default offer)
//   p2p-20ms  the same with --no-short-frames (20 ms frames)
//   relay     --no-udp-media: the calling service's WebSocket relay, 20 ms
//   *-raw     the same with --no-audio-processing (a headset: no echo
//             canceller, noise suppression or gain control), p2p-10ms-raw,
//             p2p-20ms-raw, relay-raw
//   baresip   two baresip instances calling each other on loopback
//             (BaresipPair, both ways): Opus with 20 ms frames and its
//             default buffers; no echo canceller, noise suppression or AGC
//             (Debian's baresip-core has none loaded by default), plain RTP
// In every call both ends capture from the default microphone and play on the
// default speaker, and a chirp burst goes into the microphone's null sink
// once a second (sound on and off, as speech). Per call and client: CPU time
// (user + system, /proc) over SECONDS once the call has settled, and its
// context switches a second (about one per wakeup). "All in" is the client
// process's own: the sound server's share and, on the relay, the service's
// are not in it (bench_loss_paths prints the service's). Then, per kind, the
// median over the rounds of the two clients' mean, and its ratio to
// baresip's.
//
// Usage: bench_call_cpu [SECONDS (default 15)] [--rounds N (default 3)]
//                       [--kinds KIND,...] (default: every kind but p2p-10ms-raw)

#include "BaresipPair.h"
#include "ProcessCpu.h"
#include "media/WavFile.h"
#include "support/CliProcess.h"
#include "support/DelayProbe.h"
#include "support/Processes.h"
#include "support/PulseAudioSupport.h"
#include "support/ServerProcess.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <vector>

using namespace softphone::test;
using namespace softphone::bench;
using softphone::media::WavAudio;
using softphone::media::WavFile;

namespace {

constexpr int kRate = 48000;
constexpr int kSettleMs = 3000; // after both ends have audio: ICE, DTLS, playback targets

struct Use
{
    double alice = -1, bob = -1;                 // % of one core
    double aliceSwitches = -1, bobSwitches = -1; // a second
    double mean() const { return alice < 0 || bob < 0 ? -1 : (alice + bob) / 2; }
};

double load()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    return f.open(QIODevice::ReadOnly) ? f.readAll().split(' ').value(0).toDouble() : -1;
}

// Bursts into the microphone once a second for `seconds` while both
// processes' CPU is read; players are reaped as they end.
Use measure(qint64 alicePid, qint64 bobPid, int seconds, const QString &burstWav)
{
    const CpuWindow aliceCpu = CpuWindow::startingNow(alicePid);
    const CpuWindow bobCpu = CpuWindow::startingNow(bobPid);
    const auto aliceThreads = threadUse(alicePid), bobThreads = threadUse(bobPid);
    QElapsedTimer wall;
    wall.start();
    std::vector<std::unique_ptr<QProcess>> players;
    for (int i = 0; i < seconds; ++i) {
        std::erase_if(players, [](const auto &p) { return p->state() == QProcess::NotRunning; });
        auto p = std::make_unique<QProcess>();
        p->start(QStringLiteral("paplay"),
                 {QStringLiteral("-d"), QStringLiteral("softphone_mic_feed"), burstWav});
        players.push_back(std::move(p));
        QTest::qWait(1000);
    }
    const double s = double(wall.elapsed()) / 1000;
    Use u;
    u.alice = aliceCpu.percentNow(s);
    u.bob = bobCpu.percentNow(s);
    u.aliceSwitches = switchesPerSecond(aliceThreads, threadUse(alicePid), s);
    u.bobSwitches = switchesPerSecond(bobThreads, threadUse(bobPid), s);
    for (auto &p : players)
        if (!p->waitForFinished(5000))
            p->kill();
    return u;
}

Use ourCall(const QUrl &url, const QStringList &options, int seconds, const QString &burstWav,
            QString *why)
{
    CliProcess bob(url, QStringLiteral("bob"), QStringLiteral("bob-cpu-password"),
                   QStringList{QStringLiteral("answer")} + options);
    if (!bob.waitForEvent(QStringLiteral("waiting"))) {
        *why = QStringLiteral("bob is not waiting:\n") + bob.transcript();
        return {};
    }
    CliProcess alice(url, QStringLiteral("alice"), QStringLiteral("alice-cpu-password"),
                     QStringList{QStringLiteral("call"), QStringLiteral("bob"),
                                 QStringLiteral("--hangup-after"),
                                 QString::number(seconds + kSettleMs / 1000 + 8)} +
                         options);
    if (!alice.waitForEvent(QStringLiteral("audio")) ||
        !bob.waitForEvent(QStringLiteral("audio"))) {
        *why = QStringLiteral("no audio:\nalice: ") + alice.transcript() +
               QStringLiteral("\nbob: ") + bob.transcript();
        return {};
    }
    QTest::qWait(kSettleMs);
    const Use u = measure(alice.processId(), bob.processId(), seconds, burstWav);
    alice.interrupt();
    bob.interrupt();
    alice.finished(15000);
    bob.finished(15000);
    if (!alice.event(QStringLiteral("audio_error")).isEmpty() ||
        !bob.event(QStringLiteral("audio_error")).isEmpty())
        *why = QStringLiteral("audio error:\nalice: ") + alice.transcript() +
               QStringLiteral("\nbob: ") + bob.transcript();
    return u;
}

Use baresipCall(int seconds, const QString &burstWav, QString *why)
{
    BaresipPair pair(BaresipPair::Audio::BothWays);
    if (!pair.start(seconds + kSettleMs / 1000 + 10, why))
        return {};
    QTest::qWait(kSettleMs);
    return measure(pair.alicePid(), pair.bobPid(), seconds, burstWav);
}

int fail(const QString &why)
{
    std::fprintf(stderr, "bench_call_cpu: %s\n", qPrintable(why));
    return 1;
}

} // namespace

int main(int argc, char **argv)
{
    softphone::test::useThisBuildsBinaries();
    QCoreApplication app(argc, argv);
    int seconds = 15, rounds = 3;
    const QStringList allKinds{QStringLiteral("p2p-10ms"),     QStringLiteral("p2p-20ms"),
                               QStringLiteral("relay"),        QStringLiteral("p2p-10ms-raw"),
                               QStringLiteral("p2p-20ms-raw"), QStringLiteral("relay-raw"),
                               QStringLiteral("baresip")};
    QStringList kinds = allKinds;
    kinds.removeAll(QStringLiteral("p2p-10ms-raw"));
    const QStringList args = app.arguments().mid(1);
    const QString usage = QStringLiteral("usage: bench_call_cpu [SECONDS 5-300] [--rounds 1-20] "
                                         "[--kinds KIND,...]; kinds: ") +
                          allKinds.join(u',');
    for (qsizetype i = 0; i < args.size(); ++i) {
        bool ok = false;
        if (args[i] == QStringLiteral("--rounds") && i + 1 < args.size()) {
            rounds = args[++i].toInt(&ok);
            if (!ok || rounds < 1 || rounds > 20)
                return fail(usage);
        } else if (args[i] == QStringLiteral("--kinds") && i + 1 < args.size()) {
            kinds = args[++i].split(u',');
            for (const QString &k : kinds)
                if (!allKinds.contains(k))
                    return fail(usage);
        } else if (const int n = args[i].toInt(&ok); ok && n >= 5 && n <= 300) {
            seconds = n;
        } else {
            return fail(usage);
        }
    }
    if (bool running = false; pactl({QStringLiteral("info")}, &running), !running)
        return fail(QStringLiteral("no PulseAudio server: run through tests/desktop-session"));
    QTemporaryDir dir;
    const QString burstWav = dir.filePath(QStringLiteral("burst.wav"));
    if (!dir.isValid() || !WavFile::write(burstWav, WavAudio{kRate, 1, chirpBurst()}))
        return fail(QStringLiteral("cannot write the burst"));
    ServerProcess server;
    if (!server.start())
        return fail(server.lastError());
    if (!server.addUser(QStringLiteral("alice"), QStringLiteral("alice-cpu-password")) ||
        !server.addUser(QStringLiteral("bob"), QStringLiteral("bob-cpu-password")))
        return fail(QStringLiteral("user add failed"));
    const QUrl url = server.appServerUrl();
    const QString raw = QStringLiteral("--no-audio-processing");
    const std::map<QString, QStringList> options{
        {QStringLiteral("p2p-10ms"), {}},
        {QStringLiteral("p2p-20ms"), {QStringLiteral("--no-short-frames")}},
        {QStringLiteral("relay"), {QStringLiteral("--no-udp-media")}},
        {QStringLiteral("p2p-10ms-raw"), {raw}},
        {QStringLiteral("p2p-20ms-raw"), {QStringLiteral("--no-short-frames"), raw}},
        {QStringLiteral("relay-raw"), {QStringLiteral("--no-udp-media"), raw}},
    };

    std::printf("CPU per call, all in: both ends on the null devices both ways, a burst into "
                "the microphone each second, %d s per call, %d round(s)\n",
                seconds, rounds);
    std::printf("round | kind         | alice  | bob    | alice wakeups | bob wakeups | load\n");
    std::map<QString, std::vector<double>> means;
    for (int round = 1; round <= rounds; ++round) {
        for (const QString &kind : kinds) {
            QString why;
            const double loadBefore = load();
            const Use u =
                kind == QStringLiteral("baresip")
                    ? baresipCall(seconds, burstWav, &why)
                    : ourCall(url,
                              QStringList{QStringLiteral("--allow-insecure")} + options.at(kind),
                              seconds, burstWav, &why);
            if (!why.isEmpty())
                return fail(kind + QStringLiteral(": ") + why);
            std::printf("%5d | %-12s | %5.2f%% | %5.2f%% | %11.0f/s | %9.0f/s | %.2f -> %.2f\n",
                        round, qPrintable(kind), u.alice, u.bob, u.aliceSwitches, u.bobSwitches,
                        loadBefore, load());
            std::fflush(stdout);
            means[kind].push_back(u.mean());
        }
    }
    // The median of the rounds (a call that failed to measure left out).
    const auto median = [](std::vector<double> v) {
        std::erase_if(v, [](double x) { return x < 0; });
        std::sort(v.begin(), v.end());
        const size_t n = v.size();
        return n == 0 ? -1 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    };
    const double reference =
        means.contains(QStringLiteral("baresip")) ? median(means[QStringLiteral("baresip")]) : -1;
    std::printf("\nmedian over rounds of the two clients' mean:\n");
    for (const QString &kind : kinds) {
        const double m = median(means[kind]);
        if (reference > 0)
            std::printf("  %-12s %5.2f %% of a core, %.2f x baresip\n", qPrintable(kind), m,
                        m / reference);
        else
            std::printf("  %-12s %5.2f %% of a core\n", qPrintable(kind), m);
    }
    return 0;
}
