// Voice under random packet loss, the WebSocket relay over TCP against UDP
// peer to peer, side by side in one run (docs/benchmarks.md "Loss: relay
// against P2P"), and what a call costs in CPU: the client process, all in
// (devices, Opus, SRTP, ICE, jitter buffer), and the service node with P2P
// media against the relay. Figures only, never a ctest test.
//
// Run as root (network namespaces) inside tests/desktop-session (PulseAudio
// null devices, as bench_device_delay). alice in namespace "a" (10.77.0.1),
// the server and bob in "pub" (10.77.0.2), one veth between them. Each call
// is fresh: bob answers with a silent file and plays on the default speaker,
// alice captures the default microphone. Once both have audio, nftables in
// "a" drops N % of the packets each way on alice's link (`numgen random mod
// 100 < N drop`, input and output: TCP segments and their ACKs on the relay,
// RTP/RTCP on P2P), chirp bursts go into the microphone's null sink once a
// second, and the mouth-to-ear delay of each burst is measured from outside
// (tests/support/DelayProbe, as bench_device_delay). From bob's quality
// events over the same seconds: the share of played blocks that were
// concealed (PLC) and the share rebuilt from FEC. From /proc: CPU time of
// alice's and bob's processes and of the server over the bursts.
//
// Usage: bench_loss_paths [BURSTS per call (default 15)] [--loss 0,2,5,10]
// The namespaces and the nftables tables go with the run (also when it fails).

#include "ProcessCpu.h"
#include "media/WavFile.h"
#include "support/CliProcess.h"
#include "support/DelayProbe.h"
#include "support/NetworkNamespaces.h"
#include "support/Processes.h"
#include "support/PulseAudioSupport.h"
#include "support/ServerProcess.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <utility>

using namespace softphone::test;
using namespace softphone::bench;
using softphone::media::WavAudio;
using softphone::media::WavFile;

namespace {

constexpr int kRate = 48000;
constexpr int kSettleMs = 3000; // jitter buffer and speaker settle after the loss starts

double qualityField(const QJsonObject &event, const char *field)
{
    return event.value(QLatin1StringView("quality"))
        .toObject()
        .value(QLatin1StringView(field))
        .toDouble(-1);
}

struct Result
{
    QString path;   // what the call said it used
    int heard = 0;  // bursts measured
    int missed = 0; // bursts not heard within 600 ms
    double p50 = -1, p95 = -1;
    double concealedPercent = -1; // of the blocks bob played during the bursts
    double fecPercent = -1;       // rebuilt from the next frame's FEC
    double lossPercent = -1; // what bob's jitter buffer counted as lost in the call, last event
    double aliceCpu = -1, bobCpu = -1, serverCpu = -1; // % of one core
    QString aliceThreads;                              // where alice's CPU went, by thread
    QString error;
};

class Bench
{
public:
    Bench(NetworkNamespaces &netns, ServerProcess &server, const QString &dir, int bursts)
        : m_netns(netns)
        , m_server(server)
        , m_dir(dir)
        , m_bursts(bursts)
    {}

    // devicesBothWays: no bursts, no delay; both ends on the default
    // microphone and speaker for the CPU figures, all in.
    Result call(bool relay, int lossPercent, bool devicesBothWays = false);

private:
    QStringList in(const QString &ns) const
    {
        return {QStringLiteral("ip"), QStringLiteral("netns"), QStringLiteral("exec"),
                m_netns.name(ns)};
    }
    bool setLoss(int percent, QString *error);

