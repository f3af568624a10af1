// softphone-cli on real sound devices: the PulseAudio server of the desktop
// session (tests/desktop-session: default sink softphone_speaker, default
// source softphone_mic = the monitor of the null sink softphone_mic_feed).
//   - mic side: alice calls without audio options; a tone played into
//     softphone_mic_feed is what her default microphone hears, and it arrives
//     in bob's recording (--audio-out) at its frequency;
//   - speaker side: bob answers without audio options; alice's file tone comes
//     out of the default speaker (recorded from its monitor), and with
//     --output-device (by description) out of the sink named there.
// Tones are told apart by frequency (Goertzel) at frequencies no other test
// of the suite plays, so tests running beside this one on the same server
// (which may add their own sounds to the default devices) do not disturb it.

#include "CliProcess.h"
#include "PulseAudioSupport.h"
#include "ServerProcess.h"
#include "SignalTools.h"
#include "WavFile.h"

#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
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

} // namespace

class TstVoiceDevices : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    ServerProcess m_server;
    QString m_micToneWav;
    QString m_fileToneWav;
    QString m_module;     // the extra sink of namedOutputDevice
    QString m_transcript; // the last call's events, for failure messages

    QString path(const QString &name) const { return m_dir.filePath(name); }
    QUrl url() const { return m_server.appServerUrl(); }

    // bob answers with `bobAudio`, alice calls with `aliceAudio` and hangs up
    // after `seconds`; `whileEstablished` runs once alice's audio is open.
    void call(const QStringList &aliceAudio, const QStringList &bobAudio, double seconds,
              const std::function<void()> &whileEstablished, QJsonObject *aliceAudioEvent,
              QJsonObject *bobAudioEvent)
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
        QVERIFY2(alice.exitCode() == 0 && bob.exitCode() == 0,
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
    }

    void cleanupTestCase()
    {
        if (!m_module.isEmpty())
            pactl({QStringLiteral("unload-module"), m_module});
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
