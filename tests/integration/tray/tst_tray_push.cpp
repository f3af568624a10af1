// The tray agent's push path as a user meets it, every part real: a
// softphone-server on loopback, the softphone-tray executable signed in as bob,
// the real softphone executable it starts (offscreen), and alice as an
// in-process SoftphoneClient posting her push pairs like the apps do. The
// desktop's notification service is this test process itself, registered as
// org.freedesktop.Notifications on the session bus tests/desktop-session gives:
// it records what is shown and "clicks" actions with the ActionInvoked signal.
// Covered: cold start and ringing, missed calls, Answer/Decline on the
// incoming-call notification, do not disturb (no notification, the badge
// counts the missed call), "push not working" when no softphone takes a push,
// sign-out. tst_tray_panel: dunst and a real panel.
#include "support/TrayTestSupport.h"

using namespace traytest;

class TstTrayPush : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        const QString missing = missingBinaries();
        QVERIFY2(missing.isEmpty(), qPrintable(missing));
        QDBusConnection bus = QDBusConnection::sessionBus();
        QVERIFY2(bus.isConnected(), "no session bus: run under tests/desktop-session");
        QVERIFY(bus.registerObject(QStringLiteral("/org/freedesktop/Notifications"), &m_listener,
                                   QDBusConnection::ExportAllSlots));
        QVERIFY2(bus.registerService(QStringLiteral("org.freedesktop.Notifications")),
                 "org.freedesktop.Notifications is taken on this session bus");
    }

    void cleanupTestCase()
    {
        QDBusConnection::sessionBus().unregisterService(
            QStringLiteral("org.freedesktop.Notifications"));
    }

    // No softphone runs: the push starts one, the call rings there, and the
    // caller's cancel becomes a missed call (history and a notification). The
    // cancel push meets the running softphone over its socket: still one process.
    void pushStartsTheSoftphoneAndItRings()
    {
        BobOnline bob;
        QVERIFY2(bob.start(), qPrintable(bob.problem));
        m_listener.from = bob.tray.process.processId();
        QVERIFY(softphonesOf(bob.tray.home()).isEmpty());

        Caller alice(bob.server, QStringLiteral("alice"));
        QVERIFY(alice.start());
        Call *call = alice.client->callUser(QStringLiteral("bob"));
        QTRY_VERIFY2_WITH_TIMEOUT(call->state() != CallState::Initiating, "bob never rang",
                                  kSlowMs);
        QCOMPARE(call->state(), CallState::Progressing);
        QCOMPARE(softphonesOf(bob.tray.home()).size(), 1);

        m_listener.shown.clear();
        call->hangup();
        QTRY_COMPARE_WITH_TIMEOUT(call->state(), CallState::Ended, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_listener.hasShown(QStringLiteral("Missed call"), QStringLiteral("alice")), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(
            missedCallers(bob.tray.databasePath()).contains(QStringLiteral("alice")), 30000);
        QCOMPARE(softphonesOf(bob.tray.home()).size(), 1);

        // The softphone is up now: the next call rings in that same process.
        Call *again = alice.client->callUser(QStringLiteral("bob"));
        QTRY_VERIFY2_WITH_TIMEOUT(again->state() != CallState::Initiating, "bob never rang",
                                  kSlowMs);
        QCOMPARE(again->state(), CallState::Progressing);
        QCOMPARE(softphonesOf(bob.tray.home()).size(), 1);
        again->hangup();
        QTRY_COMPARE_WITH_TIMEOUT(again->state(), CallState::Ended, 20000);
        QCOMPARE(bob.tray.process.state(), QProcess::Running);
    }

    // `softphone-tray --sign-out` reaches the running agent, which unregisters:
    // bob's device gets no more pushes, so a call to him finds no device.
    void signOutEndsPushes()
    {
        BobOnline bob;
        QVERIFY2(bob.start(), qPrintable(bob.problem));
        m_listener.from = bob.tray.process.processId();

        QByteArray err;
        QVERIFY2(bob.tray.signOut(&err) == 0, err.constData());
        QVERIFY2(bob.tray.waitForState(QStringLiteral("signed_out"), 20000),
                 qPrintable(QJsonDocument(bob.tray.lastState).toJson()));
        QVERIFY(
            bob.tray.lastState.value(QStringLiteral("reason")).toString().contains("Signed out"));

        Caller alice(bob.server, QStringLiteral("alice"));
        QVERIFY(alice.start());
        QSignalSpy pairs(alice.client.get(), &SoftphoneClient::callShouldSendPushNotification);
        Call *call = alice.client->callUser(QStringLiteral("bob"));
        QTRY_COMPARE_WITH_TIMEOUT(call->state(), CallState::Ended, 20000);
        QCOMPARE(call->details().endCause, softphone::client::EndCause::Failure);
        QVERIFY(call->details().error);
        QCOMPARE(call->details().error->code, QStringLiteral("no_device"));
        QCOMPARE(pairs.count(), 0);
        QVERIFY(softphonesOf(bob.tray.home()).isEmpty());
    }

    // The pushed call shows "Incoming call" with Answer and Decline while the
    // softphone the push started is still coming up; Answer there answers it:
    // the caller is connected.
    void notificationAnswerConnectsTheCaller()
    {
        Ringing ringing;
        const QString problem = ring(ringing);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        BobOnline &bob = ringing.bob;
        Call *call = ringing.call;
        const NotificationListener::Shown &shown = ringing.shown;
        const QString answer = QStringLiteral("answer:") + call->id();
        QVERIFY2(shown.actions.contains(answer), qPrintable(shown.actions.join(u',')));
        QVERIFY(shown.actions.contains(QStringLiteral("decline:") + call->id()));
        QVERIFY(shown.actions.contains(QStringLiteral("Answer")));
        m_listener.invoke(shown.id, answer, false);
        QTRY_COMPARE_WITH_TIMEOUT(call->state(), CallState::Established, kSlowMs);
        // The launch that carried the action forwards it and exits (slowly under
        // load: ASan's leak check); the first softphone stays, alone.
        QTRY_COMPARE_WITH_TIMEOUT(softphonesOf(bob.tray.home()).size(), 1, 15000);
        // The service cancels the pushed call once answered: the notification
        // goes, and an answered call is no "Missed call".
        QTRY_VERIFY_WITH_TIMEOUT(m_listener.isClosed(shown.id), 30000);
        QVERIFY(!m_listener.hasShown(QStringLiteral("Missed call"), QStringLiteral("alice")));
        call->hangup();
        QTRY_COMPARE_WITH_TIMEOUT(call->state(), CallState::Ended, 20000);
        QVERIFY2(!missedCallers(bob.tray.databasePath()).contains(QStringLiteral("alice")),
                 qPrintable(missedCalls(bob.tray.databasePath()).join(u',')));
    }

    // Decline on the notification: the caller hears "declined", nothing rings on,
    // and no missed call is announced for it.
    void notificationDeclineDeclines()
    {
        Ringing ringing;
        const QString problem = ring(ringing);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        BobOnline &bob = ringing.bob;
        Call *call = ringing.call;
        const uint shown = ringing.shown.id;
        m_listener.invoke(shown, QStringLiteral("decline:") + call->id(), false);
        QTRY_COMPARE_WITH_TIMEOUT(call->state(), CallState::Ended, kSlowMs);
        QCOMPARE(call->details().endCause, EndCause::Denied);
        // The launch that carried the action forwards it and exits (slowly under
        // load: ASan's leak check); the first softphone stays, alone.
        QTRY_COMPARE_WITH_TIMEOUT(softphonesOf(bob.tray.home()).size(), 1, 15000);
        // The service cancels the declined call's push: the notification goes,
        // and a call bob declined is no "Missed call".
        QTRY_VERIFY_WITH_TIMEOUT(m_listener.isClosed(shown), 30000);
        QVERIFY(!m_listener.hasShown(QStringLiteral("Missed call"), QStringLiteral("alice")));
    }

    // Do not disturb (set in the settings both apps share): the pushed call is
    // declined by the softphone without ringing, the caller hears "declined",
    // nothing pops up, and bob finds a missed call in the history (cause
    // "dnd") and on the tray icon's badge.
    void doNotDisturbTurnsAPushedCallIntoAMissedCall()
    {
        BobOnline bob;
        setDoNotDisturb(bob.home.path(), true);
        QVERIFY2(bob.start(), qPrintable(bob.problem));
        m_listener.from = bob.tray.process.processId();
        QVERIFY(bob.tray.lastState.value(QStringLiteral("doNotDisturb")).toBool());
        QCOMPARE(bob.tray.lastState.value(QStringLiteral("icon")).toString(),
                 QStringLiteral("softphone-tray-dnd"));

        Caller alice(bob.server, QStringLiteral("alice"));
        QVERIFY(alice.start());
        m_listener.shown.clear();
        Call *call = alice.client->callUser(QStringLiteral("bob"));
        QTRY_COMPARE_WITH_TIMEOUT(call->state(), CallState::Ended, kSlowMs);
        QCOMPARE(call->details().endCause, EndCause::Denied);
        QTRY_VERIFY_WITH_TIMEOUT(
            missedCalls(bob.tray.databasePath()).contains(QStringLiteral("alice/dnd")), 30000);
        QVERIFY2(bob.tray.waitForStateWhere(
                     [](const QJsonObject &line) {
                         return line.value(QStringLiteral("missedCalls")).toInt() == 1;
                     },
                     60000),
                 qPrintable(QJsonDocument(bob.tray.lastState).toJson()));
        // Nothing popped up, however long the push path took.
        QTest::qWait(2000);
        QStringList shown;
        for (const NotificationListener::Shown &n : std::as_const(m_listener.shown))
            shown << n.summary;
        QVERIFY2(shown.isEmpty(), qPrintable(shown.join(u',')));
    }

    // A push no softphone takes (its program does not start one): the icon
    // says push is not working, and why.
    void pushNoSoftphoneTakesShowsPushNotWorking()
    {
        BobOnline bob(false, QStringLiteral("/bin/false"));
        QVERIFY2(bob.start(), qPrintable(bob.problem));
        m_listener.from = bob.tray.process.processId();
        Caller alice(bob.server, QStringLiteral("alice"));
        QVERIFY(alice.start());
        Call *call = alice.client->callUser(QStringLiteral("bob"));
        // The agent waits 30 s for a softphone to take the push.
        QVERIFY2(bob.tray.waitForState(QStringLiteral("push_failed"), kSlowMs),
                 qPrintable(QJsonDocument(bob.tray.lastState).toJson()));
        const QJsonObject state = bob.tray.lastState;
        QCOMPARE(state.value(QStringLiteral("icon")).toString(),
                 QStringLiteral("softphone-tray-push-failed"));
        const QString tip = state.value(QStringLiteral("toolTip")).toString();
        QVERIFY2(tip.startsWith(QStringLiteral("Softphone: push not working\n")) &&
                     tip.contains(QStringLiteral("did not take the push in time")),
                 qPrintable(tip));
        call->hangup();
        QTRY_COMPARE_WITH_TIMEOUT(call->state(), CallState::Ended, 20000);
    }

    void signOutWithoutAgentSaysSo()
    {
        QTemporaryDir home;
        Tray idle(home); // never started: only its environment
        QByteArray err;
        QCOMPARE(idle.signOut(&err), 1);
        QVERIFY2(err.contains("no softphone-tray is running"), err.constData());
    }

private:
    // Bob's agent online and alice calling him, until the agent shows
    // "Incoming call" for her call.
    struct Ringing
    {
        BobOnline bob;
        std::unique_ptr<Caller> alice;
        Call *call = nullptr;
        NotificationListener::Shown shown;
    };
    // What went wrong, or "".
    QString ring(Ringing &ringing)
    {
        if (!ringing.bob.start())
            return ringing.bob.problem;
        m_listener.from = ringing.bob.tray.process.processId();
        ringing.alice = std::make_unique<Caller>(ringing.bob.server, QStringLiteral("alice"));
        if (!ringing.alice->start())
            return QStringLiteral("alice did not start");
        m_listener.shown.clear();
        ringing.call = ringing.alice->client->callUser(QStringLiteral("bob"));
        const auto shown = [this] {
            return m_listener.find(QStringLiteral("Incoming call"), QStringLiteral("alice"));
        };
        if (!QTest::qWaitFor([&] { return shown() != nullptr; }, kSlowMs))
            return QStringLiteral("the agent showed no \"Incoming call\" from alice");
        ringing.shown = *shown();
        return {};
    }

    NotificationListener m_listener;
};

QTEST_GUILESS_MAIN(TstTrayPush)
#include "tst_tray_push.moc"
