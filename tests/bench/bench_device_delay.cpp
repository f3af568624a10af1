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
// The measurement itself (recorders on one time base, burst onsets) is
// tests/support/DelayProbe, shared with tst_voice_devices. `--calibrate` records the feed monitor
// on both streams (no call), the second one started 333 ms later: the "delay" it prints is the
// error of this time base. `--calibrate-combined` plays the bursts through a module-combine-sink
// into both sinks at once and records feed and speaker monitors: the "delay" is the time base error
// between the two monitors plus the combine sink's alignment error.
//
// Usage: bench_device_delay [BURSTS (default 20)] [--minutes N] [--no-short-frames]
//                           [--baresip] [--calibrate | --calibrate-combined]
// --minutes N: a long call, one burst a second for N minutes (up to 30; about
// 200 MB of memory per recorded stream and half hour), and the p95 of each
// minute, so a delay that grows over the call shows (first vs last minute).
// --no-short-frames: both clients offer 20 ms Opus frames only (by default the
// call is peer to peer with 10 ms frames, docs/media.md "10 ms frames").
// --baresip: then the same bursts through two baresip instances (Debian
// baresip-core, its default buffer settings, ALSA's PulseAudio plugin onto
// the same default devices) calling each other directly on loopback, and
// our figures against baresip's.

#include "BaresipPair.h"
#include "media/WavFile.h"
#include "support/CliProcess.h"
#include "support/DelayProbe.h"
#include "support/Processes.h"
#include "support/PulseAudioSupport.h"
#include "support/ServerProcess.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cstdio>
#include <memory>

using namespace softphone::test;
using softphone::bench::BaresipPair;
using softphone::media::WavAudio;
using softphone::media::WavFile;