    NetworkNamespaces &m_netns;
    ServerProcess &m_server;
    QString m_dir;
    int m_bursts;
    int m_calls = 0;
};

bool Bench::setLoss(int percent, QString *error)
{
    // One table in alice's namespace; replaced for each call, gone with the namespace.
    m_netns.run(QStringLiteral("a"),
                {QStringLiteral("nft"), QStringLiteral("delete table inet loss")});
    if (percent <= 0)
        return true;
    const QString rule =
        QStringLiteral("add table inet loss; "
                       "add chain inet loss in { type filter hook input priority 0; }; "
                       "add chain inet loss out { type filter hook output priority 0; }; "
                       "add rule inet loss in iifname eth0 numgen random mod 100 < %1 drop; "
                       "add rule inet loss out oifname eth0 numgen random mod 100 < %1 drop")
            .arg(percent);
    return m_netns.run(QStringLiteral("a"), {QStringLiteral("nft"), rule}, error);
}

Result Bench::call(bool relay, int lossPercent, bool devicesBothWays)
{
    Result r;
    const int call = ++m_calls;
    const QUrl url = m_server.appServerUrl();
    QStringList common{QStringLiteral("--allow-insecure"), QStringLiteral("--quality-events")};
    if (relay)
        common << QStringLiteral("--no-udp-media");
    const QStringList bobAudio =
        devicesBothWays
            ? QStringList{}
            : QStringList{QStringLiteral("--audio-in"), m_dir + QStringLiteral("/silent.wav")};
    CliProcess bob(url, QStringLiteral("bob"), QStringLiteral("bob-loss-password"),
                   common + QStringList{QStringLiteral("answer")} + bobAudio,
                   in(QStringLiteral("pub")));
    if (!bob.waitForEvent(QStringLiteral("waiting"))) {
        r.error = QStringLiteral("bob is not waiting:\n") + bob.transcript();
        return r;
    }
    const int hangupAfter = 8 + (kSettleMs / 1000) + m_bursts;
    const QStringList aliceAudio =
        devicesBothWays ? QStringList{}
                        : QStringList{QStringLiteral("--audio-out"),
                                      m_dir + QStringLiteral("/alice-%1.wav").arg(call)};
    CliProcess alice(url, QStringLiteral("alice"), QStringLiteral("alice-loss-password"),
                     common +
                         QStringList{QStringLiteral("call"), QStringLiteral("bob"),
                                     QStringLiteral("--hangup-after"),
                                     QString::number(hangupAfter)} +
                         aliceAudio,
                     in(QStringLiteral("a")));
    if (!alice.waitForEvent(QStringLiteral("audio")) ||
        !bob.waitForEvent(QStringLiteral("audio"))) {
        r.error = QStringLiteral("no audio:\nalice: ") + alice.transcript() +
                  QStringLiteral("\nbob: ") + bob.transcript();
        return r;
    }
    // The path is settled before the loss starts (ICE and DTLS on a clean link).
    const bool settled = QTest::qWaitFor(
        [&] {
            const auto q = alice.events(QStringLiteral("quality"));
            return !q.isEmpty() && !q.last()
                                        .value(QLatin1StringView("quality"))
                                        .toObject()
                                        .value(QLatin1StringView("path"))
                                        .toString()
                                        .isEmpty();
        },
        5000);
    if (!settled)
        std::fprintf(stderr, "bench_loss_paths: call %d has no path yet after 5 s\n", call);
    QString error;
    if (!setLoss(lossPercent, &error)) {
        r.error = error;
        return r;
    }
    TimedRecorder feed(QStringLiteral("softphone_mic_feed.monitor"));
    TimedRecorder speaker(QStringLiteral("softphone_speaker.monitor"));
    if (!feed.started() || !speaker.started()) {
        r.error = QStringLiteral("parec did not start");
        return r;
    }
    QTest::qWait(kSettleMs);

    const qsizetype bobSkip = bob.events(QStringLiteral("quality")).size();
    CpuWindow aliceCpu{alice.processId(), cpuSeconds(alice.processId())};
    CpuWindow bobCpu{bob.processId(), cpuSeconds(bob.processId())};
    CpuWindow serverCpu{m_server.pid(), cpuSeconds(m_server.pid())};
    const QMap<QString, ThreadUse> aliceThreadsBefore = threadUse(alice.processId());
    QElapsedTimer wall;
    wall.start();
    std::vector<std::unique_ptr<QProcess>> players;
    for (int i = 0; i < m_bursts; ++i) {
        std::erase_if(players, [](const auto &p) { return p->state() == QProcess::NotRunning; });
        auto p = std::make_unique<QProcess>();
        if (!devicesBothWays)
            p->start(QStringLiteral("paplay"),
                     {QStringLiteral("-d"), QStringLiteral("softphone_mic_feed"),
                      m_dir + QStringLiteral("/burst.wav")});
        players.push_back(std::move(p));
        QTest::qWait(1000);
    }
    QTest::qWait(1000);
    const double seconds = double(wall.elapsed()) / 1000;
    r.aliceCpu = aliceCpu.percent(cpuSeconds(aliceCpu.pid), seconds);
    r.bobCpu = bobCpu.percent(cpuSeconds(bobCpu.pid), seconds);
    r.serverCpu = serverCpu.percent(cpuSeconds(serverCpu.pid), seconds);
    r.aliceThreads = busiestThreads(aliceThreadsBefore, threadUse(alice.processId()), seconds);
    for (auto &p : players)
        p->waitForFinished(5000);
    feed.stop();
    speaker.stop();
    setLoss(0, nullptr);

    const QList<QJsonObject> quality = bob.events(QStringLiteral("quality")).mid(bobSkip);
    const QList<QJsonObject> aliceQuality = alice.events(QStringLiteral("quality"));
    r.path = aliceQuality.isEmpty() ? QStringLiteral("?")
                                    : aliceQuality.last()
                                          .value(QLatin1StringView("quality"))
                                          .toObject()
                                          .value(QLatin1StringView("path"))
                                          .toString();
    if (quality.size() >= 2) {
        const QJsonObject &first = quality.first(), &last = quality.last();
        const double played =
            qualityField(last, "framesPlayed") - qualityField(first, "framesPlayed");
        if (played > 0) {
            r.concealedPercent =
                100.0 * (qualityField(last, "concealed") - qualityField(first, "concealed")) /
                played;
            r.fecPercent =
                100.0 * (qualityField(last, "fecRecovered") - qualityField(first, "fecRecovered")) /
                played;
        }
        r.lossPercent = qualityField(last, "totalLossPercent");
    }
    std::vector<double> delays;
    for (const BurstDelay &d : burstDelays(feed, speaker)) {
        if (d.ms < 0)
            ++r.missed;
        else
            delays.push_back(d.ms);
    }
    r.heard = int(delays.size());
    if (!delays.empty()) {
        r.p50 = percentile(delays, 0.5);
        r.p95 = percentile(delays, 0.95);
    }
    return r;
}

int fail(const QString &why)
{
    std::fprintf(stderr, "bench_loss_paths: %s\n", qPrintable(why));
    return 1;
}

QString figure(double v, const char *unit = "", int decimals = 1)
{
    return v < 0 ? QStringLiteral("-")
                 : QString::number(v, 'f', decimals) + QLatin1StringView(unit);
}

void printRow(int loss, const char *name, const Result &r)
{
    std::printf("%4d %% | %-8s | %-8s | %3d/%-3d | %9s | %9s | %8s | %7s | %7s | %6s | %6s | %6s\n",
                loss, name, qPrintable(r.path), r.heard, r.heard + r.missed,
                qPrintable(figure(r.p50, " ms")), qPrintable(figure(r.p95, " ms")),
                qPrintable(figure(r.concealedPercent, " %")),
                qPrintable(figure(r.fecPercent, " %")), qPrintable(figure(r.lossPercent, " %")),
                qPrintable(figure(r.aliceCpu, " %")), qPrintable(figure(r.bobCpu, " %")),
                qPrintable(figure(r.serverCpu, " %", 2)));
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    // This build's server and CLI (CMake names them) unless the environment names others.
    softphone::test::useThisBuildsBinaries();
    QCoreApplication app(argc, argv);
    int bursts = 15;
    QList<int> losses{0, 2, 5, 10};
    const QStringList args = app.arguments().mid(1);
    for (qsizetype i = 0; i < args.size(); ++i) {
        bool ok = false;
        if (args[i] == QStringLiteral("--loss") && i + 1 < args.size()) {
            losses.clear();
            for (const QString &n : args[++i].split(u',')) {
                const int loss = n.toInt(&ok);
                if (!ok || loss < 0 || loss > 50)
                    return fail(QStringLiteral("--loss takes percentages 0-50, comma-separated"));
                losses << loss;
            }
        } else if (const int n = args[i].toInt(&ok); ok && n > 0 && n <= 300) {
            bursts = n;
        } else {
            return fail(QStringLiteral("usage: bench_loss_paths [BURSTS 1-300] [--loss 0,2,5,10]"));
        }
    }
    QString why;
    if (!NetworkNamespaces::available(&why))
        return fail(QStringLiteral("network namespaces unavailable (run as root): ") + why);
    if (bool running = false; pactl({QStringLiteral("info")}, &running), !running)
        return fail(QStringLiteral("no PulseAudio server: run through tests/desktop-session"));
    QTemporaryDir dir;
    if (!dir.isValid() ||
        !WavFile::write(dir.filePath(QStringLiteral("burst.wav")),
                        WavAudio{kRate, 1, chirpBurst()}) ||
        !WavFile::write(dir.filePath(QStringLiteral("silent.wav")),
                        WavAudio{kRate, 1, std::vector<int16_t>(kRate / 10, 0)}))
        return fail(QStringLiteral("cannot write the WAV files"));

    NetworkNamespaces netns(QStringLiteral("spl"));
    if (!netns.add(QStringLiteral("a"), &why) || !netns.add(QStringLiteral("pub"), &why) ||
        !netns.link(QStringLiteral("a"), QStringLiteral("eth0"), QStringLiteral("10.77.0.1/24"),
                    QStringLiteral("pub"), QStringLiteral("eth0"), QStringLiteral("10.77.0.2/24"),
                    &why))
        return fail(why);
    ServerProcess server;
    server.setErrorLog(dir.filePath(QStringLiteral("server.log")));
    if (!server.startOn(QStringLiteral("10.77.0.2"),
                        {QStringLiteral("ip"), QStringLiteral("netns"), QStringLiteral("exec"),
                         netns.name(QStringLiteral("pub"))}))
        return fail(server.lastError());
    if (!server.addUser(QStringLiteral("alice"), QStringLiteral("alice-loss-password")) ||
        !server.addUser(QStringLiteral("bob"), QStringLiteral("bob-loss-password")))
        return fail(QStringLiteral("user add failed"));

    // The server at rest, for the per-call figures below.
    const double idleStart = cpuSeconds(server.pid());
    QTest::qWait(5000);
    const double idle = 100.0 * (cpuSeconds(server.pid()) - idleStart) / 5;

    std::printf("%d bursts per call, %d ms settling after the loss starts; loss each way on "
                "alice's link\n",
                bursts, kSettleMs);
    std::printf("  loss | path     | said     | heard   | p50 m2e   | p95 m2e   | concealed | "
                "FEC     | lost    | alice  | bob    | server\n");
    Bench bench(netns, server, dir.path(), bursts);
    for (const int loss : losses) {
        // Relay and P2P one after the other at each loss: the machine's load
        // falls on both alike.
        for (const bool relay : {true, false}) {
            const Result r = bench.call(relay, loss);
            if (!r.error.isEmpty())
                return fail(r.error);
            printRow(loss, relay ? "relay" : "P2P", r);
        }
    }
    std::printf("CPU: %% of one core over the bursts (alice: microphone, encode, SRTP, ICE, "
                "decode to a file; bob: a file in, decode, jitter buffer, speaker)\n");
    // The CPU of a call, all in: both ends on the devices both ways, no loss.
    std::printf("\nCPU per call, both ends on the null devices both ways, no loss, %d s:\n"
                "  path     | said     | alice  | bob    | server (at rest %.2f %%)\n",
                bursts + 1, idle);
    for (const bool relay : {true, false}) {
        const Result r = bench.call(relay, 0, true);
        if (!r.error.isEmpty())
            return fail(r.error);
        std::printf("  %-8s | %-8s | %6s | %6s | %.2f %% (%+.2f %% over rest)\n",
                    relay ? "relay" : "P2P", qPrintable(r.path),
                    qPrintable(figure(r.aliceCpu, " %")), qPrintable(figure(r.bobCpu, " %")),
                    r.serverCpu, r.serverCpu - idle);
        std::printf("             alice's threads: %s\n", qPrintable(r.aliceThreads));
    }
    return 0;
}
