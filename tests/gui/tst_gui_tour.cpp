// The documentation's pictures of the main window, as a user sees it: the real
// tray agent (softphone-tray) signed in and telling the softphone that push is
// ready, the user signed in through the window, a contact online, a few calls
// in the history and a real conversation with bob (a real client), then bob
// in do not disturb and signed out on the contacts page. Before each
// picture the test checks what the user would notice on that page; the status
// bar says "Push: ready" on every one (test::screenshot writes the
// documentation's main-window pictures only then). tests/update-screenshots
// runs it.
#include "AgentSoftphone.h"
#include "GuiTestSupport.h"
#include "integration/flow/FlowHarness.h"
#include "softphone/AudioChecks.h"
#include "softphone/CallCoordinator.h"
#include "storage/ContactBook.h"
#include "ui/Avatar.h"
#include "ui/CallWindow.h"
#include "ui/HistoryPage.h"
#include "ui/IncomingCallWindow.h"

#include <QJsonDocument>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QTabWidget>
#include <QTest>
#include <QTreeWidget>

using namespace softphone;
using client::Call;
using client::CallState;

class TestGuiTour : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_runtime;
    test::FlowHarness m_flow;
    test::ServerProcess &m_server = m_flow.server();
    std::unique_ptr<test::AgentTray> m_tray;
    std::unique_ptr<test::AgentSoftphone> m_softphone;
    std::unique_ptr<client::SoftphoneClient> m_bob;

    ui::MainWindow *window() const { return m_softphone->app.mainWindow(); }
    app::CallCoordinator *calls() const { return m_softphone->app.calls(); }
    template<typename T> T *find(const char *name) const
    {
        return window()->findChild<T *>(QString::fromLatin1(name));
    }
    QString callStatus() const
    {
        auto *w = calls()->callWindow();
        return w ? w->statusText() : QString();
    }
    static bool isTimer(const QString &text)
    {
        return QRegularExpression(QStringLiteral("^\\d+:\\d\\d$")).match(text).hasMatch();
    }
    // The call window's timer has passed 0:00: the call has lasted a moment.
    bool talked() const { return isTimer(callStatus()) && callStatus() != QLatin1String("0:00"); }
    QString lastMessageLine() const
    {
        auto *list = find<QListWidget>("messageList");
        return list->count() > 0 ? list->item(list->count() - 1)->text() : QString();
    }
    QString contactPresence(const QString &user) const
    {
        auto *list = find<QListWidget>("contactList");
        for (int i = 0; list && i < list->count(); ++i)
            if (list->item(i)->data(Qt::UserRole).toString() == user)
                return list->item(i)->data(Qt::AccessibleDescriptionRole).toString();
        return {};
    }
    // The page in front, push ready in the status bar, then the picture.
    QString shoot(ui::MainWindow::Tab tab, const QString &name)
    {
        window()->showTab(tab);
        if (!QTest::qWaitFor(
                [this] { return m_softphone->pushLine() == QLatin1String("Push: ready"); }, 15000))
            return QStringLiteral("before %1 the status bar says \"%2\"")
                .arg(name, m_softphone->pushLine());
        return test::screenshot(window(), name);
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(QFileInfo(qEnvironmentVariable("SOFTPHONE_TRAY_BIN")).isExecutable(),
                 "SOFTPHONE_TRAY_BIN not set");
        QVERIFY(test::prepareRuntimeDir(m_runtime));
        QString why;
        QVERIFY2(
            m_flow.start({QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("carol")},
                         &why),
            qPrintable(why));
        // The softphone first, showing its sign-in form (an agent started first
        // would hand it the remembered account: it signs in by itself); then the
        // agent, which tells it that push is ready.
        m_softphone = std::make_unique<test::AgentSoftphone>(test::instanceSocket(m_runtime));
        QVERIFY2(m_softphone->start(), qPrintable(m_softphone->app.lastError()));
        QVERIFY(QTest::qWaitForWindowExposed(window()));
        m_tray = std::make_unique<test::AgentTray>(m_runtime.path());
        m_tray->signIn(m_server, QStringLiteral("alice"));
        QVERIFY2(m_tray->waitForState(QStringLiteral("online"), 60000),
                 qPrintable(QJsonDocument(m_tray->lastState).toJson()));
        QVERIFY(!window()->isShowingMain());
        QTRY_COMPARE_WITH_TIMEOUT(m_softphone->pushLine(), QStringLiteral("Push: ready"), 15000);
        QString shot = test::screenshot(window(), QStringLiteral("sign-in"));
        QVERIFY2(shot.isEmpty(), qPrintable(shot));

        QVERIFY(test::signInThroughWindow(m_softphone->app, m_server.appServerUrl(),
                                          QStringLiteral("alice"),
                                          QStringLiteral("password-alice")));
        QVERIFY(window()->isShowingMain());
        QVERIFY(window()->connectionText().startsWith(QStringLiteral("Online")));

        client::ClientCapabilities caps;
        caps.messaging = true;
        m_bob = m_flow.online(QStringLiteral("bob"), QStringLiteral("bob-desk"), caps);
        QVERIFY(m_bob);
    }

    // Two contacts, bob online and carol not: their dots say so.
    void contacts()
    {
        QVERIFY(
            m_softphone->app.contacts()->save(QStringLiteral("bob"), QStringLiteral("Bob Smith")));
        QVERIFY(m_softphone->app.contacts()->save(QStringLiteral("carol"),
                                                  QStringLiteral("Carol Jones")));
        window()->showTab(ui::MainWindow::Tab::Contacts);
        QTRY_COMPARE_WITH_TIMEOUT(contactPresence(QStringLiteral("bob")),
                                  ui::avatar::presenceText(protocol::PresenceStatus::Online),
                                  10000);
        QTRY_COMPARE_WITH_TIMEOUT(contactPresence(QStringLiteral("carol")),
                                  ui::avatar::presenceText(protocol::PresenceStatus::Offline),
                                  10000);
        const QString shot = shoot(ui::MainWindow::Tab::Contacts, QStringLiteral("contacts"));
        QVERIFY2(shot.isEmpty(), qPrintable(shot));
    }

    // A call the user makes, one bob makes and she answers, one she misses.
    void callsFillTheHistory()
    {
        window()->showTab(ui::MainWindow::Tab::Dialer);
        QSignalSpy incoming(m_bob.get(), &client::SoftphoneClient::incomingCall);
        auto *target = find<QLineEdit>("dialTarget");
        target->setFocus();
        QTest::keyClicks(target, QStringLiteral("bob"));
        QTest::keyClick(target, Qt::Key_Return);
        QVERIFY(incoming.count() > 0 || incoming.wait(15000));
        Call *bobCall = incoming.takeFirst().at(0).value<Call *>();
        bobCall->answer();
        QTRY_VERIFY_WITH_TIMEOUT(talked(), 10000);
        QTest::keyClick(calls()->callWindow(), Qt::Key_Escape);
        QTRY_COMPARE_WITH_TIMEOUT(bobCall->state(), CallState::Ended, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!calls()->callWindow(), 10000);

        Call *call = m_bob->callUser(QStringLiteral("alice"));
        QTRY_VERIFY_WITH_TIMEOUT(calls()->incomingWindow(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(call->state(), CallState::Progressing, 10000);
        QTest::keyClick(calls()->incomingWindow(), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(call->state(), CallState::Established, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(talked(), 10000);
        call->hangup();
        QTRY_VERIFY_WITH_TIMEOUT(!calls()->callWindow(), 10000);

        call = m_bob->callUser(QStringLiteral("alice"));
        QTRY_VERIFY_WITH_TIMEOUT(calls()->incomingWindow(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(call->state(), CallState::Progressing, 10000);
        call->hangup(); // bob gives up before she answers
        QTRY_VERIFY_WITH_TIMEOUT(!calls()->incomingWindow(), 10000);
        QTRY_COMPARE(window()->missedCount(), 1);

        ui::HistoryPage *history = window()->historyPage();
        QTRY_COMPARE(history->rowCount(), 3);
        QCOMPARE(history->callItem(0)->text(0), QStringLiteral("Missed"));
        QCOMPARE(history->callItem(2)->text(0), QStringLiteral("Outgoing"));
        const QString shot = shoot(ui::MainWindow::Tab::History, QStringLiteral("history"));
        QVERIFY2(shot.isEmpty(), qPrintable(shot));
        QTRY_COMPARE(window()->missedCount(), 0); // seen
    }

    // She writes to bob; his client gets it and answers.
    void conversation()
    {
        QSignalSpy received(m_bob->messaging(), &client::Messaging::incomingMessage);
        QVERIFY(test::typeMessage(window(), QStringLiteral("bob"),
                                  QStringLiteral("Sorry I missed you. Lunch at noon?")));
        QVERIFY2(received.count() > 0 || received.wait(15000), "bob never got the message");
        QTRY_VERIFY_WITH_TIMEOUT(lastMessageLine().endsWith(QStringLiteral("[delivered]")), 15000);

        m_bob->messaging()->send({QStringLiteral("alice")},
                                 QStringLiteral("Yes, see you at the usual place"));
        QTRY_VERIFY_WITH_TIMEOUT(
            lastMessageLine().endsWith(QStringLiteral("Yes, see you at the usual place")), 15000);
        QVERIFY(lastMessageLine().startsWith(QStringLiteral("bob, ")));
        const QString shot = shoot(ui::MainWindow::Tab::Messages, QStringLiteral("messages"));
        QVERIFY2(shot.isEmpty(), qPrintable(shot));
    }

    // Settings with the agent's push status and a test call; the dialer.
    void settingsAndDialer()
    {
        QTRY_VERIFY_WITH_TIMEOUT(
            m_softphone->pushText().startsWith(QStringLiteral("Registered at")), 15000);
        QString shot = shoot(ui::MainWindow::Tab::Settings, QStringLiteral("settings"));
        QVERIFY2(shot.isEmpty(), qPrintable(shot));
        // The audio checks: a test call to the service's echo user shows its round trip.
        auto *testCall = find<QPushButton>("testCallButton");
        auto *testCallStatus = find<QLabel>("testCallStatus");
        QVERIFY(testCall && testCallStatus && testCall->isEnabled());
        QTest::mouseClick(testCall, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(
            testCallStatus->text().startsWith(QStringLiteral("Test call finished: round trip ")),
            int(app::AudioChecks::kTestCallLength.count()) * 1000 + 15000);
        QTRY_VERIFY_WITH_TIMEOUT(!calls()->callWindow(), 15000);
        shot = shoot(ui::MainWindow::Tab::Settings, QStringLiteral("settings-audio"));
        QVERIFY2(shot.isEmpty(), qPrintable(shot));

        // The dialer, ready for the next call: empty, online.
        find<QLineEdit>("dialTarget")->clear();
        QVERIFY(window()->connectionText().startsWith(QStringLiteral("Online")));
        shot = shoot(ui::MainWindow::Tab::Dialer, QStringLiteral("dialer"));
        QVERIFY2(shot.isEmpty(), qPrintable(shot));
    }

    // Bob busy, then gone: his dot says do not disturb, then offline (carol
    // stays offline beside him).
    void contactsBusyAndGone()
    {
        m_bob->presence()->setDoNotDisturb(true);
        QTRY_COMPARE_WITH_TIMEOUT(contactPresence(QStringLiteral("bob")),
                                  ui::avatar::presenceText(protocol::PresenceStatus::DoNotDisturb),
                                  10000);
        QString shot = shoot(ui::MainWindow::Tab::Contacts, QStringLiteral("contacts-dnd"));
        QVERIFY2(shot.isEmpty(), qPrintable(shot));
        m_bob->terminate(); // bob signs out
        QTRY_COMPARE_WITH_TIMEOUT(contactPresence(QStringLiteral("bob")),
                                  ui::avatar::presenceText(protocol::PresenceStatus::Offline),
                                  10000);
        shot = shoot(ui::MainWindow::Tab::Contacts, QStringLiteral("contacts-offline"));
        QVERIFY2(shot.isEmpty(), qPrintable(shot));
    }

    void cleanupTestCase()
    {
        m_bob.reset();
        if (m_tray)
            QCOMPARE(m_tray->signOut(), 0);
        m_softphone.reset();
        m_tray.reset();
    }
};

SOFTPHONE_GUI_TEST_MAIN(TestGuiTour)

#include "tst_gui_tour.moc"
