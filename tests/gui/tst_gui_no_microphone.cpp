// No microphone at all, as on a desktop without one plugged in: the test's own
// PulseAudio server (test::PrivatePulseAudio) has a speaker and no source but
// a monitor. alice runs the real window against a real softphone-server; bob
// is an in-process client.
//   - Settings says so: the microphone list reads "No microphone found", the
//     warning says calls still work but are not heard, the level bar says
//     "No microphone", and "Test call" is off with the reason beside it;
//   - alice can still call bob and answer him: the call is established and its
//     window carries the same warning.
#include "AliceAndBobTest.h"
#include "softphone/CallCoordinator.h"
#include "support/PulseAudioSupport.h"
#include "ui/CallWindow.h"
#include "ui/IncomingCallWindow.h"
#include "ui/MainWindow.h"

#include <QComboBox>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace softphone;
using client::Call;
using client::CallState;

namespace {
const QString kSpeaker = QStringLiteral("softphone_nomic_speaker");

bool warnsNoMicrophone(const QLabel *warning)
{
    return warning && warning->isVisible() &&
           warning->text().startsWith(QStringLiteral("No microphone is connected")) &&
           warning->accessibleDescription() == warning->text();
}
} // namespace

class TestGuiNoMicrophone : public test::AliceAndBobTest
{
    Q_OBJECT

private:
    // The established call's window warns; true once it did. bob hangs up.
    void talkAndHangUp(Call *bobCall)
    {
        QTRY_VERIFY_WITH_TIMEOUT(m_app->calls()->callWindow(), 10000);
        QPointer<ui::CallWindow> callWindow = m_app->calls()->callWindow();
        QTRY_COMPARE_WITH_TIMEOUT(callWindow->call()->state(), CallState::Established, 10000);
        auto *warning = callWindow->findChild<QLabel *>(QStringLiteral("deviceWarning"));
        QVERIFY2(warnsNoMicrophone(warning), qPrintable(warning ? warning->text() : QString()));
        bobCall->hangup();
        QTRY_VERIFY_WITH_TIMEOUT(!m_app->calls()->callWindow(), 15000);
    }

private slots:
    void initTestCase()
    {
        const QString failed = startServerAliceAndBob();
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
    }

    void settingsSayWhy()
    {
        window()->showTab(ui::MainWindow::Tab::Settings);
        auto *input = find<QComboBox>("inputDevice");
        QVERIFY(input);
        QCOMPARE(input->count(), 1);
        QCOMPARE(input->currentText(), QStringLiteral("No microphone found"));
        auto *warning = find<QLabel>("deviceWarning");
        QVERIFY2(warnsNoMicrophone(warning), qPrintable(warning ? warning->text() : QString()));
        QVERIFY(warning->text().contains(QStringLiteral("calls can still be made and answered")));
        auto *level = find<QProgressBar>("microphoneLevel");
        QVERIFY(level && level->isVisible() && !level->isEnabled());
        QCOMPARE(level->text(), QStringLiteral("No microphone"));
        auto *testCall = find<QPushButton>("testCallButton");
        auto *status = find<QLabel>("testCallStatus");
        QVERIFY(testCall && !testCall->isEnabled());
        QVERIFY(status && status->isVisible());
        QVERIFY2(status->text().startsWith(QStringLiteral("A test call needs a microphone")),
                 qPrintable(status->text()));
        const QString shot = test::screenshot(window(), QStringLiteral("settings-no-microphone"));
        QVERIFY2(shot.isEmpty(), qPrintable(shot));
    }

    void callsStillGoOutAndComeIn()
    {
        // alice calls bob.
        window()->showTab(ui::MainWindow::Tab::Dialer);
        QSignalSpy incoming(m_bob.get(), &client::SoftphoneClient::incomingCall);
        m_app->dial(QStringLiteral("bob"));
        QVERIFY(incoming.count() > 0 || incoming.wait(10000));
        Call *bobCall = incoming.takeFirst().at(0).value<Call *>();
        bobCall->answer();
        talkAndHangUp(bobCall);
        if (QTest::currentTestFailed())
            return;

        // bob calls alice; she answers from the incoming window with Enter.
        Call *call = m_bob->callUser(QStringLiteral("alice"));
        QTRY_VERIFY_WITH_TIMEOUT(m_app->calls()->incomingWindow(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(call->state(), CallState::Progressing, 10000);
        QTest::keyClick(m_app->calls()->incomingWindow(), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(call->state(), CallState::Established, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(m_app->calls()->callWindow(), 10000);
        const QString shot =
            test::screenshot(m_app->calls()->callWindow(), QStringLiteral("call-no-microphone"));
        QVERIFY2(shot.isEmpty(), qPrintable(shot));
        talkAndHangUp(call);
    }

    void cleanupTestCase() { closeAliceAndBob(); }
};

int main(int argc, char **argv)
{
    // Before QApplication: Qt Multimedia connects to this server only.
    softphone::test::PrivatePulseAudio pulse(kSpeaker);
    QString why;
    if (!pulse.start(&why)) {
        qCritical("%s", qPrintable(why));
        return 1;
    }
    return softphone::test::runGuiTest<TestGuiNoMicrophone>(argc, argv);
}

#include "tst_gui_no_microphone.moc"
