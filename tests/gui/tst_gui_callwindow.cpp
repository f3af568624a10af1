// What the call window shows and sends during a call, with alice in the real
// window against a real softphone-server, and her speaker a PulseAudio null
// sink of this test:
//   - keypad digits pressed in the window (and typed while it is open) arrive
//     at a softphone-cli callee, in order, as RFC 4733 telephone events;
//   - the quality bars drop within seconds when packets start being lost
//     after a clean stretch (the call goes peer to peer over this machine's
//     loopback; nftables drops a third of its RTP packets, test::RtpLoss: as
//     root), with the loss in their tooltip, and come back when the loss stops;
//   - the digits bob presses show in alice's window;
//   - the chosen speaker unplugged during the call: a warning in the call
//     window, gone once it is back.
#include "AliceAndBobTest.h"
#include "GuiTestSupport.h"
#include "client/WavFileSource.h"
#include "media/ToneGenerator.h"
#include "softphone/CallCoordinator.h"
#include "softphone/SoftphoneApp.h"
#include "storage/Settings.h"
#include "support/CliProcess.h"
#include "support/PulseAudioSupport.h"
#include "support/RtpLoss.h"
#include "ui/CallWindow.h"
#include "ui/MainWindow.h"
#include "ui/QualityBars.h"

#include <QElapsedTimer>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace softphone;
using client::Call;
using client::CallState;
using storage::Settings;

namespace {
const QString kSpeaker = QStringLiteral("softphone_cw_speaker");
} // namespace

class TestGuiCallWindow : public test::AliceAndBobTest
{
    Q_OBJECT

private:
    QString m_speakerModule;

    // alice calls bob, bob answers with a steady tone (frames all along, no
    // DTX); the window of the established call.
    ui::CallWindow *callBob(QPointer<Call> *bobCall)
    {
        QSignalSpy incoming(m_bob.get(), &client::SoftphoneClient::incomingCall);
        m_app->dial(QStringLiteral("bob"));
        if (!incoming.wait(10000))
            return nullptr;
        *bobCall = incoming.takeFirst().at(0).value<Call *>();
        connect(*bobCall, &Call::stateChanged, this, [call = *bobCall](CallState state) {
            if (state == CallState::Established && call && call->media())
                call->media()->setSource(std::make_shared<client::WavFileSource>(
                    media::ToneGenerator({{120000, 440}}, false, -12).renderOnce()));
        });
        (*bobCall)->answer();
        if (!QTest::qWaitFor([this] { return m_app->calls()->callWindow() != nullptr; }, 5000))
            return nullptr;
        ui::CallWindow *window = m_app->calls()->callWindow();
        QPointer<Call> aliceCall = window->call();
        if (!QTest::qWaitFor(
                [&] { return aliceCall && aliceCall->state() == CallState::Established; }, 10000))
            return nullptr;
        return window;
    }
    void hangUp(const QPointer<Call> &bobCall)
    {
        if (bobCall)
            bobCall->hangup();
        QTRY_VERIFY_WITH_TIMEOUT(!m_app->calls()->callWindow(), 15000);
    }

private slots:
    void initTestCase()
    {
        bool running = false;
        test::pactl({QStringLiteral("info")}, &running);
        QVERIFY2(running, "no PulseAudio server: run this test through tests/desktop-session");
        m_speakerModule =
            test::loadNullSink(kSpeaker, QStringLiteral("SoftphoneCallWindowSpeaker"));
        QVERIFY2(!m_speakerModule.isEmpty(), "cannot load a null sink");
        const QString failed = startServerAliceAndBob();
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        QVERIFY(m_server.addUser(QStringLiteral("carol"), QStringLiteral("carol-pw-1")));
        QVERIFY(test::chooseDevice(*m_app, "outputDevice", kSpeaker, Settings::Key::AudioOutput));
    }

