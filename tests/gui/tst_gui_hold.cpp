// Hold and call waiting on the real windows against a real softphone-server:
// alice (the app) talks to bob; carol calls; the incoming window says "Call
// waiting" with Hold and answer / End and answer / Decline, the waiting tone
// plays in the call instead of the ringer; Hold and answer puts bob on hold
// (both sides show "On hold") and alice talks to carol; Resume on bob's
// window switches back (carol goes on hold). End and answer ends the first
// call. bob's side is shown in a CallWindow of his own client's call. Dialling
// while in a call holds it; "Transfer bob to carol" connects the two parties.
#include "AliceAndBobTest.h"
#include "GuiTestSupport.h"
#include "softphone/CallCoordinator.h"
#include "softphone/SoftphoneApp.h"
#include "ui/CallWindow.h"
#include "ui/IncomingCallWindow.h"
#include "ui/MainWindow.h"

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace softphone;
using client::Call;
using client::CallState;

class TestGuiHold : public test::AliceAndBobTest
{
    Q_OBJECT

private:
    std::unique_ptr<client::SoftphoneClient> m_carol;

    app::CallCoordinator *calls() const { return m_app->calls(); }
    static QString holdText(QWidget *window)
    {
        auto *label = window->findChild<QLabel *>(QStringLiteral("holdStatus"));
        return label && label->isVisible() ? label->text() : QString();
    }
    static QPushButton *button(QWidget *window, const char *name)
    {
        return window->findChild<QPushButton *>(QLatin1StringView(name));
    }
    // The app's established call with `remote`, or null.
    Call *appCallWith(const QString &remote) const
    {
        for (Call *call : m_app->client()->activeCalls())
            if (call->remoteUserId() == remote && call->state() == CallState::Established)
                return call;
        return nullptr;
    }
    // `caller` calls alice; the app's incoming window for it, once shown.
    ui::IncomingCallWindow *ring(client::SoftphoneClient &caller, QPointer<Call> *out)
    {
        QSignalSpy shown(calls(), &app::CallCoordinator::incomingWindowShown);
        *out = caller.callUser(QStringLiteral("alice"));
        if (!shown.wait(15000))
            return nullptr;
        auto *window = shown.first().first().value<ui::IncomingCallWindow *>();
        return QTest::qWaitForWindowExposed(window) ? window : nullptr;
    }
    // bob calls, alice answers in the incoming window: the app's call window.
    ui::CallWindow *talkToBob(QPointer<Call> *bobCall)
    {
        QSignalSpy opened(calls(), &app::CallCoordinator::callWindowOpened);
        ui::IncomingCallWindow *incoming = ring(*m_bob, bobCall);
        if (!incoming || incoming->isCallWaiting())
            return nullptr;
        incoming->answer();
        if (!QTest::qWaitFor([&] { return *bobCall && (*bobCall)->media(); }, 15000) ||
            opened.isEmpty())
            return nullptr;
        return opened.first().first().value<ui::CallWindow *>();
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        for (const char *user : {"alice", "bob", "carol"})
            QVERIFY(m_server.addUser(QLatin1StringView(user),
                                     QLatin1StringView(user) + QStringLiteral("-pw-1")));
        const QString started = test::startSignedIn(m_server, QStringLiteral("alice"), &m_app);
        QVERIFY2(started.isEmpty(), qPrintable(started));
        for (auto [user, client] : {std::pair{"bob", &m_bob}, std::pair{"carol", &m_carol}}) {
            const QString name = QLatin1StringView(user);
            *client =
                test::startedClient(m_server.callingUrl(), name, name + QStringLiteral("-desk"),
                                    m_server.login(name, name + QStringLiteral("-pw-1")));
            QVERIFY(*client);
        }
    }