namespace {

constexpr int kRate = 48000;

// A long call: p95 of each minute, then the first against the last.
void printMinutes(const std::vector<double> &delays, const std::vector<double> &times)
{
    std::vector<std::vector<double>> minutes;
    const double t0 = times.empty() ? 0 : times.front();
    for (size_t i = 0; i < delays.size(); ++i) {
        const size_t m = size_t((times[i] - t0) / 60);
        if (minutes.size() <= m)
            minutes.resize(m + 1);
        minutes[m].push_back(delays[i]);
    }
    for (size_t m = 0; m < minutes.size(); ++m)
        if (!minutes[m].empty())
            std::printf("minute %zu: %zu bursts, p50 %.1f ms, p95 %.1f ms\n", m + 1,
                        minutes[m].size(), percentile(minutes[m], 0.5),
                        percentile(minutes[m], 0.95));
    if (minutes.size() >= 2 && !minutes.front().empty() && !minutes.back().empty())
        std::printf("first minute p95 %.1f ms, last minute p95 %.1f ms (%+.1f ms)\n",
                    percentile(minutes.front(), 0.95), percentile(minutes.back(), 0.95),
                    percentile(minutes.back(), 0.95) - percentile(minutes.front(), 0.95));
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
    const QJsonObject last =
        bob.isEmpty() ? QJsonObject() : bob.last().value(QLatin1StringView("quality")).toObject();
    std::printf("bob: playback target %.1f ms, speaker underruns %.0f, jitter %.1f ms, "
                "concealed %.0f, dropped for drift %.0f of %.0f received\n",
                medianOf(bob, "playbackTargetMs"),
                last.value(QLatin1StringView("underruns")).toDouble(), medianOf(bob, "jitterMs"),
                last.value(QLatin1StringView("concealed")).toDouble(),
                last.value(QLatin1StringView("driftDropped")).toDouble(),
                last.value(QLatin1StringView("framesReceived")).toDouble());
}

// The delays of one run of bursts: played into `playTo` every second while
// the feed monitor and `speakerSource` are recorded (see the file comment).
struct Measured
{
    std::vector<double> delays;
    std::vector<double> times; // feed onset, s into the recording
    int missed = 0;
};

Measured measureBursts(int bursts, const QString &burstWav, const QString &playTo,
                       const QString &speakerSource, bool lateSecondStream, QString *why)
{
    Measured m;
    TimedRecorder feed(QStringLiteral("softphone_mic_feed.monitor"));
    if (lateSecondStream)
        QTest::qWait(333); // a late second stream: the time base must absorb it
    TimedRecorder speaker(speakerSource);
    if (!feed.started() || !speaker.started()) {
        *why = QStringLiteral("parec did not start");
        return m;
    }
    QTest::qWait(3000); // the call's audio settles (jitter buffer, speaker prebuffer)
    std::vector<std::unique_ptr<QProcess>> players;
    for (int i = 0; i < bursts; ++i) {
        std::erase_if(players, [](const auto &p) { return p->state() == QProcess::NotRunning; });
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
    for (const BurstDelay &d : burstDelays(feed, speaker)) {
        if (d.ms < 0) {
            ++m.missed;
            std::printf("burst %zu: not heard on the speaker\n",
                        m.delays.size() + size_t(m.missed));
            continue;
        }
        m.delays.push_back(d.ms);
        m.times.push_back(d.feedSeconds);
        std::printf("burst %zu: %.1f ms\n", m.delays.size() + size_t(m.missed), d.ms);
    }
    std::printf("%zu bursts measured, %d not heard (of %d played); %zu + %zu samples\n",
                m.delays.size(), m.missed, bursts, feed.samples(), speaker.samples());
    std::printf("streams on the common clock: feed starts %.1f ms (local starts spread "
                "%.1f ms), speaker starts %.1f ms (spread %.1f ms)\n",
                feed.timeOf(0) / 1e6, feed.startSpreadMs(), speaker.timeOf(0) / 1e6,
                speaker.startSpreadMs());
    return m;
}

void printPercentiles(const char *label, const std::vector<double> &delays)
{
    std::printf("%s: p50 %.1f ms, p95 %.1f ms, min %.1f ms, max %.1f ms\n", label,
                percentile(delays, 0.5), percentile(delays, 0.95),
                *std::min_element(delays.begin(), delays.end()),
                *std::max_element(delays.begin(), delays.end()));
}

int fail(const QString &why)
{
    std::fprintf(stderr, "bench_device_delay: %s\n", qPrintable(why));
    return 1;
}

} // namespace

int main(int argc, char **argv)
{
    softphone::test::useThisBuildsBinaries();
    QCoreApplication app(argc, argv);
    int bursts = 20;
    bool calibrate = false, combined = false, perMinute = false, baresip = false;
    QStringList callOptions;
    const QStringList args = app.arguments().mid(1);
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args[i];
        bool ok = false;
        if (a == QStringLiteral("--minutes") && i + 1 < args.size()) {
            const int minutes = args[++i].toInt(&ok);
            if (!ok || minutes < 1 || minutes > 30)
                return fail(QStringLiteral("--minutes takes 1-30"));
            bursts = minutes * 60;
            perMinute = true;
        } else if (a == QStringLiteral("--calibrate"))
            calibrate = true;
        else if (a == QStringLiteral("--calibrate-combined"))
            calibrate = combined = true;
        else if (a == QStringLiteral("--no-short-frames"))
            callOptions << a;
        else if (a == QStringLiteral("--baresip"))
            baresip = true;
        else if (const int n = a.toInt(&ok); ok && n > 0 && n <= 1000)
            bursts = n;
        else
            return fail(QStringLiteral("unknown argument '%1' (usage: bench_device_delay "
                                       "[BURSTS 1-1000] [--minutes 1-30] [--no-short-frames] "
                                       "[--baresip] [--calibrate | --calibrate-combined])")
                            .arg(a));
    }
    if (bool running = false; pactl({QStringLiteral("info")}, &running), !running)
        return fail(QStringLiteral("no PulseAudio server: run through tests/desktop-session"));
    QTemporaryDir dir;
    const QString burstWav = dir.filePath(QStringLiteral("burst.wav"));
    const QString silentWav = dir.filePath(QStringLiteral("silent.wav"));
    if (!dir.isValid() || !WavFile::write(burstWav, WavAudio{kRate, 1, chirpBurst()}) ||
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
                        QStringLiteral("--audio-in"), silentWav} +
                callOptions);
        if (!bob->waitForEvent(QStringLiteral("waiting")))
            return fail(QStringLiteral("bob is not waiting:\n") + bob->transcript());
        // alice: default microphone, what she hears to a file (not the speaker).
        alice = std::make_unique<CliProcess>(
            url, QStringLiteral("alice"), QStringLiteral("alice-delay-password"),
            QStringList{QStringLiteral("call"), QStringLiteral("bob"),
                        QStringLiteral("--hangup-after"), QString::number(bursts + 15),
                        QStringLiteral("--quality-events"), QStringLiteral("--audio-out"),
                        dir.filePath(QStringLiteral("alice.wav"))} +
                callOptions);
        if (!alice->waitForEvent(QStringLiteral("audio")) ||
            !bob->waitForEvent(QStringLiteral("audio")))
            return fail(QStringLiteral("no audio:\nalice: ") + alice->transcript() +
                        QStringLiteral("\nbob: ") + bob->transcript());
    }

    // In calibration a reader of the default microphone stands in for alice: a
    // null sink's monitor only runs while something reads or plays.
    std::unique_ptr<TimedRecorder> micReader;
    QString playTo = QStringLiteral("softphone_mic_feed"), module;
    if (calibrate)
        micReader = std::make_unique<TimedRecorder>(QStringLiteral("softphone_mic"));
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
    const qsizetype aliceSkip = alice ? alice->events(QStringLiteral("quality")).size() + 3 : 0;
    const qsizetype bobSkip = bob ? bob->events(QStringLiteral("quality")).size() + 3 : 0;
    QString why;
    std::printf("%s\n", combined    ? "calibration (one stream into both sinks)"
                        : calibrate ? "calibration (feed monitor twice)"
                                    : "mouth-to-ear delay, softphone-cli");
    const Measured ours =
        measureBursts(bursts, burstWav, playTo,
                      calibrate && !combined ? QStringLiteral("softphone_mic_feed.monitor")
                                             : QStringLiteral("softphone_speaker.monitor"),
                      calibrate, &why);
    if (!module.isEmpty())
        QProcess::execute(QStringLiteral("pactl"), {QStringLiteral("unload-module"), module});
    if (!why.isEmpty())
        return fail(why);
    if (alice && !alice->event(QStringLiteral("audio_error")).isEmpty())
        return fail(QStringLiteral("audio error:\n") + alice->transcript());
    if (bob && !bob->event(QStringLiteral("audio_error")).isEmpty())
        return fail(QStringLiteral("audio error:\n") + bob->transcript());
    if (ours.delays.empty())
        return fail(QStringLiteral("no burst measured"));
    printPercentiles(calibrate ? "calibration" : "softphone", ours.delays);
    if (perMinute)
        printMinutes(ours.delays, ours.times);
    if (alice && bob) {
        const QList<QJsonObject> aliceEvents =
            alice->events(QStringLiteral("quality")).mid(aliceSkip);
        const QList<QJsonObject> bobEvents = bob->events(QStringLiteral("quality")).mid(bobSkip);
        std::printf("frames: alice sends %.0f ms, bob %.0f ms (path %s)\n",
                    medianOf(aliceEvents, "frameMs"), medianOf(bobEvents, "frameMs"),
                    qPrintable(aliceEvents.isEmpty() ? QString()
                                                     : aliceEvents.last()
                                                           .value(QLatin1StringView("quality"))
                                                           .toObject()
                                                           .value(QLatin1StringView("path"))
                                                           .toString()));
        printStages(aliceEvents, bobEvents, percentile(ours.delays, 0.5));
    }
    if (!baresip || calibrate)
        return 0;

    // The reference: our call ends first (its devices closed), then baresip's
    // through the same devices, measured the same way.
    alice.reset();
    bob.reset();
    std::printf("\nmouth-to-ear delay, baresip (reference)\n");
    BaresipPair pair;
    if (!pair.start(bursts + 10, &why))
        return fail(why);
    const Measured theirs = measureBursts(bursts, burstWav, playTo,
                                          QStringLiteral("softphone_speaker.monitor"), false, &why);
    if (!why.isEmpty())
        return fail(why);
    if (theirs.delays.empty())
        return fail(QStringLiteral("no burst measured through baresip"));
    printPercentiles("baresip", theirs.delays);
    std::printf("softphone / baresip: p50 %.2f, p95 %.2f\n",
                percentile(ours.delays, 0.5) / percentile(theirs.delays, 0.5),
                percentile(ours.delays, 0.95) / percentile(theirs.delays, 0.95));
    return 0;
}
