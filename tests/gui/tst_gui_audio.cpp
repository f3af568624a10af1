// What the user hears from the GUI app, on the real PulseAudio server of the
// desktop session (tests/desktop-session): alice runs the real window against
// a real softphone-server, bob is an in-process client sending a 660 Hz tone.
// Two extra null sinks are loaded and chosen in Settings (so the session's
// default sink stays untouched): one speaker for calls, one ringer. Each sink's
// monitor is recorded with parec and the tones are told apart by frequency.
//   - placing a call: ringback on the speaker while bob's phone rings, then
//     bob's tone; the speaker unplugged mid-call: the call goes on (voice on
//     the default device) and comes back to the speaker when it is plugged in
//     again; bob hangs up: the call-ended beeps.
//   - an incoming call: the ringtone on the ringer device while it rings,
//     silence there once answered, and once declined.
//   - an acoustic loop: alice's speaker plays into her microphone (a third
//     null sink under a remap source, chosen in Settings, fed by
//     module-loopback): bob's voice reaches her microphone about as loud as he
//     speaks, yet he hears it at least 20 dB down once her echo canceller
//     converged, while a tone she "says" afterwards reaches him; once she
//     unticks "Echo cancellation and noise suppression" in Settings during
//     the call (a headset user saving CPU) he does hear himself, about as
//     loud as her microphone hears him.
#include "AliceAndBobTest.h"
#include "GuiTestSupport.h"
#include "client/WavFileSource.h"
#include "softphone/CallCoordinator.h"
#include "softphone/CallSounds.h"
#include "softphone/SoftphoneApp.h"
#include "storage/Settings.h"
#include "support/EchoScenario.h"
#include "support/PulseAudioSupport.h"
#include "support/SignalTools.h"
#include "ui/IncomingCallWindow.h"
#include "ui/MainWindow.h"
#include "ui/QualityBars.h"

#include <QApplication>
#include <QCheckBox>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <functional>
#include <numbers>

using namespace softphone;
using client::Call;
using client::CallState;

namespace {

const QString kCallSink = QStringLiteral("softphone_gui_call");
const QString kRingSink = QStringLiteral("softphone_gui_ring");
const QString kMicFeed = QStringLiteral("softphone_gui_mic_feed"); // play here = speak into the mic
const QString kMic = QStringLiteral("softphone_gui_mic");
constexpr double kAliceTone = 1000; // Hz: alice talking into her microphone
constexpr double kBobTone = 660;    // Hz; apart from ringback 425, ringtone 440/480, beeps 480

using media::test::tonePower;
using test::loadNullSink;
using test::pactl;
using test::recordMonitor;

// The ringtone heard on the ringer: both of its tones, well above a tone it does
// not have. One cadence (3 s) fits in a 3.5 s window, but on a loaded machine the
// sink may start late or skip a burst, so a second and third window may be used
// while the phone keeps ringing: what matters is that it rings, not when.
bool ringtoneHeard(const QString &sink, std::vector<int16_t> *last);

double meanEnergy(const std::vector<int16_t> &s)
{
    double e = 0;
    for (int16_t v : s)
        e += double(v) * v;
    return s.empty() ? 0 : e / double(s.size());
}

// The loudest of the candidate frequencies, by a clear margin (else 0).
double dominant(const std::vector<int16_t> &s, std::initializer_list<double> candidates)
{
    double best = 0, bestPower = 0, second = 0;
    for (double f : candidates) {
        const double p = tonePower(s, f);
        if (p > bestPower) {
            second = bestPower;
            bestPower = p;
            best = f;
        } else {
            second = std::max(second, p);
        }
    }
    return bestPower > 20 * second && meanEnergy(s) > 1e4 ? best : 0;
}

QString describe(const std::vector<int16_t> &s)
{
    return QStringLiteral("%1 samples, mean energy %2, power 425 %3, 440 %4, 480 %5, 660 %6, "
                          "1000 %7")
        .arg(s.size())
        .arg(meanEnergy(s), 0, 'g', 3)
        .arg(tonePower(s, 425), 0, 'g', 3)
        .arg(tonePower(s, 440), 0, 'g', 3)
        .arg(tonePower(s, 480), 0, 'g', 3)
        .arg(tonePower(s, 660), 0, 'g', 3)
        .arg(tonePower(s, 1000), 0, 'g', 3);
}

const std::initializer_list<double> kFrequencies = {425, 440, 480, 660, 1000, 300};

bool ringtoneHeard(const QString &sink, std::vector<int16_t> *last)
{
    for (int attempt = 0; attempt < 3; ++attempt) {
        *last = recordMonitor(sink, 3500);
        if (tonePower(*last, 440) > 1e5 && tonePower(*last, 480) > 1e5 &&
            tonePower(*last, 440) > 20 * tonePower(*last, 660))
            return true;
    }
    return false;
}

} // namespace

