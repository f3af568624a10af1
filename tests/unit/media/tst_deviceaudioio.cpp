// DeviceAudioIO against a real PulseAudio server (tests/desktop-session
// starts it with the null sink softphone_speaker and source softphone_mic):
// the devices are listed, a tone reaches the chosen sink, and unplugging the
// sink mid-play moves playback to the default without stopping it.
#include "media/MediaFormat.h"
#include "media/ToneGenerator.h"
#include "media/devices/AudioDevices.h"
#include "media/devices/DeviceAudioIO.h"
#include "media/devices/InputLevelMeter.h"
#include "support/SignalTools.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTest>

using namespace softphone::media;
using namespace softphone::media::test;

namespace {
QString pactl(const QStringList &args, bool *ok = nullptr)
{
    QProcess p;
    p.start(QStringLiteral("pactl"), args);
    const bool done = p.waitForFinished(10000) && p.exitCode() == 0;
    if (ok)
        *ok = done;
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

// Records a sink's monitor for `ms` and returns the samples (48 kHz mono).
std::vector<int16_t> record(const QString &sink, int ms)
{
    QProcess p;
    p.start(QStringLiteral("parec"),
            {QStringLiteral("-d"), sink + QStringLiteral(".monitor"),
             QStringLiteral("--format=s16le"), QStringLiteral("--rate=48000"),
             QStringLiteral("--channels=1"), QStringLiteral("--latency-msec=20")});
    if (!p.waitForStarted(5000))
        return {};
    // Waits for the bytes themselves (parec may drop what it buffered when
    // terminated); qWait keeps the event loop and so the audio pump running.
    const qint64 wanted = qint64(ms) * 96;
    for (int waited = 0; p.bytesAvailable() < wanted && waited < ms + 5000; waited += 50)
        QTest::qWait(50);
    const QByteArray bytes = p.readAllStandardOutput();
    p.kill();
    p.waitForFinished(5000);
    if (bytes.isEmpty())
        qWarning("parec recorded nothing: %s", p.readAllStandardError().constData());
    std::vector<int16_t> out(size_t(bytes.size()) / 2);
    if (!out.empty())
        memcpy(out.data(), bytes.constData(), out.size() * 2);
    return out;
}

bool hasTone(const std::vector<int16_t> &s)
{
    return s.size() > 4800 && tonePower(s, 425) > 100 * tonePower(s, 1000) &&
           energy(s) / double(s.size()) > 1e4;
}
} // namespace

class TestDeviceAudioIO : public QObject
{
    Q_OBJECT
    QString m_module;

private slots:
    void initTestCase()
    {
        bool ok = false;
        pactl({QStringLiteral("info")}, &ok);
        QVERIFY2(ok, "no PulseAudio server: run this test through tests/desktop-session");
    }

    void cleanupTestCase()
    {
        if (!m_module.isEmpty())
            pactl({QStringLiteral("unload-module"), m_module});
    }

    void listsTheSessionDevices()
    {
        AudioDevices devices;
        auto has = [&](AudioDevices::Role role, const QByteArray &id) {
            const auto list = devices.devices(role);
            return std::any_of(list.begin(), list.end(),
                               [&](const AudioDevices::Entry &e) { return e.id == id; });
        };
        QVERIFY(devices.devices(AudioDevices::Role::Output).first().id.isEmpty()); // System default
        QVERIFY(has(AudioDevices::Role::Output, "softphone_speaker"));
        QVERIFY(has(AudioDevices::Role::Ringer, "softphone_speaker"));
        QVERIFY(has(AudioDevices::Role::Input, "softphone_mic"));
        // A chosen device that is gone is shown as unavailable, not dropped.
        const auto withGone = devices.devices(AudioDevices::Role::Output, "usb_headset_gone");
        QVERIFY(!withGone.last().available);
        QVERIFY(AudioDevices::isMissing(AudioDevices::Role::Output, "usb_headset_gone"));
        QVERIFY(!AudioDevices::isMissing(AudioDevices::Role::Output, "softphone_speaker"));
        QVERIFY(!AudioDevices::isMissing(AudioDevices::Role::Output, {}));
        // Marked: the one system default, and the device a call would open (the
        // chosen one, or the default while the chosen one is gone).
        const QByteArray defaultId = AudioDevices::defaultId(AudioDevices::Role::Output);
        auto marked = [](const QList<AudioDevices::Entry> &list, bool AudioDevices::Entry::*mark) {
            QByteArrayList ids;
            for (const AudioDevices::Entry &e : list)
                if (e.*mark)
                    ids << e.id;
            return ids;
        };
        QCOMPARE(marked(withGone, &AudioDevices::Entry::isDefault), QByteArrayList{defaultId});
        QCOMPARE(marked(withGone, &AudioDevices::Entry::inUse), QByteArrayList{defaultId});
        const auto chosen = devices.devices(AudioDevices::Role::Output, "softphone_speaker");
        QCOMPARE(marked(chosen, &AudioDevices::Entry::inUse), QByteArrayList{"softphone_speaker"});
    }

