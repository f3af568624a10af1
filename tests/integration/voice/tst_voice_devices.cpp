// softphone-cli on real sound devices: the PulseAudio server of the desktop
// session (tests/desktop-session: default sink softphone_speaker, default
// source softphone_mic = the monitor of the null sink softphone_mic_feed).
//   - mic side: alice calls without audio options; a tone played into
//     softphone_mic_feed is what her default microphone hears, and it arrives
//     in bob's recording (--audio-out) at its frequency;
//   - speaker side: bob answers without audio options; alice's file tone comes
//     out of the default speaker (recorded from its monitor), and with
//     --output-device (by description) out of the sink named there;
//   - delay: both sides on devices of their own (null sinks and remap sources
//     the test loads), chirp bursts go both ways with a mouth-to-ear delay
//     under a generous bound (400 ms: a figure for users, never a timing
//     goal; bench_device_delay measures), and after the speaker ran dry
//     (the playing process stopped for 400 ms) the delay comes back down;
//   - echo: bob's speaker plays into his microphone (module-loopback, 40 ms
//     late): alice's voice is at his microphone about as loud as she speaks,
//     yet after the canceller converged she hears it at least 20 dB down,
//     while a tone bob "says" meanwhile still reaches her.
// Tones are told apart by frequency (Goertzel) at frequencies no other test
// of the suite plays, so tests running beside this one on the same server
// (which may add their own sounds to the default devices) do not disturb it.

#include "media/WavFile.h"
#include "support/CliProcess.h"
#include "support/DelayProbe.h"
#include "support/EchoScenario.h"
#include "support/PulseAudioSupport.h"
#include "support/ServerProcess.h"
#include "support/SignalTools.h"

#include <QJsonDocument>
#include <QProcess>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <csignal>
#include <numbers>

using namespace softphone::test;
using softphone::media::WavAudio;
using softphone::media::WavFile;
using softphone::media::test::tonePower;

namespace {

constexpr int kRate = 48000;
constexpr double kMicTone = 1250;         // Hz, fed into the microphone
constexpr double kFileTone = 1850;        // Hz, alice's file towards bob's speaker
constexpr double kQuiet[] = {2700, 3300}; // Hz nobody plays: the noise floor

QString passwordOf(const QString &user)
{
    return user + QStringLiteral("-devices-password");
}

std::vector<int16_t> sine(double frequency, double seconds, double amplitude = 8000)
{
    std::vector<int16_t> out(size_t(seconds * kRate));
    for (size_t i = 0; i < out.size(); ++i)
        out[i] =
            int16_t(amplitude * std::sin(2 * std::numbers::pi * frequency * double(i) / kRate));
    return out;
}

// The tone is there: strong in absolute terms (amplitude > ~600 of 32767)
// and far above the frequencies nobody plays.
bool hasTone(std::span<const int16_t> s, double frequency, QString *why)
{
    const double p = tonePower(s, frequency);
    double floor = 0;
    for (double q : kQuiet)
        floor = std::max(floor, tonePower(s, q));
    *why = QStringLiteral("%1 samples, power at %2 Hz %3, floor %4")
               .arg(s.size())
               .arg(frequency)
               .arg(p, 0, 'g', 3)
               .arg(floor, 0, 'g', 3);
    return s.size() > size_t(kRate / 2) && p > 1e5 && p > 100 * floor;
}

// The 1 s of a recording where `frequency` is strongest (the call's audio
// sits somewhere inside it).
std::span<const int16_t> bestSecond(const std::vector<int16_t> &s, double frequency)
{
    if (s.size() <= size_t(kRate))
        return s;
    std::span<const int16_t> best;
    double bestPower = -1;
    for (size_t start = 0; start + kRate <= s.size(); start += kRate / 10) {
        const auto window = std::span<const int16_t>(s).subspan(start, kRate);
        const double p = tonePower(window, frequency);
        if (p > bestPower) {
            bestPower = p;
            best = window;
        }
    }
    return best;
}

// A generous bound on the mouth-to-ear delay through the null devices (the
// goal is 100 ms; 250-300 ms was measured before the low-delay pipeline).
constexpr double kDelayBoundMs = 400;

// One side's own devices: a null sink that plays into its microphone (a
// remap source over the sink's monitor, as Qt lists no monitors) and a null
// sink it hears on.
struct OwnDevices
{
    QString feed; // play here = speak into the microphone
    QString mic;
    QString ear;
};

// The median delay of the bursts that were heard (-1: fewer than `least`).
double medianDelay(const std::vector<BurstDelay> &bursts, size_t least, QString *figures)
{
    std::vector<double> heard;
    for (const BurstDelay &b : bursts) {
        *figures += b.ms < 0 ? QStringLiteral(" -") : QStringLiteral(" %1").arg(b.ms, 0, 'f', 0);
        if (b.ms >= 0)
            heard.push_back(b.ms);
    }
    *figures += QStringLiteral(" ms");
    return heard.size() < least ? -1 : percentile(heard, 0.5);
}

} // namespace