class TestGuiAudio : public test::AliceAndBobTest
{
    Q_OBJECT

private:
    QString m_callModule;
    QString m_ringModule;
    QStringList m_loopModules; // the acoustic loop, unloaded last to first

    bool choose(const char *boxName, const QString &sink, storage::Settings::Key key)
    {
        return test::chooseDevice(*m_app, boxName, sink, key);
    }
    // bob's outgoing voice: a steady tone for longer than any test needs.
    static std::shared_ptr<client::WavFileSource> bobTone()
    {
        std::vector<int16_t> samples(size_t(48000 * 120));
        for (size_t i = 0; i < samples.size(); ++i)
            samples[i] = int16_t(
                std::lround(8000 * std::sin(2 * std::numbers::pi * kBobTone * double(i) / 48000)));
        return std::make_shared<client::WavFileSource>(std::move(samples));
    }

    // alice dials bob; bob answers saying `said` (from a file) and keeps what he
    // hears in `bobHears`; alice's microphone feed is recorded while he speaks
    // (`atMic`). `established` runs once the call is, `afterwards` before bob
    // hangs up.
    void bobSaysThroughTheLoop(const std::vector<int16_t> &said,
                               const std::shared_ptr<test::RecordingSink> &bobHears,
                               std::vector<int16_t> *atMic,
                               const std::function<void()> &established,
                               const std::function<void()> &afterwards)
    {
        auto bobVoice = std::make_shared<client::WavFileSource>(said);
        QSignalSpy incoming(m_bob.get(), &client::SoftphoneClient::incomingCall);
        m_app->dial(QStringLiteral("bob"));
        QPointer<Call> bobCall = waitIncoming(incoming);
        QVERIFY2(bobCall, "bob never saw the call");
        connect(bobCall, &Call::stateChanged, this, [bobCall, bobVoice, bobHears](CallState state) {
            if (state == CallState::Established && bobCall->media()) {
                bobCall->media()->setSource(bobVoice);
                bobCall->media()->setSink(bobHears);
            }
        });
        bobCall->answer();
        QTRY_COMPARE_WITH_TIMEOUT(bobCall->state(), CallState::Established, 10000);
        established();
        test::MonitorRecorder recorder(kMicFeed);
        QTest::qWait(int(said.size() / 48) + 500);
        *atMic = recorder.take();
        afterwards();
        bobCall->hangup();
        QTRY_VERIFY_WITH_TIMEOUT(!m_app->calls()->callWindow(), 15000);
    }

private slots:
    void initTestCase()
    {
        bool running = false;
        pactl({QStringLiteral("info")}, &running);
        QVERIFY2(running, "no PulseAudio server: run this test through tests/desktop-session");
        m_callModule = loadNullSink(kCallSink, QStringLiteral("SoftphoneGuiCall"));
        m_ringModule = loadNullSink(kRingSink, QStringLiteral("SoftphoneGuiRing"));
        QVERIFY2(!m_callModule.isEmpty() && !m_ringModule.isEmpty(), "cannot load null sinks");
        // A microphone of alice's own for the acoustic loop (farEndDoesNotHearItsOwnVoice).
        const QString feedModule = loadNullSink(kMicFeed, QStringLiteral("SoftphoneGuiMicFeed"));
        QVERIFY2(!feedModule.isEmpty(), "cannot load a null sink");
        m_loopModules << feedModule;
        QString why;
        m_loopModules << test::loadMicrophone(kMic, kMicFeed, QStringLiteral("SoftphoneGuiMic"),
                                              &why);
        QVERIFY2(!m_loopModules.last().isEmpty(), qPrintable(why));

        const QString failed = startServerAliceAndBob();
        QVERIFY2(failed.isEmpty(), qPrintable(failed));

        QVERIFY2(choose("outputDevice", kCallSink, storage::Settings::Key::AudioOutput),
                 "the call speaker could not be chosen in Settings");
        QVERIFY2(choose("ringerDevice", kRingSink, storage::Settings::Key::AudioRinger),
                 "the ringer could not be chosen in Settings");
    }