    void keypadDigitsReachTheCallee()
    {
        test::CliProcess carol(m_server.appServerUrl(), QStringLiteral("carol"),
                               QStringLiteral("carol-pw-1"),
                               {QStringLiteral("answer"), QStringLiteral("--no-audio")});
        QVERIFY2(carol.waitForEvent(QStringLiteral("waiting")), qPrintable(carol.transcript()));
        m_app->dial(QStringLiteral("carol"));
        QTRY_VERIFY_WITH_TIMEOUT(m_app->calls()->callWindow(), 5000);
        QPointer<ui::CallWindow> window = m_app->calls()->callWindow();
        QPointer<Call> call = window->call();
        QTRY_COMPARE_WITH_TIMEOUT(call ? call->state() : CallState::Ended, CallState::Established,
                                  15000);
        QVERIFY(QTest::qWaitForWindowExposed(window));
        // The voice's path is up (DTLS done) before the first key.
        QTRY_VERIFY_WITH_TIMEOUT(call && call->media() && call->media()->framesSent() > 10, 10000);

        auto *keypadButton = window->findChild<QPushButton *>(QStringLiteral("keypadButton"));
        QVERIFY(keypadButton);
        QTest::mouseClick(keypadButton, Qt::LeftButton);
        const QString pressed = QStringLiteral("123#*0");
        for (const QChar key : pressed) {
            auto *button = window->findChild<QPushButton *>(QStringLiteral("key_") + key);
            QVERIFY2(button && button->isVisible(), qPrintable(QString(key)));
            QTest::mouseClick(button, Qt::LeftButton);
        }
        // Typed while the keypad is open: the same as its key.
        QTest::keyClick(window, Qt::Key_9);
        const QString all = pressed + QLatin1Char('9');
        auto *shown = window->findChild<QLabel *>(QStringLiteral("digitsSent"));
        QVERIFY(shown && shown->isVisible());
        QCOMPARE(shown->text(), all);
        const QString shot = test::screenshot(window, QStringLiteral("keypad"));
        QVERIFY2(shot.isEmpty(), qPrintable(shot));

        QTRY_VERIFY2_WITH_TIMEOUT(carol.events(QStringLiteral("dtmf")).size() >= all.size(),
                                  qPrintable(carol.transcript()), 15000);
        QString heard;
        for (const QJsonObject &event : carol.events(QStringLiteral("dtmf")))
            heard += event.value(u"digit").toString();
        QCOMPARE(heard, all);
        call->hangup();
        QVERIFY2(carol.finished(20000), qPrintable(carol.transcript()));
        QTRY_VERIFY_WITH_TIMEOUT(!m_app->calls()->callWindow(), 15000);
    }

    // What a user notices: after a clean stretch, the bars fall within a few
    // seconds of the line turning bad, and come back once it is clean again
    // (figures since the call began would stay low for minutes). The loss is
    // real: the call's RTP packets dropped on their way (test::RtpLoss).
    void qualityBarsFollowTheLine()
    {
        QString why;
        if (!test::RtpLoss::available(&why))
            QSKIP(qPrintable(why));
        QPointer<Call> bobCall;
        QPointer<ui::CallWindow> window = callBob(&bobCall);
        QVERIFY(window && bobCall);
        auto *bars = window->findChild<ui::QualityBars *>(QStringLiteral("qualityBars"));
        QVERIFY(bars);
        // A clean line first: all four bars, then ten seconds more of it.
        QTRY_COMPARE_WITH_TIMEOUT(bars->bars(), 4, 30000);
        QTest::qWait(10000);
        QVERIFY2(bars->bars() >= 3, qPrintable(bars->toolTip()));
        qInfo() << "clean:" << bars->toolTip();
        // The voice goes peer to peer between this process's own UDP sockets
        // (alice's and bob's): the packets the loss can reach.
        QPointer<Call> aliceCall = window->call();
        QVERIFY(aliceCall);
        QCOMPARE(aliceCall->mediaPath(), QStringLiteral("p2p"));
        // Then a third of the voice's packets are lost on their way (both
        // ways): at most one bar (more than 8 % lost) within seconds.
        test::RtpLoss loss;
        const QList<quint16> ports = test::ownUdpPorts();
        QVERIFY2(loss.start(ports, 35, &why), qPrintable(why));
        QElapsedTimer lossy;
        lossy.start();
        QTRY_VERIFY2_WITH_TIMEOUT(bars->bars() <= 1, qPrintable(bars->toolTip()), 8000);
        qInfo() << "lossy after" << lossy.elapsed() << "ms:" << bars->toolTip() << "("
                << loss.dropped() << "RTP packets dropped between ports" << ports << ")";
        QVERIFY2(bars->toolTip().startsWith(QStringLiteral("Lost ")), qPrintable(bars->toolTip()));
        QVERIFY2(bars->accessibleDescription().contains(QStringLiteral(" of 4 bars")),
                 qPrintable(bars->accessibleDescription()));
        // Since the call began far less was lost than the bars say now.
        QVERIFY(aliceCall);
        const media::CallQuality lossyQuality = aliceCall->quality();
        QVERIFY2(lossyQuality.lossPercent > lossyQuality.totalLossPercent,
                 qPrintable(bars->toolTip()));
        QCOMPARE(aliceCall->mediaPath(), QStringLiteral("p2p"));
        const QString shot = test::screenshot(window, QStringLiteral("call-lossy"));
        QVERIFY2(shot.isEmpty(), qPrintable(shot));
        // The loss stops: the bars come back.
        QVERIFY(loss.dropped() > 0);
        loss.stop();
        QElapsedTimer clean;
        clean.start();
        QTRY_COMPARE_WITH_TIMEOUT(bars->bars(), 4, 15000);
        QVERIFY(aliceCall);
        qInfo() << "clean again after" << clean.elapsed() << "ms:" << bars->toolTip()
                << "since the call began:" << aliceCall->quality().totalLossPercent << "%";
        hangUp(bobCall);
    }

