// Calls on the real window against a real softphone-server: the user signs in
// with the keyboard, dials with Enter, sees Ringing then the timer; incoming
// calls come to the front and Enter answers; missed calls are counted; every
// end cause the user can meet is shown. Screenshots of each screen on the way.
#include "AliceAndBobTest.h"
#include "GuiTestSupport.h"
#include "softphone/CallCoordinator.h"
#include "softphone/SoftphoneApp.h"
#include "storage/CallHistory.h"
#include "storage/ContactBook.h"
#include "storage/MessageStore.h"
#include "ui/Avatar.h"
#include "ui/CallWindow.h"
#include "ui/DialerPage.h"
#include "ui/HistoryPage.h"
#include "ui/IncomingCallWindow.h"
#include "ui/MainWindow.h"
#include "ui/SignInPage.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTabBar>
#include <QTabWidget>
#include <QTest>
#include <QTreeWidget>

using namespace softphone;
using client::Call;
using client::CallState;

class TestGuiCalls : public test::AliceAndBobTest
{
    Q_OBJECT

private:
    QString callStatus() const
    {
        auto *w = m_app->calls()->callWindow();
        return w ? w->statusText() : QString();
    }
    static bool isTimer(const QString &text)
    {
        return QRegularExpression(QStringLiteral("^\\d+:\\d\\d$")).match(text).hasMatch();
    }
    // Every control a user can reach has a name a screen reader can say.
    static QStringList unnamedControls(QWidget *window)
    {
        QStringList unnamed;
        const auto widgets = window->findChildren<QWidget *>();
        for (QWidget *w : widgets) {
            const bool control = qobject_cast<QAbstractButton *>(w) ||
                                 qobject_cast<QLineEdit *>(w) || qobject_cast<QComboBox *>(w) ||
                                 qobject_cast<QAbstractItemView *>(w);
            if (!control)
                continue;
            bool internal = false; // parts of Qt's own composite widgets (line edit clear button,
                                   // tab scrollers)
            for (QWidget *p = w->parentWidget(); p && p != window; p = p->parentWidget())
                internal |= qobject_cast<QLineEdit *>(p) || qobject_cast<QComboBox *>(p) ||
                            qobject_cast<QTabBar *>(p) || qobject_cast<QAbstractItemView *>(p) ||
                            qobject_cast<QMenuBar *>(p);
            if (!internal && w->accessibleName().isEmpty())
                unnamed << QStringLiteral("%1 '%2'").arg(
                    QString::fromLatin1(w->metaObject()->className()), w->objectName());
        }
        return unnamed;
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        QVERIFY(m_server.addUser(QStringLiteral("alice"), QStringLiteral("alice-pw-1")));
        QVERIFY(m_server.addUser(QStringLiteral("bob"), QStringLiteral("bob-pw-1")));

        m_app = std::make_unique<app::SoftphoneApp>(app::AppOptions{});
        QVERIFY(m_app->start());
        QVERIFY(QTest::qWaitForWindowExposed(window()));
        QVERIFY2(test::screenshot(window(), QStringLiteral("sign-in")).isEmpty(),
                 qPrintable(test::screenshot(window(), QStringLiteral("sign-in"))));

        // Keyboard only: type into each field, Enter signs in.
        QVERIFY(test::signInThroughWindow(*m_app, m_server.appServerUrl(), QStringLiteral("alice"),
                                          QStringLiteral("alice-pw-1")));
        QVERIFY(window()->isShowingMain());
        QVERIFY(window()->connectionText().startsWith(QStringLiteral("Online")));

        m_bob = test::startedClient(
            m_server.callingUrl(), QStringLiteral("bob"), QStringLiteral("bob-desk"),
            m_server.login(QStringLiteral("bob"), QStringLiteral("bob-pw-1")));
        QVERIFY(m_bob);
    }