    void callVoiceOnTheChosenSpeakerSurvivesUnplug()
    {
        QSignalSpy incoming(m_bob.get(), &client::SoftphoneClient::incomingCall);
        m_app->dial(QStringLiteral("bob"));
        QPointer<Call> bobCall = waitIncoming(incoming);
        QVERIFY2(bobCall, "bob never saw the call");
        QTRY_VERIFY_WITH_TIMEOUT(m_app->calls()->callWindow(), 10000);
        QPointer<Call> aliceCall = m_app->calls()->callWindow()->call();

        // bob's phone rings: alice hears ringback (425 Hz, the first second on).
        QTRY_COMPARE_WITH_TIMEOUT(aliceCall->state(), CallState::Progressing, 10000);
        QVERIFY(m_app->calls()->sounds()->isRingbackPlaying());
        const auto ringback = recordMonitor(kCallSink, 1500);
        QVERIFY2(dominant(ringback, kFrequencies) == 425, qPrintable(describe(ringback)));

        connect(bobCall, &Call::stateChanged, this, [bobCall](CallState state) {
            if (state == CallState::Established && bobCall->media())
                bobCall->media()->setSource(bobTone());
        });
        bobCall->answer();
        QTRY_COMPARE_WITH_TIMEOUT(aliceCall->state(), CallState::Established, 10000);
        QVERIFY(!m_app->calls()->sounds()->isRingbackPlaying());
        QCOMPARE(m_app->calls()->callOutputInUse(), kCallSink.toUtf8());
        QTest::qWait(500); // past the jitter buffer's start
        const auto voice = recordMonitor(kCallSink, 2000);
        QVERIFY2(dominant(voice, kFrequencies) == kBobTone, qPrintable(describe(voice)));
        // The call window's indicator has a verdict on this clean line, with its figures.
        auto *bars = m_app->calls()->callWindow()->findChild<ui::QualityBars *>(
            QStringLiteral("qualityBars"));
        QVERIFY(bars);
        QTRY_VERIFY_WITH_TIMEOUT(bars->bars() >= 3, 10000);
        QVERIFY2(bars->toolTip().startsWith(QStringLiteral("Lost ")), qPrintable(bars->toolTip()));

        // The speaker is unplugged mid-call: voice moves to the default device
        // and the call goes on.
        bool ok = false;
        pactl({QStringLiteral("unload-module"), m_callModule}, &ok);
        QVERIFY(ok);
        m_callModule.clear();
        QTRY_VERIFY_WITH_TIMEOUT(!m_app->calls()->callOutputInUse().isEmpty() &&
                                     m_app->calls()->callOutputInUse() != kCallSink.toUtf8(),
                                 5000);
        const quint64 playedBefore = aliceCall->quality().framesPlayed;
        QTest::qWait(3000);
        QVERIFY(aliceCall && aliceCall->state() == CallState::Established);
        QVERIFY(bobCall && bobCall->state() == CallState::Established);
        QTRY_VERIFY_WITH_TIMEOUT(aliceCall->quality().framesPlayed > playedBefore + 50, 5000);

        // Plugged in again: the voice comes back to it.
        m_callModule = loadNullSink(kCallSink, QStringLiteral("SoftphoneGuiCall"));
        QVERIFY(!m_callModule.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(m_app->calls()->callOutputInUse(), kCallSink.toUtf8(), 5000);
        QTest::qWait(300);
        const auto back = recordMonitor(kCallSink, 2000);
        QVERIFY2(dominant(back, kFrequencies) == kBobTone, qPrintable(describe(back)));

        // bob hangs up: three short beeps (480 Hz) tell alice the call is over.
        test::MonitorRecorder beeps(kCallSink);
        QTest::qWait(200);
        bobCall->hangup();
        QTRY_COMPARE_WITH_TIMEOUT(aliceCall ? aliceCall->state() : CallState::Ended,
                                  CallState::Ended, 10000);
        const auto ended = beeps.take(2500);
        QVERIFY2(tonePower(ended, 480) > 1e5 && tonePower(ended, 480) > 20 * tonePower(ended, 425),
                 qPrintable(describe(ended)));
        QTRY_VERIFY_WITH_TIMEOUT(!m_app->calls()->sounds()->tonePlayer()->isPlaying(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(!m_app->calls()->callWindow(), 15000);
    }

    void ringtoneOnTheRingerUntilAnsweredOrDeclined()
    {
        // Ringing: the ringtone (440 + 480 Hz) on the ringer device; 3.5 s
        // hold one whole cadence (0.4 on, 0.2 off, 0.4 on, 2 off).
        QPointer<Call> call = m_bob->callUser(QStringLiteral("alice"));
        QTRY_VERIFY_WITH_TIMEOUT(m_app->calls()->incomingWindow(), 10000);
        QVERIFY(m_app->calls()->ringer()->isRinging());
        std::vector<int16_t> ring;
        QVERIFY2(ringtoneHeard(kRingSink, &ring), qPrintable(describe(ring)));

        // Answered: the ringer is silent (the voice is on the other device).
        ui::IncomingCallWindow *window = m_app->calls()->incomingWindow();
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QTest::keyClick(window, Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(call->state(), CallState::Established, 10000);
        QVERIFY(!m_app->calls()->ringer()->isRinging());
        QTest::qWait(200);
        const auto answered = recordMonitor(kRingSink, 1500);
        QVERIFY2(meanEnergy(answered) < 100, qPrintable(describe(answered)));
        call->hangup();
        QTRY_VERIFY_WITH_TIMEOUT(!m_app->calls()->callWindow(), 15000);

        // Declined: rings, then the ringer is silent again.
        call = m_bob->callUser(QStringLiteral("alice"));
        QTRY_VERIFY_WITH_TIMEOUT(m_app->calls()->incomingWindow(), 10000);
        QPointer<ui::IncomingCallWindow> second = m_app->calls()->incomingWindow();
        QVERIFY(QTest::qWaitForWindowExposed(second));
        QVERIFY(m_app->calls()->ringer()->isRinging());
        std::vector<int16_t> ringAgain;
        QVERIFY2(ringtoneHeard(kRingSink, &ringAgain), qPrintable(describe(ringAgain)));
        QTest::keyClick(second, Qt::Key_Escape);
        QTRY_COMPARE_WITH_TIMEOUT(call ? call->state() : CallState::Ended, CallState::Ended, 10000);
        QVERIFY(!m_app->calls()->ringer()->isRinging());
        QTest::qWait(200);
        const auto declined = recordMonitor(kRingSink, 1500);
        QVERIFY2(meanEnergy(declined) < 100, qPrintable(describe(declined)));
    }

    void farEndDoesNotHearItsOwnVoice()
    {
        // alice's own microphone (loaded before the app started: Qt 6.4 does not
        // report sources added later), chosen in Settings, and her speaker looped into it.
        bool ok = false;
        QVERIFY2(choose("inputDevice", kMic, storage::Settings::Key::AudioInput),
                 "the microphone could not be chosen in Settings");
        m_loopModules << pactl(
            {QStringLiteral("load-module"), QStringLiteral("module-loopback"),
             QStringLiteral("source=") + kCallSink + QStringLiteral(".monitor"),
             QStringLiteral("sink=") + kMicFeed, QStringLiteral("latency_msec=40"),
             QStringLiteral("source_dont_move=true"), QStringLiteral("sink_dont_move=true")},
            &ok);
        QVERIFY2(ok, qPrintable(m_loopModules.last()));

        // bob says 10 s of espeak-ng speech (after 0.5 s of silence) and records what he hears.
        std::vector<int16_t> said(24000, 0);
        const auto voice = media::test::echoScenarioSpeech().first;
        QVERIFY2(voice.size() > size_t(10 * 48000), "espeak-ng speech could not be generated");
        said.insert(said.end(), voice.begin(), voice.begin() + 10 * 48000);
        QTemporaryDir dir;
        const QString toneWav = dir.filePath(QStringLiteral("alice-tone.wav"));
        QVERIFY(media::WavFile::write(
            toneWav, media::WavAudio{48000, 1, media::test::sine(kAliceTone, 3 * 48000)}));
        auto bobHears = std::make_shared<test::RecordingSink>();
        std::vector<int16_t> echo;
        bobSaysThroughTheLoop(
            said, bobHears, &echo, [] {},
            [&] {
                // Now alice talks: bob must hear her.
                QProcess::startDetached(QStringLiteral("paplay"),
                                        {QStringLiteral("-d"), kMicFeed, toneWav});
                QTest::qWait(3500);
            });
        if (QTest::currentTestFailed())
            return;

        const auto h = media::test::measureEchoHeard(said, echo, bobHears->samples, 5);
        const size_t toneFrom = std::min(bobHears->samples.size(), said.size() + 24000);
        const std::vector<int16_t> toneHeard(bobHears->samples.begin() + qsizetype(toneFrom),
                                             bobHears->samples.end());
        qInfo("echo at alice's microphone %.1f dB against bob's voice; what he hears of it: "
              "%.1f dB in the first 5 s, %.1f dB after, median second %.1f dB (per second:%s); "
              "alice's tone: %s",
              h.atMicDb, h.firstDb, h.afterDb, h.medianAfterDb, qPrintable(h.perSecond),
              qPrintable(describe(toneHeard)));
        QVERIFY2(h.atMicDb > -10, qPrintable(QString::number(h.atMicDb)));
        // Most seconds at least 20 dB down; all of them together at least 15
        // (a stall under load lets a second through, see EchoHeard).
        QVERIFY2(h.medianAfterDb < -20, qPrintable(h.perSecond));
        QVERIFY2(h.afterDb < -15, qPrintable(h.perSecond));
        QVERIFY2(tonePower(toneHeard, kAliceTone) > 1e5 &&
                     tonePower(toneHeard, kAliceTone) > 20 * tonePower(toneHeard, kBobTone),
                 qPrintable(describe(toneHeard)));
    }

    // Runs after farEndDoesNotHearItsOwnVoice: her microphone and the loop are in place.
    void withProcessingUntickedInACallTheFarEndHearsItself()
    {
        QVERIFY2(!m_loopModules.isEmpty(), "needs the acoustic loop of the test before");
        ui::MainWindow *window = m_app->mainWindow();
        auto *processing = window->findChild<QCheckBox *>(QStringLiteral("audioProcessing"));
        QVERIFY(processing);
        const auto tickAgain = qScopeGuard([processing] {
            if (processing && !processing->isChecked())
                processing->click();
        });
        QVERIFY2(processing->isChecked(), "audio processing is not on by default");

        std::vector<int16_t> said(24000, 0);
        const auto voice = media::test::echoScenarioSpeech().first;
        QVERIFY2(voice.size() > size_t(6 * 48000), "espeak-ng speech could not be generated");
        said.insert(said.end(), voice.begin(), voice.begin() + 6 * 48000);
        auto bobHears = std::make_shared<test::RecordingSink>();
        std::vector<int16_t> echo;
        bool unticked = false;
        // In the call (processing on, as by default), alice opens Settings and unticks it.
        bobSaysThroughTheLoop(
            said, bobHears, &echo,
            [&] {
                window->showTab(ui::MainWindow::Tab::Settings);
                QTest::mouseClick(processing, Qt::LeftButton, {},
                                  QPoint(8, processing->height() / 2));
                unticked = !processing->isChecked() &&
                           !m_app->settings()->flag(storage::Settings::Key::AudioProcessing);
                window->showTab(ui::MainWindow::Tab::Dialer);
            },
            [] {});
        if (QTest::currentTestFailed())
            return;
        QVERIFY2(unticked, "unticking did not reach the settings");

        const auto h = media::test::measureEchoHeard(said, echo, bobHears->samples, 2);
        qInfo("processing turned off in the call: echo at alice's microphone %.1f dB against "
              "bob's voice; what he hears of it from 2 s on: %.1f dB, median second %.1f dB (per "
              "second:%s)",
              h.atMicDb, h.afterDb, h.medianAfterDb, qPrintable(h.perSecond));
        QVERIFY2(h.atMicDb > -10, qPrintable(QString::number(h.atMicDb)));
        // Nothing takes it out: he hears himself back about as loud as her microphone does.
        QVERIFY2(h.medianAfterDb > -10, qPrintable(h.perSecond));
        processing->click();
        QVERIFY(m_app->settings()->flag(storage::Settings::Key::AudioProcessing));
    }

    void cleanupTestCase()
    {
        closeAliceAndBob();
        for (auto module = m_loopModules.crbegin(); module != m_loopModules.crend(); ++module)
            pactl({QStringLiteral("unload-module"), *module});
        if (!m_callModule.isEmpty())
            pactl({QStringLiteral("unload-module"), m_callModule});
        if (!m_ringModule.isEmpty())
            pactl({QStringLiteral("unload-module"), m_ringModule});
    }
};

SOFTPHONE_GUI_TEST_MAIN(TestGuiAudio)

#include "tst_gui_audio.moc"