    void holdAndAnswerThenSwitchBack()
    {
        QPointer<Call> bobCall;
        QPointer<ui::CallWindow> bobWindowAtAlice = talkToBob(&bobCall);
        QVERIFY(bobWindowAtAlice);
        QVERIFY(!calls()->ringer()->isRinging());
        // bob's own window of the call (as his softphone would show it).
        // (closed with the app's windows at the end: it deletes itself on close).
        QPointer<ui::CallWindow> bobsView = new ui::CallWindow(bobCall);
        bobsView->show();
        QVERIFY(holdText(bobsView).isEmpty());
        QTRY_VERIFY(button(bobWindowAtAlice, "holdButton")->isEnabled());

        // carol calls: call waiting, no ring, the waiting tone in bob's call.
        QPointer<Call> carolCall;
        QPointer<ui::IncomingCallWindow> waiting = ring(*m_carol, &carolCall);
        QVERIFY(waiting);
        QVERIFY(waiting->isCallWaiting());
        QCOMPARE(waiting->statusText(), QStringLiteral("Call waiting"));
        QCOMPARE(button(waiting, "answerButton")->text(), QStringLiteral("&Hold and answer"));
        QVERIFY(button(waiting, "endAnswerButton")->isVisible());
        QVERIFY(button(waiting, "declineButton")->isVisible());
        QVERIFY(!calls()->ringer()->isRinging());
        Call *aliceWithBob = appCallWith(QStringLiteral("bob"));
        QVERIFY(aliceWithBob && aliceWithBob->media());
        QVERIFY(aliceWithBob->media()->isWaitingToneOn());
        QVERIFY(test::screenshot(waiting, QStringLiteral("call-waiting")).isEmpty());

        // Hold and answer: bob is on hold on both sides, alice talks to carol.
        QSignalSpy opened(calls(), &app::CallCoordinator::callWindowOpened);
        button(waiting, "answerButton")->click();
        QTRY_VERIFY_WITH_TIMEOUT(bobCall->isHeldByRemote(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(carolCall->state() == CallState::Established, 10000);
        QVERIFY(!carolCall->isOnHold());
        QTRY_COMPARE(holdText(bobWindowAtAlice), QStringLiteral("On hold"));
        QTRY_COMPARE(holdText(bobsView), QStringLiteral("On hold by alice"));
        QCOMPARE(button(bobWindowAtAlice, "holdButton")->text(), QStringLiteral("Res&ume"));
        QVERIFY(!aliceWithBob->media()->isWaitingToneOn());
        QTRY_VERIFY(!opened.isEmpty());
        QPointer<ui::CallWindow> carolWindowAtAlice =
            opened.first().first().value<ui::CallWindow *>();
        QVERIFY(holdText(carolWindowAtAlice).isEmpty());
        QVERIFY(test::screenshot(bobWindowAtAlice, QStringLiteral("on-hold")).isEmpty());
        QVERIFY(test::screenshot(bobsView, QStringLiteral("held-by-other")).isEmpty());

        // Switch back: Resume on bob's window; carol goes on hold.
        button(bobWindowAtAlice, "holdButton")->click();
        QTRY_VERIFY_WITH_TIMEOUT(carolCall->isHeldByRemote(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!bobCall->isOnHold(), 10000);
        QTRY_VERIFY(holdText(bobWindowAtAlice).isEmpty());
        QTRY_VERIFY(holdText(bobsView).isEmpty());
        QTRY_COMPARE(holdText(carolWindowAtAlice), QStringLiteral("On hold"));
        // bob hears alice again: her frames reach him after the resume.
        bobCall->media()->refreshQuality();
        const quint64 before = bobCall->media()->quality().framesReceived;
        QTRY_VERIFY_WITH_TIMEOUT((bobCall->media()->refreshQuality(),
                                  bobCall->media()->quality().framesReceived > before + 25),
                                 15000);

        bobCall->hangup();
        carolCall->hangup();
        QTRY_VERIFY_WITH_TIMEOUT(!m_app->client()->activeCalls().size(), 10000);
    }

    void endAndAnswerEndsTheFirstCall()
    {
        QPointer<Call> bobCall;
        QVERIFY(talkToBob(&bobCall));
        QPointer<Call> carolCall;
        QPointer<ui::IncomingCallWindow> waiting = ring(*m_carol, &carolCall);
        QVERIFY(waiting && waiting->isCallWaiting());
        button(waiting, "endAnswerButton")->click();
        QTRY_COMPARE_WITH_TIMEOUT(bobCall->state(), CallState::Ended, 10000);
        QCOMPARE(bobCall->details().endCause, client::EndCause::HungUp);
        QTRY_COMPARE_WITH_TIMEOUT(carolCall->state(), CallState::Established, 10000);
        QVERIFY(!carolCall->isOnHold());
        carolCall->hangup();
        QTRY_VERIFY_WITH_TIMEOUT(m_app->client()->activeCalls().isEmpty(), 10000);
    }

    void declineWhileInACallKeepsTheCall()
    {
        QPointer<Call> bobCall;
        QVERIFY(talkToBob(&bobCall));
        QPointer<Call> carolCall;
        QPointer<ui::IncomingCallWindow> waiting = ring(*m_carol, &carolCall);
        QVERIFY(waiting && waiting->isCallWaiting());
        button(waiting, "declineButton")->click();
        QTRY_COMPARE_WITH_TIMEOUT(carolCall->state(), CallState::Ended, 10000);
        QCOMPARE(carolCall->details().endCause, client::EndCause::Denied);
        QCOMPARE(bobCall->state(), CallState::Established);
        QVERIFY(!bobCall->isOnHold());
        Call *aliceWithBob = appCallWith(QStringLiteral("bob"));
        QVERIFY(aliceWithBob);
        QTRY_VERIFY(!aliceWithBob->media()->isWaitingToneOn());
        bobCall->hangup();
        QTRY_VERIFY_WITH_TIMEOUT(m_app->client()->activeCalls().isEmpty(), 10000);
    }

    void blindTransferBothWays()
    {
        // alice transfers bob to carol from her call window: bob is asked.
        QPointer<Call> bobCall;
        QPointer<ui::CallWindow> window = talkToBob(&bobCall);
        QVERIFY(window);
        QSignalSpy asked(bobCall.data(), &Call::transferRequested);
        auto *target = window->findChild<QLineEdit *>(QStringLiteral("transferTarget"));
        QTRY_VERIFY(target->isEnabled());
        QTest::keyClicks(target, QStringLiteral("carol"));
        button(window, "transferButton")->click();
        QVERIFY(asked.wait(10000));
        QCOMPARE(asked.first().at(0).toString(), QStringLiteral("carol"));

        // bob transfers alice to carol: the app follows with a new call window.
        QSignalSpy carolRings(m_carol.get(), &client::SoftphoneClient::incomingCall);
        QSignalSpy opened(calls(), &app::CallCoordinator::callWindowOpened);
        bobCall->transfer(QStringLiteral("carol"));
        QTRY_COMPARE_WITH_TIMEOUT(carolRings.size(), 1, 10000);
        Call *atCarol = carolRings.first().first().value<Call *>();
        QCOMPARE(atCarol->remoteUserId(), QStringLiteral("alice"));
        QCOMPARE(atCarol->headers().value(QStringLiteral("referred-by")), QStringLiteral("bob"));
        QTRY_COMPARE_WITH_TIMEOUT(bobCall->state(), CallState::Ended, 10000);
        QTRY_VERIFY(!opened.isEmpty());
        auto *toCarol = opened.first().first().value<ui::CallWindow *>();
        QCOMPARE(toCarol->call()->remoteUserId(), QStringLiteral("carol"));
        atCarol->answer();
        QTRY_COMPARE_WITH_TIMEOUT(toCarol->call()->state(), CallState::Established, 10000);
        atCarol->hangup();
        QTRY_VERIFY_WITH_TIMEOUT(m_app->client()->activeCalls().isEmpty(), 10000);
    }

    void dialWhileInACallThenConnectTheTwo()
    {
        // In a call with bob, alice dials carol from the dialer: bob goes on
        // hold and carol rings. Switching works both ways; then "Transfer bob
        // to carol" connects them and alice's two calls end.
        QPointer<Call> bobCall;
        QPointer<ui::CallWindow> bobWindow = talkToBob(&bobCall);
        QVERIFY(bobWindow);
        QTRY_VERIFY(button(bobWindow, "holdButton")->isEnabled());
        QSignalSpy carolRings(m_carol.get(), &client::SoftphoneClient::incomingCall);
        QSignalSpy opened(calls(), &app::CallCoordinator::callWindowOpened);
        ui::MainWindow *main = m_app->mainWindow();
        main->showTab(ui::MainWindow::Tab::Dialer);
        auto *target = main->findChild<QLineEdit *>(QStringLiteral("dialTarget"));
        QVERIFY(target);
        target->clear();
        target->setFocus();
        QTest::keyClicks(target, QStringLiteral("carol"));
        QTest::keyClick(target, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(bobCall->isHeldByRemote(), 10000);
        QTRY_COMPARE(holdText(bobWindow), QStringLiteral("On hold"));
        QTRY_COMPARE_WITH_TIMEOUT(carolRings.size(), 1, 10000);
        QPointer<Call> atCarol = carolRings.first().first().value<Call *>();
        QCOMPARE(atCarol->remoteUserId(), QStringLiteral("alice"));
        QTRY_VERIFY(!opened.isEmpty());
        QPointer<ui::CallWindow> carolWindow = opened.first().first().value<ui::CallWindow *>();
        QCOMPARE(carolWindow->call()->remoteUserId(), QStringLiteral("carol"));
        // A third call while carol still rings is refused (nothing is held).
        QVERIFY(!calls()->placeCall(QStringLiteral("bob")));
        atCarol->answer();
        QTRY_COMPARE_WITH_TIMEOUT(atCarol->state(), CallState::Established, 10000);
        QVERIFY(!atCarol->isOnHold());
        QVERIFY(bobWindow->isVisible());

        // Switching: bob back (carol held), then carol again (bob held).
        button(bobWindow, "holdButton")->click();
        QTRY_VERIFY_WITH_TIMEOUT(atCarol->isHeldByRemote() && !bobCall->isOnHold(), 10000);
        auto *connect = button(carolWindow, "attendedTransferButton");
        QVERIFY(connect);
        QTRY_VERIFY(button(bobWindow, "attendedTransferButton")->isVisible());
        QCOMPARE(button(bobWindow, "attendedTransferButton")->text(),
                 QStringLiteral("Transfer carol to bob"));
        QVERIFY(!connect->isVisible());
        button(carolWindow, "holdButton")->click();
        QTRY_VERIFY_WITH_TIMEOUT(bobCall->isHeldByRemote() && !atCarol->isOnHold(), 10000);

        // Attended transfer from carol's window: bob's client follows.
        QTRY_VERIFY(connect->isVisible());
        QCOMPARE(connect->text(), QStringLiteral("Transfer bob to carol"));
        QVERIFY(!button(bobWindow, "attendedTransferButton")->isVisible());
        QVERIFY(test::screenshot(carolWindow, QStringLiteral("attended-transfer")).isEmpty());
        QSignalSpy asked(bobCall.data(), &Call::transferRequested);
        connect->click();
        QVERIFY(asked.wait(10000));
        QCOMPARE(asked.first().at(2).toString(), carolWindow->call()->id());
        QPointer<Call> bobToCarol =
            m_bob->followTransfer(bobCall, asked.first().at(0).toString(),
                                  asked.first().at(1).toString(), asked.first().at(2).toString());
        QTRY_COMPARE_WITH_TIMEOUT(bobToCarol->state(), CallState::Established, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(bobWindow->transferStatusText(),
                                  QStringLiteral("bob is now talking with carol"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(m_app->client()->activeCalls().isEmpty(), 10000);
        QCOMPARE(bobCall->state(), CallState::Ended);
        QCOMPARE(atCarol->state(), CallState::Ended);
        bobToCarol->hangup();
        QTRY_COMPARE_WITH_TIMEOUT(bobToCarol->state(), CallState::Ended, 10000);
    }

    void cleanupTestCase()
    {
        // Call windows still showing their end cause close now, not after the test.
        for (QWidget *window : QApplication::topLevelWidgets()) {
            if (qobject_cast<ui::CallWindow *>(window) ||
                qobject_cast<ui::IncomingCallWindow *>(window))
                window->close();
        }
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        m_bob.reset();
        m_carol.reset();
        m_app.reset();
    }
};

SOFTPHONE_GUI_TEST_MAIN(TestGuiHold)

#include "tst_gui_hold.moc"