    void enterCallsAndTheWindowFollowsTheCall()
    {
        QSignalSpy incoming(m_bob.get(), &client::SoftphoneClient::incomingCall);
        auto *target = find<QLineEdit>("dialTarget");
        target->setFocus();
        QTest::keyClicks(target, QStringLiteral("bob"));
        QTest::keyClick(target, Qt::Key_Return);

        Call *bobCall = waitIncoming(incoming);
        QVERIFY2(bobCall, "the callee never saw the call");
        QCOMPARE(bobCall->remoteUserId(), QStringLiteral("alice"));
        QVERIFY(m_app->calls()->callWindow());
        QTRY_COMPARE_WITH_TIMEOUT(callStatus(), QStringLiteral("Ringing..."), 10000);
        QVERIFY(
            test::screenshot(m_app->calls()->callWindow(), QStringLiteral("outgoing")).isEmpty());

        bobCall->answer();
        QTRY_VERIFY_WITH_TIMEOUT(isTimer(callStatus()), 10000);
        // The timer runs.
        const QString first = callStatus();
        QTRY_VERIFY_WITH_TIMEOUT(callStatus() != first && isTimer(callStatus()), 5000);
        QVERIFY(
            test::screenshot(m_app->calls()->callWindow(), QStringLiteral("in-call")).isEmpty());
        QVERIFY2(
            unnamedControls(m_app->calls()->callWindow()).isEmpty(),
            qPrintable(unnamedControls(m_app->calls()->callWindow()).join(QStringLiteral(", "))));

        // Mute is a real toggle on the call.
        auto *mute =
            m_app->calls()->callWindow()->findChild<QPushButton *>(QStringLiteral("muteButton"));
        QVERIFY(mute);
        mute->click();
        QVERIFY(m_app->calls()->callWindow()->call()->isMuted());

        // Esc hangs up; the callee's call ends too, and the window says so.
        QTest::keyClick(m_app->calls()->callWindow(), Qt::Key_Escape);
        QTRY_COMPARE_WITH_TIMEOUT(bobCall->state(), CallState::Ended, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(callStatus().startsWith(QStringLiteral("Call ended")), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!m_app->calls()->callWindow(), 10000); // closes by itself

        const auto history = m_app->calls() ? window()->findChild<ui::HistoryPage *>() : nullptr;
        QVERIFY(history);
        QTRY_COMPARE(history->rowCount(), 1);
        QCOMPARE(history->callItem(0)->text(0), QStringLiteral("Outgoing"));
        QCOMPARE(history->callItem(0)->text(1), QStringLiteral("bob"));
        QVERIFY(isTimer(history->callItem(0)->text(3))); // the call's length
        QCOMPARE(history->callItem(0)->parent()->text(0), QStringLiteral("Today"));
    }

    void incomingWindowComesUpAndEnterAnswers()
    {
        Call *call = m_bob->callUser(QStringLiteral("alice"),
                                     {{QStringLiteral("subject"), QStringLiteral("lunch?")}});
        QTRY_VERIFY_WITH_TIMEOUT(m_app->calls()->incomingWindow(), 10000);
        ui::IncomingCallWindow *incoming = m_app->calls()->incomingWindow();
        QVERIFY(QTest::qWaitForWindowExposed(incoming));
        QCOMPARE(incoming->findChild<QLabel *>(QStringLiteral("incomingCaller"))->text(),
                 QStringLiteral("bob"));
        QCOMPARE(incoming->findChild<QLabel *>(QStringLiteral("header_subject"))->text(),
                 QStringLiteral("lunch?"));
        // bob's face: his initial on his colour, as in the contacts and the history.
        const QImage face =
            incoming->findChild<QLabel *>(QStringLiteral("callerAvatar"))->pixmap().toImage();
        QVERIFY(!face.isNull());
        QCOMPARE(face.pixelColor(face.width() / 10, face.height() / 2).rgb(),
                 ui::avatar::colour(QStringLiteral("bob")).rgb());
        QTRY_COMPARE_WITH_TIMEOUT(call->state(), CallState::Progressing, 10000); // we are ringing
        QVERIFY(test::screenshot(incoming, QStringLiteral("incoming")).isEmpty());
        QVERIFY2(unnamedControls(incoming).isEmpty(),
                 qPrintable(unnamedControls(incoming).join(QStringLiteral(", "))));

        QVERIFY(m_app->calls()->ringer()->isRinging());
        QTest::keyClick(incoming, Qt::Key_Return);
        QVERIFY(!m_app->calls()->ringer()->isRinging());
        QTRY_COMPARE_WITH_TIMEOUT(call->state(), CallState::Established, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(m_app->calls()->callWindow() && isTimer(callStatus()), 10000);
        QVERIFY(!m_app->calls()->incomingWindow());

        call->hangup(); // the other side hangs up
        QTRY_VERIFY_WITH_TIMEOUT(callStatus().startsWith(QStringLiteral("Call ended")), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!m_app->calls()->callWindow(), 10000);
    }

    void incomingWindowLeavesTheFocusWhereTheUserTypes()
    {
        // The user is typing in another window when the call comes in.
        QWidget notes;
        notes.setWindowTitle(QStringLiteral("notes"));
        auto *line = new QLineEdit(&notes);
        notes.resize(300, 80);
        notes.show();
        notes.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&notes));
        line->setFocus();
        QTRY_COMPARE(QApplication::focusWidget(), line);

        Call *call = m_bob->callUser(QStringLiteral("alice"));
        // A failed check must not leave the call ringing into the next test.
        auto hangUp = qScopeGuard([call = QPointer<Call>(call)] {
            if (call)
                call->hangup();
        });
        QTRY_VERIFY_WITH_TIMEOUT(m_app->calls()->incomingWindow(), 10000);
        QPointer<ui::IncomingCallWindow> incoming = m_app->calls()->incomingWindow();
        QVERIFY(QTest::qWaitForWindowExposed(incoming));
        QTRY_COMPARE_WITH_TIMEOUT(call->state(), CallState::Progressing, 10000);
        QVERIFY(m_app->calls()->ringer()->isRinging());
        // It is on screen and rings, and the keys still go to what the user types in.
        QTest::qWait(500);
        QCOMPARE(QApplication::activeWindow(), &notes);
        QCOMPARE(QApplication::focusWidget(), line);
        QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("lunch"));
        QCOMPARE(line->text(), QStringLiteral("lunch"));
        QVERIFY(incoming && incoming->isVisible());