    // Digits the other side presses show in the window, in order, as they
    // arrive (Call::digitReceived, what softphone-cli prints). Sent here as
    // telephone events, as our softphones send them: in-band tones come out of
    // the same signal (media::DtmfDetector; tst_dtmf, and tst_cli_hold through
    // the echo), but on a loaded machine the stalls of the two in-process
    // media sessions mangle 100 ms tones often enough to make a flaky test.
    void digitsTheOtherSidePressesAreShown()
    {
        QPointer<Call> bobCall;
        QPointer<ui::CallWindow> window = callBob(&bobCall);
        QVERIFY(window && bobCall);
        auto *received = window->findChild<QLabel *>(QStringLiteral("digitsReceived"));
        QVERIFY(received && !received->isVisible());
        // alice hears bob (a second or two of his voice came) before his first key.
        QTRY_VERIFY_WITH_TIMEOUT(window->call() && window->call()->quality().framesReceived > 100,
                                 15000);
        QVERIFY(bobCall->media());
        bobCall->media()->setTelephoneEvents(true);
        for (const QChar digit : QStringLiteral("47#"))
            QVERIFY(bobCall->sendDigit(digit));
        QTRY_COMPARE_WITH_TIMEOUT(received->text(), QStringLiteral("Received: 47#"), 10000);
        QVERIFY(received->isVisible());
        QCOMPARE(received->accessibleDescription(), received->text());
        // The keypad's own digits are apart from them.
        auto *sent = window->findChild<QLabel *>(QStringLiteral("digitsSent"));
        QVERIFY(sent && sent->text().isEmpty());
        QVERIFY(bobCall->sendDigit(QLatin1Char('1')));
        QTRY_COMPARE_WITH_TIMEOUT(received->text(), QStringLiteral("Received: 47#1"), 10000);
        const QString shot = test::screenshot(window, QStringLiteral("call-digits-received"));
        QVERIFY2(shot.isEmpty(), qPrintable(shot));
        hangUp(bobCall);
    }

    void missingSpeakerIsWarnedAboutDuringTheCall()
    {
        QPointer<Call> bobCall;
        QPointer<ui::CallWindow> window = callBob(&bobCall);
        QVERIFY(window && bobCall);
        auto *warning = window->findChild<QLabel *>(QStringLiteral("deviceWarning"));
        QVERIFY(warning && !warning->isVisible());
        bool ok = false;
        test::pactl({QStringLiteral("unload-module"), m_speakerModule}, &ok);
        QVERIFY(ok);
        m_speakerModule.clear();
        QTRY_VERIFY_WITH_TIMEOUT(warning->isVisible(), 5000);
        QVERIFY2(warning->text().contains(QStringLiteral("speaker")) &&
                     warning->text().contains(kSpeaker),
                 qPrintable(warning->text()));
        QCOMPARE(warning->accessibleDescription(), warning->text());
        const QString shot = test::screenshot(window, QStringLiteral("call-device-missing"));
        QVERIFY2(shot.isEmpty(), qPrintable(shot));
        // The call goes on; the speaker back: the warning goes.
        QCOMPARE(window->call()->state(), CallState::Established);
        m_speakerModule =
            test::loadNullSink(kSpeaker, QStringLiteral("SoftphoneCallWindowSpeaker"));
        QVERIFY(!m_speakerModule.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!warning->isVisible(), 5000);
        hangUp(bobCall);
    }

    // A test that failed half way leaves no call behind for the next one.
    void cleanup()
    {
        if (ui::CallWindow *window = m_app->calls()->callWindow(); window && window->call())
            window->call()->hangup();
        QTRY_VERIFY_WITH_TIMEOUT(!m_app->calls()->callWindow(), 15000);
    }

    void cleanupTestCase()
    {
        closeAliceAndBob();
        if (!m_speakerModule.isEmpty())
            test::pactl({QStringLiteral("unload-module"), m_speakerModule});
    }
};

SOFTPHONE_GUI_TEST_MAIN(TestGuiCallWindow)

#include "tst_gui_callwindow.moc"
