// The tray agent in a real panel and with a real notification daemon, as a
// user meets them on an X desktop (tests/desktop-session's Xvfb and bus):
// trayer embeds the agent's icon (XEmbed), xdotool finds its window, clicks it
// and picks menu entries by their keys; dunst shows the agent's notifications,
// and a call is answered (or declined) from dunst's own action menu. Everything else is real
// too: softphone-server on loopback, the softphone the agent starts, a caller as
// an in-process client. State is read from the agent's --report-state lines.
#include "support/DesktopShell.h"
#include "support/TrayTestSupport.h"

using namespace traytest;
using softphone::test::clickWindow;
using softphone::test::NotificationDaemon;
using softphone::test::TrayHost;
using softphone::test::visibleWindows;
using softphone::test::waitForWindow;
using softphone::test::xdotool;

namespace {

constexpr int kWindowMs = 30000;
// The softphone's main window ("Softphone", "Softphone - bob"), not its
// incoming-call window, which lingers a moment after a call, nor a popup Qt
// names after the application.
const QString kMainWindow = QStringLiteral("^Softphone( - .+)?$");
const QString kBobsWindow = QStringLiteral("^Softphone - bob$");

// The agent's icon window, once trayer has embedded it.
QString iconOf(const Tray &tray)
{
    return waitForWindow(tray.process.processId(), {}, kWindowMs, true);
}

// Right click on the icon, then the entry's key (its mnemonic) in the menu.
QString chooseFromMenu(const Tray &tray, const QString &icon, const QString &key)
{
    // A click while the agent is busy (ASan, a loaded machine) may go
    // unanswered for a moment: a few tries, as a user would.
    QString menu;
    for (int attempt = 0; attempt < 3 && menu.isEmpty(); ++attempt) {
        if (!clickWindow(icon, 3))
            return QStringLiteral("cannot click the icon");
        menu = waitForWindow(tray.process.processId(), {icon}, kWindowMs / 3);
    }
    if (menu.isEmpty())
        return QStringLiteral("no menu opened on a right click");
    if (!xdotool({QStringLiteral("key"), key}))
        return QStringLiteral("xdotool key %1 failed").arg(key);
    return {};
}

bool doNotDisturbIs(const QJsonObject &line, bool on)
{
    return line.value(QStringLiteral("doNotDisturb")).toBool() == on;
}

int missedOf(const QJsonObject &line)
{
    return line.value(QStringLiteral("missedCalls")).toInt();
}

// A caller only this test has: other tests' agents may show their calls from
// alice through the same dunst meanwhile.
QString addCaller(ServerProcess &server)
{
    // A new one per call: dunst keeps the notifications of earlier calls.
    static int callers = 0;
    const QString name =
        QStringLiteral("dora%1n%2").arg(QCoreApplication::applicationPid()).arg(++callers);
    return server.addUser(name, QStringLiteral("password-") + name) ? name : QString();
}

} // namespace