        // The user turns to the call: one key answers.
        incoming->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(incoming));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(call->state(), CallState::Established, 10000);
        hangUp.dismiss();
        call->hangup();
        QTRY_VERIFY_WITH_TIMEOUT(!m_app->calls()->callWindow(), 10000);
    }

    void callerCancelsIsAMissedCallCountedUntilSeen()
    {
        QCOMPARE(window()->missedCount(), 0);
        Call *call = m_bob->callUser(QStringLiteral("alice"));
        QTRY_VERIFY_WITH_TIMEOUT(m_app->calls()->incomingWindow(), 10000);
        QPointer<ui::IncomingCallWindow> incoming = m_app->calls()->incomingWindow();
        QTRY_COMPARE_WITH_TIMEOUT(call->state(), CallState::Progressing, 10000);
        QVERIFY(m_app->calls()->ringer()->isRinging());
        call->hangup(); // bob gives up before alice answers
        QTRY_VERIFY_WITH_TIMEOUT(!m_app->calls()->ringer()->isRinging(), 10000);
        QVERIFY(incoming); // the ring stopped at once, not when the window went away
        // Ringing stops and the window says why.
        QTRY_COMPARE_WITH_TIMEOUT(incoming ? incoming->statusText() : QString(),
                                  QStringLiteral("Caller hung up"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!incoming, 10000);

        QTRY_COMPARE(window()->missedCount(), 1);
        auto *tabs = find<QTabWidget>("mainTabs");
        QCOMPARE(tabs->tabText(int(ui::MainWindow::Tab::History)), QStringLiteral("&History (1)"));
        ui::HistoryPage *history = window()->historyPage();
        QCOMPARE(history->callItem(0)->text(0), QStringLiteral("Missed"));
        QCOMPARE(history->callItem(0)->text(3), QStringLiteral("Caller hung up"));
        // The missed call stands out from the others.
        QVERIFY(history->callItem(0)->foreground(1).color() !=
                history->callItem(1)->foreground(1).color());

        window()->showTab(ui::MainWindow::Tab::History); // the user looks: seen
        QTRY_COMPARE(window()->missedCount(), 0);
        QCOMPARE(tabs->tabText(int(ui::MainWindow::Tab::History)), QStringLiteral("&History"));
        QVERIFY(test::screenshot(window(), QStringLiteral("history")).isEmpty());
        window()->showTab(ui::MainWindow::Tab::Dialer);
    }

    void declinedAndCallBackFromHistory()
    {
        QSignalSpy incoming(m_bob.get(), &client::SoftphoneClient::incomingCall);
        // Call back from the history entry (Enter on the row).
        window()->showTab(ui::MainWindow::Tab::History);
        auto *list = find<QTreeWidget>("historyList");
        list->setFocus();
        list->setCurrentItem(window()->historyPage()->callItem(0));
        QTest::keyClick(list, Qt::Key_Return);
        Call *bobCall = waitIncoming(incoming);
        QVERIFY(bobCall);
        QTRY_COMPARE_WITH_TIMEOUT(callStatus(), QStringLiteral("Ringing..."), 10000);
        bobCall->hangup(); // bob declines
        QTRY_COMPARE_WITH_TIMEOUT(callStatus(), QStringLiteral("Declined"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!m_app->calls()->callWindow(), 10000);
        window()->showTab(ui::MainWindow::Tab::Dialer);
    }

    void answeredOnAnotherDevice()
    {
        auto alice2 = test::startedClient(
            m_server.callingUrl(), QStringLiteral("alice"), QStringLiteral("alice-laptop"),
            m_server.login(QStringLiteral("alice"), QStringLiteral("alice-pw-1")));
        QVERIFY(alice2);
        QSignalSpy otherIncoming(alice2.get(), &client::SoftphoneClient::incomingCall);
        m_bob->callUser(QStringLiteral("alice"));
        QTRY_VERIFY_WITH_TIMEOUT(m_app->calls()->incomingWindow(), 10000);
        QPointer<ui::IncomingCallWindow> incoming = m_app->calls()->incomingWindow();
        Call *other = waitIncoming(otherIncoming);
        QVERIFY(other);
        QVERIFY(m_app->calls()->ringer()->isRinging());
        other->answer();
        QTRY_VERIFY_WITH_TIMEOUT(!m_app->calls()->ringer()->isRinging(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(incoming ? incoming->statusText() : QString(),
                                  QStringLiteral("Answered on another device"), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(window()->historyPage()->callItem(0)->text(3),
                                  QStringLiteral("Answered on another device"), 10000);
        QCOMPARE(window()->missedCount(), 0); // not missed: the user took it elsewhere
        other->hangup();
        QTRY_VERIFY_WITH_TIMEOUT(!incoming, 10000);
    }

    void otherScreens()
    {
        // Contacts: the user adds one; the dialer then completes it.
        window()->showTab(ui::MainWindow::Tab::Contacts);
        QTest::keyClicks(find<QLineEdit>("contactUserId"), QStringLiteral("carol"));
        QTest::keyClicks(find<QLineEdit>("contactName"), QStringLiteral("Carol Jones"));
        QTest::keyClick(find<QLineEdit>("contactName"), Qt::Key_Return);
        QTRY_COMPARE(find<QListWidget>("contactList")->count(), 1);
        QVERIFY(test::screenshot(window(), QStringLiteral("contacts")).isEmpty());
        // Messages: what the store holds shows with unread counts and delivery marks.
        storage::MessageStore *store = m_app->messages();
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QVERIFY(store->addOutgoing(QStringLiteral("7b0c64a2-0d4e-4c1e-9d43-1f0f7a1c0001"),
                                   QStringLiteral("carol"), QStringLiteral("Lunch at noon?")));
        QVERIFY(store->setStatus(QStringLiteral("7b0c64a2-0d4e-4c1e-9d43-1f0f7a1c0001"),
                                 storage::ChatMessage::Status::Delivered));
        QVERIFY(store->addIncoming(QStringLiteral("7b0c64a2-0d4e-4c1e-9d43-1f0f7a1c0002"),
                                   QStringLiteral("carol"), QStringLiteral("Yes, see you there"),
                                   now.addSecs(5)));
        QVERIFY(store->addIncoming(QStringLiteral("7b0c64a2-0d4e-4c1e-9d43-1f0f7a1c0003"),
                                   QStringLiteral("bob"), QStringLiteral("Call me when you can"),
                                   now.addSecs(-60)));
        auto *tabs = find<QTabWidget>("mainTabs");
        QCOMPARE(tabs->tabText(int(ui::MainWindow::Tab::Messages)),
                 QStringLiteral("&Messages (2)"));
        window()->showTab(ui::MainWindow::Tab::Messages);
        auto *conversations = find<QListWidget>("conversationList");
        QCOMPARE(conversations->count(), 2);
        QVERIFY(conversations->item(0)->text().startsWith(QStringLiteral("carol (1 unread)")));
        auto *send = find<QPushButton>("sendButton");
        QVERIFY(!send->isEnabled());     // no transport yet: nothing pretends to send
        conversations->setCurrentRow(0); // the user opens carol's conversation
        QCOMPARE(store->unreadCount(QStringLiteral("carol")), 0);
        QCOMPARE(tabs->tabText(int(ui::MainWindow::Tab::Messages)),
                 QStringLiteral("&Messages (1)"));
        auto *messages = find<QListWidget>("messageList");
        QCOMPARE(messages->count(), 2);
        QVERIFY(messages->item(0)->text().endsWith(QStringLiteral("[delivered]")));
        QVERIFY(test::screenshot(window(), QStringLiteral("messages")).isEmpty());
        window()->showTab(ui::MainWindow::Tab::Settings);
        QVERIFY(test::screenshot(window(), QStringLiteral("settings")).isEmpty());
        window()->showTab(ui::MainWindow::Tab::Dialer);
        auto *target = find<QLineEdit>("dialTarget");
        target->clear();
        QVERIFY(target->completer());
        target->completer()->setCompletionPrefix(QStringLiteral("car"));
        QCOMPARE(target->completer()->currentCompletion(), QStringLiteral("carol"));
        QVERIFY(test::screenshot(window(), QStringLiteral("dialer")).isEmpty());
        QVERIFY2(unnamedControls(window()).isEmpty(),
                 qPrintable(unnamedControls(window()).join(QStringLiteral(", "))));
    }

    void doNotDisturbDeclinesAndKeepsTheCallInHistory()
    {
        window()->showTab(ui::MainWindow::Tab::Settings);
        auto *dnd = find<QCheckBox>("dndCheck");
        dnd->setFocus();
        QTest::keyClick(dnd, Qt::Key_Space);
        QVERIFY(dnd->isChecked());
        window()->showTab(ui::MainWindow::Tab::Dialer);
        const int missedBefore = window()->missedCount();
        Call *call = m_bob->callUser(QStringLiteral("alice"));
        QTRY_COMPARE_WITH_TIMEOUT(call->state(), CallState::Ended, 10000);
        QCOMPARE(call->details().endCause, client::EndCause::Denied); // the caller hears "declined"
        QVERIFY(!m_app->calls()->incomingWindow());                   // nothing popped up
        QTRY_COMPARE(window()->missedCount(), missedBefore + 1);
        QCOMPARE(window()->historyPage()->callItem(0)->text(3), QStringLiteral("Do not disturb"));
        window()->showTab(ui::MainWindow::Tab::Settings);
        QTest::keyClick(dnd, Qt::Key_Space);
        QVERIFY(!dnd->isChecked());
        window()->showTab(ui::MainWindow::Tab::Dialer);
    }

    void connectionLostIsShown()
    {
        QSignalSpy incoming(m_bob.get(), &client::SoftphoneClient::incomingCall);
        m_app->dial(QStringLiteral("bob"));
        Call *bobCall = waitIncoming(incoming);
        QVERIFY(bobCall);
        bobCall->answer();
        QTRY_VERIFY_WITH_TIMEOUT(isTimer(callStatus()), 10000);
        m_app->calls()->callWindow()->setLingerAfterEnd(std::chrono::seconds(30));
        m_server.kill(); // the service is gone mid-call
        QTRY_COMPARE_WITH_TIMEOUT(callStatus().section(QStringLiteral(" - "), 0, 0),
                                  QStringLiteral("Connection lost"), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!window()->connectionText().startsWith(QStringLiteral("Online")),
                                 60000);
    }

    void cleanupTestCase() { closeAliceAndBob(); }
};

SOFTPHONE_GUI_TEST_MAIN(TestGuiCalls)

#include "tst_gui_calls.moc"