class TstVoiceDevices : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    ServerProcess m_server;
    QString m_micToneWav;
    QString m_fileToneWav;
    QString m_module;      // the extra sink of namedOutputDevice
    QStringList m_modules; // the devices of the delay tests
    QString m_burstWav;
    QString m_transcript; // the last call's events, for failure messages

    QString path(const QString &name) const { return m_dir.filePath(name); }
    QUrl url() const { return m_server.appServerUrl(); }

    // bob answers with `bobAudio`, alice calls with `aliceAudio` and hangs up
    // after `seconds`; `whileEstablished` runs once alice's audio is open.
    // cleanExit: both must exit with status 0. The delay tests leave it out:
    // with several streams per process Qt 6.4's PulseAudio backend sometimes
    // aborts at exit (pa_pdispatch_run assertion, see tests/CMakeLists.txt),
    // after the call, which is not what they check.
    void call(const QStringList &aliceAudio, const QStringList &bobAudio, double seconds,
              const std::function<void()> &whileEstablished, QJsonObject *aliceAudioEvent,
              QJsonObject *bobAudioEvent, bool cleanExit = true)
    {
        CliProcess bob(url(), QStringLiteral("bob"), passwordOf(QStringLiteral("bob")),
                       QStringList{QStringLiteral("answer")} + bobAudio);
        QVERIFY2(bob.waitForEvent(QStringLiteral("waiting")), qPrintable(bob.transcript()));
        CliProcess alice(url(), QStringLiteral("alice"), passwordOf(QStringLiteral("alice")),
                         QStringList{QStringLiteral("call"), QStringLiteral("bob"),
                                     QStringLiteral("--hangup-after"), QString::number(seconds)} +
                             aliceAudio);
        QVERIFY2(alice.waitForEvent(QStringLiteral("audio")) &&
                     bob.waitForEvent(QStringLiteral("audio")),
                 qPrintable(alice.transcript() + u'\n' + bob.transcript()));
        whileEstablished();
        QVERIFY2(alice.finished() && bob.finished(),
                 qPrintable(alice.transcript() + u'\n' + bob.transcript()));
        QVERIFY2(!cleanExit || (alice.exitCode() == 0 && bob.exitCode() == 0),
                 qPrintable(alice.transcript() + u'\n' + bob.transcript()));
        QVERIFY2(alice.event(QStringLiteral("audio_error")).isEmpty() &&
                     bob.event(QStringLiteral("audio_error")).isEmpty(),
                 qPrintable(alice.transcript() + u'\n' + bob.transcript()));
        m_transcript = QStringLiteral("alice:\n") + alice.transcript() +
                       QStringLiteral("\nbob:\n") + bob.transcript();
        *aliceAudioEvent = alice.event(QStringLiteral("audio"));
        *bobAudioEvent = bob.event(QStringLiteral("audio"));
    }

    // On failure: the last call's events, one warning per line (no truncation).
    QString explain() const
    {
        for (const QString &line : m_transcript.split(u'\n'))
            qWarning().noquote() << line;
        return QStringLiteral(" (the calls' events are above)");
    }

    // Loads `name`'s own devices and waits until softphone-cli lists them.
    OwnDevices loadOwnDevices(const QString &name)
    {
        OwnDevices d{QStringLiteral("softphone_%1_feed").arg(name),
                     QStringLiteral("softphone_%1_mic").arg(name),
                     QStringLiteral("softphone_%1_ear").arg(name)};
        bool ok = false;
        for (const QString &sink : {d.feed, d.ear}) {
            const QString id = loadNullSink(sink, sink);
            if (!id.isEmpty())
                m_modules << id;
        }
        const QString remap =
            pactl({QStringLiteral("load-module"), QStringLiteral("module-remap-source"),
                   QStringLiteral("source_name=") + d.mic,
                   QStringLiteral("master=") + d.feed + QStringLiteral(".monitor"),
                   QStringLiteral("source_properties=device.description=") + d.mic},
                  &ok);
        if (ok)
            m_modules << remap;
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(
                [&] {
                    QProcess cli;
                    cli.start(qEnvironmentVariable("SOFTPHONE_CLI_BIN"),
                              {QStringLiteral("audio-devices")});
                    const QByteArray out =
                        cli.waitForFinished(30000) ? cli.readAllStandardOutput() : QByteArray();
                    return out.contains(d.mic.toUtf8()) && out.contains(d.ear.toUtf8());
                }(),
                15000);
        }();
        return d;
    }

    static QStringList devicesOf(const OwnDevices &d)
    {
        return {QStringLiteral("--input-device"), d.mic, QStringLiteral("--output-device"), d.ear,
                QStringLiteral("--quality-events")};
    }

    // Plays the burst into `feed` `count` times, one a second.
    void playBursts(const QString &feed, int count)
    {
        for (int i = 0; i < count; ++i) {
            QProcess::startDetached(QStringLiteral("paplay"),
                                    {QStringLiteral("-d"), feed, m_burstWav});
            QTest::qWait(1000);
        }
    }

    static QString deviceOf(const QJsonObject &audioEvent, const char *direction)
    {
        const QJsonObject side = audioEvent.value(QLatin1StringView(direction)).toObject();
        return side.value(u"type").toString() + u':' + side.value(u"id").toString();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(!qEnvironmentVariableIsEmpty("SOFTPHONE_CLI_BIN"));
        bool ok = false;
        pactl({QStringLiteral("info")}, &ok);
        QVERIFY2(ok, "no PulseAudio server: run this test through tests/desktop-session");
        QVERIFY(m_dir.isValid());
        m_micToneWav = path(QStringLiteral("mic-tone.wav"));
        QVERIFY(WavFile::write(m_micToneWav, WavAudio{kRate, 1, sine(kMicTone, 3)}));
        // Half a second of silence first: bob is surely listening when it starts.
        std::vector<int16_t> fileTone(kRate / 2, 0);
        const std::vector<int16_t> tone = sine(kFileTone, 3);
        fileTone.insert(fileTone.end(), tone.begin(), tone.end());
        m_fileToneWav = path(QStringLiteral("file-tone.wav"));
        QVERIFY(WavFile::write(m_fileToneWav, WavAudio{kRate, 1, fileTone}));
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        QVERIFY(m_server.addUser(QStringLiteral("alice"), passwordOf(QStringLiteral("alice"))));
        QVERIFY(m_server.addUser(QStringLiteral("bob"), passwordOf(QStringLiteral("bob"))));
        m_burstWav = path(QStringLiteral("burst.wav"));
        QVERIFY(WavFile::write(m_burstWav, WavAudio{kRate, 1, chirpBurst()}));
    }

    void cleanupTestCase()
    {
        if (!m_module.isEmpty())
            pactl({QStringLiteral("unload-module"), m_module});
        // Remap sources first: they hang on the feed sinks' monitors.
        std::sort(m_modules.begin(), m_modules.end(),
                  [](const QString &a, const QString &b) { return a.toInt() > b.toInt(); });
        for (const QString &id : std::as_const(m_modules))
            pactl({QStringLiteral("unload-module"), id});
    }

    void delayBothWaysUnderBound()
    {
        const OwnDevices a = loadOwnDevices(QStringLiteral("delay_alice"));
        const OwnDevices b = loadOwnDevices(QStringLiteral("delay_bob"));
        if (QTest::currentTestFailed())
            return;
        TimedRecorder aliceMouth(a.feed + QStringLiteral(".monitor"));
        TimedRecorder bobEar(b.ear + QStringLiteral(".monitor"));
        TimedRecorder bobMouth(b.feed + QStringLiteral(".monitor"));
        TimedRecorder aliceEar(a.ear + QStringLiteral(".monitor"));
        QVERIFY(aliceMouth.started() && bobEar.started() && bobMouth.started() &&
                aliceEar.started());
        QJsonObject aliceAudio, bobAudio;
        call(
            devicesOf(a), devicesOf(b), 14,
            [&] {
                // The call's audio settles: the first second or two of a call
                // can still be late (streams starting, the jitter buffer
                // trimming what piled up meanwhile).
                QTest::qWait(3000);
                for (int i = 0; i < 6; ++i) {
                    QProcess::startDetached(QStringLiteral("paplay"),
                                            {QStringLiteral("-d"), a.feed, m_burstWav});
                    QTest::qWait(500);
                    QProcess::startDetached(QStringLiteral("paplay"),
                                            {QStringLiteral("-d"), b.feed, m_burstWav});
                    QTest::qWait(500);
                }
            },
            &aliceAudio, &bobAudio, false);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(deviceOf(aliceAudio, "input"), QStringLiteral("device:") + a.mic);
        QCOMPARE(deviceOf(bobAudio, "output"), QStringLiteral("device:") + b.ear);
        QString toBob, toAlice;
        const double aliceToBob = medianDelay(burstDelays(aliceMouth, bobEar), 3, &toBob);
        const double bobToAlice = medianDelay(burstDelays(bobMouth, aliceEar), 3, &toAlice);
        qInfo().noquote() << "alice -> bob:" << toBob << "; bob -> alice:" << toAlice;
        QVERIFY2(aliceToBob >= 0 && aliceToBob < kDelayBoundMs, qPrintable(toBob + explain()));
        QVERIFY2(bobToAlice >= 0 && bobToAlice < kDelayBoundMs, qPrintable(toAlice + explain()));
    }

    void delayComesBackAfterUnderrun()
    {
        const OwnDevices a = loadOwnDevices(QStringLiteral("underrun_alice"));
        const OwnDevices b = loadOwnDevices(QStringLiteral("underrun_bob"));
        if (QTest::currentTestFailed())
            return;
        CliProcess bob(url(), QStringLiteral("bob"), passwordOf(QStringLiteral("bob")),
                       QStringList{QStringLiteral("answer")} + devicesOf(b));
        QVERIFY2(bob.waitForEvent(QStringLiteral("waiting")), qPrintable(bob.transcript()));
        CliProcess alice(url(), QStringLiteral("alice"), passwordOf(QStringLiteral("alice")),
                         QStringList{QStringLiteral("call"), QStringLiteral("bob"),
                                     QStringLiteral("--hangup-after"), QStringLiteral("14")} +
                             devicesOf(a));
        QVERIFY2(alice.waitForEvent(QStringLiteral("audio")) &&
                     bob.waitForEvent(QStringLiteral("audio")),
                 qPrintable(alice.transcript() + u'\n' + bob.transcript()));
        QTest::qWait(3000);
        // Past the start (the stream plays), bob's process stops for 400 ms:
        // his speaker runs dry, and the frames of that time arrive in one
        // burst when it goes on.
        QVERIFY(::kill(pid_t(bob.processId()), SIGSTOP) == 0);
        QTest::qWait(400);
        QVERIFY(::kill(pid_t(bob.processId()), SIGCONT) == 0);
        QTest::qWait(1500);
        TimedRecorder mouth(a.feed + QStringLiteral(".monitor"));
        TimedRecorder ear(b.ear + QStringLiteral(".monitor"));
        QVERIFY(mouth.started() && ear.started());
        QTest::qWait(300);
        playBursts(a.feed, 5);
        mouth.stop();
        ear.stop();
        QVERIFY2(alice.finished() && bob.finished(),
                 qPrintable(alice.transcript() + u'\n' + bob.transcript()));
        m_transcript = QStringLiteral("alice:\n") + alice.transcript() +
                       QStringLiteral("\nbob:\n") + bob.transcript();
        QString figures;
        const double after = medianDelay(burstDelays(mouth, ear), 3, &figures);
        const QList<QJsonObject> quality = bob.events(QStringLiteral("quality"));
        const double underruns =
            quality.isEmpty()
                ? 0
                : quality.last().value(u"quality").toObject().value(u"underruns").toDouble();
        qInfo().noquote() << "after the stall: alice -> bob" << figures << "; speaker underruns"
                          << underruns;
        QVERIFY2(underruns >= 1, qPrintable(QStringLiteral("no underrun seen") + explain()));
        QVERIFY2(after >= 0 && after < kDelayBoundMs, qPrintable(figures + explain()));
    }

    // With audio processing (the default) bob's microphone, which hears his
    // speaker, does not send alice's voice back; with --no-audio-processing
    // (meant for a headset) it does: the switch really turns the canceller off.
    void farEndHearsItsOwnVoiceOnlyWithoutProcessing_data()
    {
        QTest::addColumn<bool>("processing");
        QTest::addColumn<QString>("devices");
        QTest::newRow("processing") << true << QStringLiteral("echo_bob");
        QTest::newRow("no processing") << false << QStringLiteral("raw_bob");
    }

    void farEndHearsItsOwnVoiceOnlyWithoutProcessing()
    {
        QFETCH(bool, processing);
        QFETCH(QString, devices);
        const OwnDevices b = loadOwnDevices(devices);
        if (QTest::currentTestFailed())
            return;
        // The acoustic loop: what bob's speaker plays reaches his microphone.
        bool ok = false;
        const QString loop =
            pactl({QStringLiteral("load-module"), QStringLiteral("module-loopback"),
                   QStringLiteral("source=") + b.ear + QStringLiteral(".monitor"),
                   QStringLiteral("sink=") + b.feed, QStringLiteral("latency_msec=40"),
                   QStringLiteral("source_dont_move=true"), QStringLiteral("sink_dont_move=true")},
                  &ok);
        QVERIFY2(ok, qPrintable(loop));
        const auto unloadLoop = qScopeGuard([loop] {
            pactl({QStringLiteral("unload-module"), loop});
        });
        // alice says 10 s of espeak-ng speech (after 0.5 s of silence).
        std::vector<int16_t> said(kRate / 2, 0);
        const auto voice = softphone::media::test::echoScenarioSpeech().first;
        QVERIFY2(voice.size() > size_t(10 * kRate), "espeak-ng speech could not be generated");
        said.insert(said.end(), voice.begin(), voice.begin() + 10 * kRate);
        const QString saidWav = path(QStringLiteral("echo-said.wav"));
        const QString heardWav = path(QStringLiteral("echo-heard.wav"));
        QVERIFY(WavFile::write(saidWav, WavAudio{kRate, 1, said}));
        MonitorRecorder bobsMic(b.feed);
        std::vector<int16_t> atMic;
        QJsonObject aliceAudio, bobAudio;
        call(
            {QStringLiteral("--audio-in"), saidWav, QStringLiteral("--audio-out"), heardWav,
             QStringLiteral("--no-audio")},
            devicesOf(b) +
                (processing ? QStringList{} : QStringList{QStringLiteral("--no-audio-processing")}),
            16,
            [&] {
                // After alice's speech, bob talks: his tone must still reach her.
                QTest::qWait(12000);
                atMic = bobsMic.take();
                QProcess::startDetached(QStringLiteral("paplay"),
                                        {QStringLiteral("-d"), b.feed, m_micToneWav});
            },
            &aliceAudio, &bobAudio, false);
        if (QTest::currentTestFailed())
            return;
        QString error;
        const auto heard = WavFile::read(heardWav, &error);
        QVERIFY2(heard, qPrintable(error));
        // Against what alice said: the echo at bob's microphone (it is really
        // there), and what she heard from 5 s on (the canceller converged).
        const auto h = softphone::media::test::measureEchoHeard(said, atMic, heard->samples, 5);
        QString why;
        const bool toneHeard = hasTone(bestSecond(heard->samples, kMicTone), kMicTone, &why);
        qInfo("echo at bob's microphone %.1f dB against alice's voice; what she hears of it: "
              "%.1f dB in the first 5 s, %.1f dB after, median second %.1f dB (per second:%s); "
              "bob's tone: %s",
              h.atMicDb, h.firstDb, h.afterDb, h.medianAfterDb, qPrintable(h.perSecond),
              qPrintable(why));
        QVERIFY2(h.atMicDb > -10, qPrintable(QString::number(h.atMicDb) + explain()));
        if (processing) {
            // Most seconds at least 20 dB down; all of them together at least 15
            // (a stall under load lets a second through, see EchoHeard).
            QVERIFY2(h.medianAfterDb < -20, qPrintable(h.perSecond + explain()));
            QVERIFY2(h.afterDb < -15, qPrintable(h.perSecond + explain()));
        } else {
            // Nothing takes it out: alice hears herself about as loud as bob's
            // microphone hears her (the loop has unity gain).
            QVERIFY2(h.medianAfterDb > -10, qPrintable(h.perSecond + explain()));
        }
        QVERIFY2(toneHeard, qPrintable(why + explain()));
    }

    void listsDevices()
    {
        QProcess cli;
        cli.start(qEnvironmentVariable("SOFTPHONE_CLI_BIN"), {QStringLiteral("audio-devices")});
        QVERIFY(cli.waitForFinished(30000));
        QCOMPARE(cli.exitCode(), 0);
        QStringList seen;
        for (const QByteArray &line : cli.readAllStandardOutput().split('\n')) {
            if (line.isEmpty())
                continue;
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            QCOMPARE(o.value(u"event").toString(), QStringLiteral("audio_device"));
            seen << o.value(u"role").toString() + u':' + o.value(u"id").toString() +
                        (o.value(u"default").toBool() ? QStringLiteral("*") : QString());
        }
        QVERIFY2(seen.contains(QStringLiteral("input:softphone_mic*")),
                 qPrintable(seen.join(u' ')));
        QVERIFY2(seen.contains(QStringLiteral("output:softphone_speaker*")),
                 qPrintable(seen.join(u' ')));
    }

    void micSideToneArrives()
    {
        const QString heard = path(QStringLiteral("mic-heard.wav"));
        QProcess feed;
        QJsonObject aliceAudio, bobAudio;
        call(
            {}, {QStringLiteral("--audio-out"), heard, QStringLiteral("--no-audio")}, 4.5,
            [&] {
                // What alice's default microphone hears while the call runs.
                feed.start(
                    QStringLiteral("paplay"),
                    {QStringLiteral("-d"), QStringLiteral("softphone_mic_feed"), m_micToneWav});
                QVERIFY(feed.waitForStarted(5000));
            },
            &aliceAudio, &bobAudio);
        if (QTest::currentTestFailed())
            return;
        feed.waitForFinished(10000);
        QCOMPARE(deviceOf(aliceAudio, "input"), QStringLiteral("device:softphone_mic"));
        QCOMPARE(deviceOf(aliceAudio, "output"), QStringLiteral("device:softphone_speaker"));
        QCOMPARE(deviceOf(bobAudio, "input"), QStringLiteral("none:"));
        QCOMPARE(deviceOf(bobAudio, "output"), QStringLiteral("file:"));
        QCOMPARE(bobAudio.value(u"output").toObject().value(u"path").toString(), heard);

        QString error;
        const auto recorded = WavFile::read(heard, &error);
        QVERIFY2(recorded, qPrintable(error));
        QString why;
        QVERIFY2(hasTone(bestSecond(recorded->samples, kMicTone), kMicTone, &why),
                 qPrintable(why + explain()));
        qInfo().noquote() << "mic side:" << why;
    }

    void calleeDeviceOutputReachesSpeaker()
    {
        MonitorRecorder speaker(QStringLiteral("softphone_speaker"));
        QJsonObject aliceAudio, bobAudio;
        call(
            {QStringLiteral("--audio-in"), m_fileToneWav, QStringLiteral("--no-audio")}, {}, 4,
            [] {}, &aliceAudio, &bobAudio);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(deviceOf(bobAudio, "output"), QStringLiteral("device:softphone_speaker"));
        QCOMPARE(bobAudio.value(u"output").toObject().value(u"chosen").toString(),
                 QStringLiteral("default"));
        QString why;
        const std::vector<int16_t> played = speaker.take();
        QVERIFY2(hasTone(bestSecond(played, kFileTone), kFileTone, &why),
                 qPrintable(why +
                            QStringLiteral("; %1 s recorded").arg(double(played.size()) / kRate) +
                            explain()));
        qInfo().noquote() << "default speaker:" << why;
    }

    void namedOutputDevice()
    {
        m_module =
            loadNullSink(QStringLiteral("softphone_cli_headset"), QStringLiteral("CliHeadset"));
        QVERIFY2(!m_module.isEmpty(), "cannot load a null sink");
        // The new sink is listed once PulseAudio told Qt about it.
        QTRY_VERIFY_WITH_TIMEOUT(
            [] {
                QProcess cli;
                cli.start(qEnvironmentVariable("SOFTPHONE_CLI_BIN"),
                          {QStringLiteral("audio-devices")});
                return cli.waitForFinished(30000) &&
                       cli.readAllStandardOutput().contains("softphone_cli_headset");
            }(),
            10000);
        MonitorRecorder headset(QStringLiteral("softphone_cli_headset"));
        QJsonObject aliceAudio, bobAudio;
        call(
            {QStringLiteral("--audio-in"), m_fileToneWav, QStringLiteral("--no-audio")},
            {QStringLiteral("--output-device"), QStringLiteral("cliheadset")}, 4, [] {},
            &aliceAudio, &bobAudio);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(deviceOf(bobAudio, "output"), QStringLiteral("device:softphone_cli_headset"));
        QCOMPARE(bobAudio.value(u"output").toObject().value(u"fallback").toBool(), false);
        QString why;
        const std::vector<int16_t> played = headset.take();
        QVERIFY2(hasTone(bestSecond(played, kFileTone), kFileTone, &why),
                 qPrintable(why +
                            QStringLiteral("; %1 s recorded").arg(double(played.size()) / kRate) +
                            explain()));

        // A name that matches nothing is a usage error, before any sign-in.
        CliProcess wrong(url(), QStringLiteral("bob"), passwordOf(QStringLiteral("bob")),
                         {QStringLiteral("answer"), QStringLiteral("--output-device"),
                          QStringLiteral("no such speaker")});
        QVERIFY(wrong.finished());
        QCOMPARE(wrong.exitCode(), 2);
        QVERIFY2(wrong.event(QStringLiteral("error"))
                     .value(u"message")
                     .toString()
                     .contains(u"no speaker 'no such speaker'"),
                 qPrintable(wrong.transcript()));
    }
};

QTEST_MAIN(TstVoiceDevices)
#include "tst_voice_devices.moc"