    void levelMeterScale()
    {
        const std::vector<int16_t> silence(960, 0);
        QCOMPARE(InputLevelMeter::rmsDbfs(silence), InputLevelMeter::kFloorDbfs);
        QCOMPARE(InputLevelMeter::scaled(InputLevelMeter::rmsDbfs(silence)), 0.0);
        // A full-scale sine is -3 dBFS RMS; one 40 dB lower, -43.
        const auto loud = sine(1000, 960, 32767);
        const auto quiet = sine(1000, 960, 327.67);
        QVERIFY(std::abs(InputLevelMeter::rmsDbfs(loud) + 3.01) < 0.1);
        QVERIFY(std::abs(InputLevelMeter::rmsDbfs(quiet) + 43.01) < 0.1);
        QVERIFY(InputLevelMeter::scaled(InputLevelMeter::rmsDbfs(loud)) > 0.9);
        QVERIFY(std::abs(InputLevelMeter::scaled(-30) - 0.5) < 1e-9);
        QCOMPARE(InputLevelMeter::scaled(10), 1.0);
    }

    void playbackFollowsUnplugAndReplug()
    {
        bool ok = false;
        m_module = pactl({QStringLiteral("load-module"), QStringLiteral("module-null-sink"),
                          QStringLiteral("sink_name=softphone_headset"),
                          QStringLiteral("sink_properties=device.description=SoftphoneHeadset")},
                         &ok);
        QVERIFY2(ok, "cannot load a null sink");
        AudioDevices devices;
        QTRY_VERIFY_WITH_TIMEOUT(
            AudioDevices::resolve(AudioDevices::Role::Output, "softphone_headset").id() ==
                "softphone_headset",
            5000);

        ToneGenerator tone({{1000, 425}}, true, -6);
        std::vector<int16_t> block(kFrameSamples);
        DeviceAudioIO io;
        QSignalSpy changed(&io, &DeviceAudioIO::outputDeviceChanged);
        io.startPlayback("softphone_headset", [&]() -> std::span<const int16_t> {
            tone.fill(block);
            return block;
        });
        QCOMPARE(io.outputDeviceId(), QByteArray("softphone_headset"));
        QTRY_VERIFY_WITH_TIMEOUT(io.blocksPlayed() > 10, 5000);
        QVERIFY2(hasTone(record(QStringLiteral("softphone_headset"), 1500)),
                 "the tone did not reach the chosen sink");

        // Unplug mid-play: playback moves to the default sink and goes on.
        const qint64 before = io.blocksPlayed();
        pactl({QStringLiteral("unload-module"), m_module}, &ok);
        QVERIFY(ok);
        m_module.clear();
        QTRY_COMPARE_WITH_TIMEOUT(io.outputDeviceId(), QByteArray("softphone_speaker"), 5000);
        QVERIFY(io.isOutputOnFallback());
        QVERIFY2(hasTone(record(QStringLiteral("softphone_speaker"), 1500)),
                 "playback did not continue on the default sink");
        QVERIFY(io.blocksPlayed() > before + 25);

        // Plugged in again: back to the chosen device.
        m_module = pactl({QStringLiteral("load-module"), QStringLiteral("module-null-sink"),
                          QStringLiteral("sink_name=softphone_headset"),
                          QStringLiteral("sink_properties=device.description=SoftphoneHeadset")},
                         &ok);
        QVERIFY(ok);
        QTRY_COMPARE_WITH_TIMEOUT(io.outputDeviceId(), QByteArray("softphone_headset"), 5000);
        QVERIFY(!io.isOutputOnFallback());
        QVERIFY(hasTone(record(QStringLiteral("softphone_headset"), 1500)));
        QVERIFY(changed.count() >= 3);
        io.stop();
    }

    void missingDeviceIsReportedNotFatal()
    {
        DeviceAudioIO io;
        QSignalSpy missing(&io, &DeviceAudioIO::deviceMissing);
        std::vector<int16_t> silence(kFrameSamples, 0);
        io.startPlayback("no_such_device", [&]() -> std::span<const int16_t> { return silence; });
        QCOMPARE(missing.count(), 1);
        QCOMPARE(io.outputDeviceId(), QByteArray("softphone_speaker"));
        io.startCapture("no_such_mic", [](std::span<const int16_t>) {});
        QCOMPARE(missing.count(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(io.blocksPlayed() > 10, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(io.blocksCaptured() > 10, 5000);
        io.stop();
    }
};

QTEST_GUILESS_MAIN(TestDeviceAudioIO)
#include "tst_deviceaudioio.moc"