class TstTrayPanel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QString missing = missingBinaries();
        QVERIFY2(missing.isEmpty(), qPrintable(missing));
        missing = softphone::test::missingDesktopPrograms();
        QVERIFY2(missing.isEmpty(),
                 qPrintable(QStringLiteral("missing %1 (packaging/install-deps.sh)").arg(missing)));
        QString why;
        QVERIFY2(m_panel.start(&why), qPrintable(why));
        // Before any agent: it asks the daemon's capabilities (actions) at start.
        QVERIFY2(m_daemon.start(&why), qPrintable(why));
    }

    // The icon sits in the panel; a left click opens the softphone (its window
    // shows), a second one raises that same softphone rather than a new one.
    void clickOnTheIconOpensTheSoftphone()
    {
        QTemporaryDir home;
        Tray tray(Tray::Options{home.path(), {}, {}, true});
        tray.start({});
        QVERIFY2(tray.waitForState(QStringLiteral("signed_out"), kSlowMs),
                 qPrintable(QJsonDocument(tray.lastState).toJson()));
        const QString icon = iconOf(tray);
        QVERIFY2(!icon.isEmpty(), "trayer embedded no icon of the agent");

        QVERIFY(clickWindow(icon, 1));
        QTRY_COMPARE_WITH_TIMEOUT(softphonesOf(home.path()).size(), 1, kSlowMs);
        const qint64 softphone = softphonesOf(home.path()).constFirst();
        QVERIFY2(!waitForWindow(softphone, {}, kSlowMs, false, kMainWindow).isEmpty(),
                 "the softphone shows no window");

        QVERIFY(clickWindow(icon, 1));
        // The second launch hands over to the first and exits (slowly under ASan).
        QTest::qWait(2000);
        QTRY_COMPARE_WITH_TIMEOUT(softphonesOf(home.path()), QList<qint64>{softphone}, kSlowMs);
        QVERIFY(!visibleWindows(softphone, kMainWindow).isEmpty());
    }

    // The menu's "Do not disturb" switches the state (icon, the shared
    // setting) and back; "Quit" ends the agent.
    void menuSwitchesDoNotDisturbAndQuits()
    {
        QTemporaryDir home;
        Tray tray(Tray::Options{home.path(), {}, QStringLiteral("/bin/false"), true});
        tray.start({});
        QVERIFY(tray.waitForState(QStringLiteral("signed_out"), kSlowMs));
        QVERIFY(!tray.lastState.value(QStringLiteral("doNotDisturb")).toBool());
        const QString icon = iconOf(tray);
        QVERIFY2(!icon.isEmpty(), "trayer embedded no icon of the agent");

        QString problem = chooseFromMenu(tray, icon, QStringLiteral("d"));
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY2(tray.waitForStateWhere([](auto &l) { return doNotDisturbIs(l, true); }, kWindowMs),
                 qPrintable(QJsonDocument(tray.lastState).toJson()));
        QVERIFY(tray.lastState.value(QStringLiteral("toolTip"))
                    .toString()
                    .contains(QStringLiteral("Do not disturb is on")));
        softphone::storage::Settings settings(home.path() +
                                              QStringLiteral("/config/softphone/softphone.ini"));
        QVERIFY(settings.flag(softphone::storage::Settings::Key::DoNotDisturb));

        problem = chooseFromMenu(tray, icon, QStringLiteral("d"));
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY2(
            tray.waitForStateWhere([](auto &l) { return doNotDisturbIs(l, false); }, kWindowMs),
            qPrintable(QJsonDocument(tray.lastState).toJson()));

        problem = chooseFromMenu(tray, icon, QStringLiteral("q"));
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QTRY_COMPARE_WITH_TIMEOUT(tray.process.state(), QProcess::NotRunning, kWindowMs);
        QCOMPARE(tray.process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(tray.process.exitCode(), 0);
    }

    // A caller calls bob, whose agent shows "Incoming call" through dunst; bob
    // picks "Answer" in dunst's action menu and the caller is connected. The
    // notification goes once the call is answered, and no missed call shows.
    void answerFromDunst()
    {
        BobOnline bob;
        Ringing ringing;
        const QString rang = ring(bob, ringing);
        QVERIFY2(rang.isEmpty(), qPrintable(rang));
        const QString dora = ringing.dora;
        Call *call = ringing.call;
        const std::optional<NotificationDaemon::Shown> shown = ringing.shown;

        QString why;
        QStringList offered;
        QVERIFY2(m_daemon.chooseAction(shown->id, QStringLiteral("Answer"), &why, &offered),
                 qPrintable(why));
        const QString menu = offered.join(u'\n');
        QVERIFY2(menu.contains(QStringLiteral("#Answer (Incoming call) [%1,answer:%2]")
                                   .arg(shown->id)
                                   .arg(call->id())),
                 qPrintable(menu));
        QVERIFY2(menu.contains(QStringLiteral("#Decline (Incoming call)")), qPrintable(menu));
        QTRY_COMPARE_WITH_TIMEOUT(call->state(), CallState::Established, kSlowMs);
        QTRY_VERIFY_WITH_TIMEOUT(m_daemon.isClosed(shown->id), 30000);
        QVERIFY(!m_daemon.find(QStringLiteral("Missed call"), dora + QLatin1Char(' ')));
        call->hangup();
        QTRY_COMPARE_WITH_TIMEOUT(call->state(), CallState::Ended, 20000);
    }

    // The same call declined from dunst's menu: the caller hears "declined",
    // the notification goes, and a call bob declined is no missed call.
    void declineFromDunst()
    {
        BobOnline bob;
        Ringing ringing;
        const QString rang = ring(bob, ringing);
        QVERIFY2(rang.isEmpty(), qPrintable(rang));
        QString why;
        QVERIFY2(m_daemon.chooseAction(ringing.shown->id, QStringLiteral("Decline"), &why),
                 qPrintable(why));
        QTRY_COMPARE_WITH_TIMEOUT(ringing.call->state(), CallState::Ended, kSlowMs);
        QCOMPARE(ringing.call->details().endCause, softphone::client::EndCause::Denied);
        QTRY_VERIFY_WITH_TIMEOUT(m_daemon.isClosed(ringing.shown->id), 30000);
        QTest::qWait(2000); // a missed-call notification would follow the cancel push at once
        QVERIFY(!m_daemon.find(QStringLiteral("Missed call"), ringing.dora + QLatin1Char(' ')));
        QCOMPARE(missedOf(bob.tray.lastState), 0);
    }

    // A call bob missed: dunst shows "Missed call" and the icon's badge counts
    // it; bob opens the softphone from the icon and looks at its history
    // (Alt+2): the badge clears. "Call…" in the menu raises that softphone.
    void missedCallBadgeClearsOnceTheHistoryIsSeen()
    {
        BobOnline bob(true);
        QVERIFY2(bob.start(), qPrintable(bob.problem));
        QCOMPARE(missedOf(bob.tray.lastState), 0);
        const QString icon = iconOf(bob.tray);
        QVERIFY2(!icon.isEmpty(), "trayer embedded no icon of the agent");

        const QString dora = addCaller(bob.server);
        QVERIFY(!dora.isEmpty());
        const QString rang = aliceRingsBobThroughPush(bob.server, dora);
        QVERIFY2(rang.isEmpty(), qPrintable(rang));
        QTRY_VERIFY_WITH_TIMEOUT(
            m_daemon.find(QStringLiteral("Missed call"), dora + QLatin1Char(' ')).has_value(),
            30000);
        QVERIFY2(bob.tray.waitForStateWhere([](auto &l) { return missedOf(l) == 1; }, kSlowMs),
                 qPrintable(QJsonDocument(bob.tray.lastState).toJson()));
        QVERIFY(bob.tray.lastState.value(QStringLiteral("toolTip"))
                    .toString()
                    .contains(QStringLiteral("1 missed call")));

        // The push started the softphone without a window; the icon shows it.
        QCOMPARE(softphonesOf(bob.tray.home()).size(), 1);
        const qint64 softphone = softphonesOf(bob.tray.home()).constFirst();
        QVERIFY(clickWindow(icon, 1));
        QVERIFY2(!waitForWindow(softphone, {}, kSlowMs, false, kBobsWindow).isEmpty(),
                 "the softphone shows no window");
        // Focus on the window, then its History (Alt+2); tried again while
        // the busy softphone may not have taken the focus yet.
        bool cleared = false;
        for (int attempt = 0; attempt < 4 && !cleared; ++attempt) {
            const QString window = waitForWindow(softphone, {}, kWindowMs, false, kBobsWindow);
            if (window.isEmpty() || !xdotool({QStringLiteral("windowfocus"), window}))
                continue;
            QTest::qWait(1000);
            if (!xdotool({QStringLiteral("key"), QStringLiteral("alt+2")}))
                continue;
            cleared =
                bob.tray.waitForStateWhere([](auto &l) { return missedOf(l) == 0; }, kSlowMs / 3);
        }
        QVERIFY2(cleared, qPrintable(QJsonDocument(bob.tray.lastState).toJson()));

        // "Call…" brings that same softphone up with its dialer.
        const QString problem = chooseFromMenu(bob.tray, icon, QStringLiteral("c"));
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QTest::qWait(2000); // the launch that carried --dialer hands over and exits
        QTRY_COMPARE_WITH_TIMEOUT(softphonesOf(bob.tray.home()), QList<qint64>{softphone}, kSlowMs);
        QVERIFY2(!waitForWindow(softphone, {}, kWindowMs, false, kMainWindow).isEmpty(),
                 "the softphone shows no window");
    }

private:
    TrayHost m_panel;
    NotificationDaemon m_daemon;

    // A caller of this test only calling bob, and the agent's notification of it.
    struct Ringing
    {
        QString dora;
        std::unique_ptr<Caller> caller;
        QPointer<Call> call;
        std::optional<NotificationDaemon::Shown> shown;
    };
    // Starts bob's agent and rings bob until dunst shows "Incoming call" from
    // the caller; a problem, else empty.
    QString ring(BobOnline &bob, Ringing &ringing)
    {
        if (!bob.start())
            return bob.problem;
        ringing.dora = addCaller(bob.server);
        if (ringing.dora.isEmpty())
            return QStringLiteral("cannot add a caller");
        ringing.caller = std::make_unique<Caller>(bob.server, ringing.dora);
        if (!ringing.caller->start())
            return QStringLiteral("the caller did not sign in");
        ringing.call = ringing.caller->client->callUser(QStringLiteral("bob"));
        const QString dora = ringing.dora;
        if (!QTest::qWaitFor(
                [&] {
                    return (ringing.shown = m_daemon.find(QStringLiteral("Incoming call"),
                                                          dora + QLatin1Char(' ')))
                        .has_value();
                },
                kSlowMs))
            return QStringLiteral("dunst showed no incoming call from the caller");
        if (ringing.shown->appName != QStringLiteral("Softphone"))
            return QStringLiteral("the notification came from %1").arg(ringing.shown->appName);
        return {};
    }
};

QTEST_GUILESS_MAIN(TstTrayPanel)
#include "tst_tray_panel.moc"
