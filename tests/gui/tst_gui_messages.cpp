// Messages on the real window against a real softphone-server: alice (the GUI)
// types a message to bob (a real client with messaging), bob gets it and the
// GUI marks it delivered; bob answers and the GUI shows it with an unread
// count on the conversation and the tab until alice opens the conversation.
// A message to carol, offline with a push registration, wakes carol's device:
// the GUI posted the service's push pairs to the application server.
#include "GuiTestSupport.h"
#include "integration/flow/FlowHarness.h"
#include "softphone/SoftphoneApp.h"
#include "storage/MessageStore.h"
#include "ui/MainWindow.h"

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>

using namespace softphone;

class TestGuiMessages : public QObject
{
    Q_OBJECT

private:
    test::FlowHarness m_flow;
    test::ServerProcess &m_server = m_flow.server();
    std::unique_ptr<app::SoftphoneApp> m_app;
    std::unique_ptr<client::SoftphoneClient> m_bob;
    ui::MainWindow *window() const { return m_app->mainWindow(); }
    template<typename T> T *find(const char *name) const
    {
        return window()->findChild<T *>(QString::fromLatin1(name));
    }
    QString lastMessageLine() const
    {
        auto *list = find<QListWidget>("messageList");
        return list->count() > 0 ? list->item(list->count() - 1)->text() : QString();
    }
    QString conversationLabel(const QString &peer) const
    {
        auto *list = find<QListWidget>("conversationList");
        for (int i = 0; i < list->count(); ++i) {
            if (list->item(i)->data(Qt::UserRole).toString() == peer)
                return list->item(i)->text().section(QLatin1Char('\n'), 0, 0);
        }
        return {};
    }
    QString messagesTabText() const
    {
        auto *tabs = window()->findChild<QTabWidget *>();
        return tabs->tabText(int(ui::MainWindow::Tab::Messages));
    }

private slots:
    void initTestCase()
    {
        QString why;
        QVERIFY2(
            m_flow.start({QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("carol")},
                         &why),
            qPrintable(why));

        m_app = std::make_unique<app::SoftphoneApp>(app::AppOptions{});
        QVERIFY(m_app->start());
        QVERIFY(test::signInThroughWindow(*m_app, m_server.appServerUrl(), QStringLiteral("alice"),
                                          QStringLiteral("password-alice")));

        client::ClientCapabilities caps;
        caps.messaging = true;
        m_bob = m_flow.online(QStringLiteral("bob"), QStringLiteral("bob-desk"), caps);
        QVERIFY(m_bob);
    }

    void typedMessageArrivesAndIsMarkedDelivered()
    {
        window()->showTab(ui::MainWindow::Tab::Messages);
        auto *note = find<QLabel>("messagesNote");
        QVERIFY2(!note->text().contains(QStringLiteral("not available")), qPrintable(note->text()));

        QSignalSpy incoming(m_bob->messaging(), &client::Messaging::incomingMessage);
        // Typed, Enter sends, and the text box is empty again: taken.
        QVERIFY(
            test::typeMessage(window(), QStringLiteral("bob"), QStringLiteral("lunch at noon?")));

        QVERIFY2(incoming.count() > 0 || incoming.wait(15000), "bob never got the message");
        const auto message = incoming.takeFirst().at(0).value<client::InstantMessage>();
        QCOMPARE(message.from, QStringLiteral("alice"));
        QCOMPARE(message.text, QStringLiteral("lunch at noon?"));

        // Bob's client acked it: the sender's screen says so.
        QTRY_VERIFY_WITH_TIMEOUT(lastMessageLine().endsWith(QStringLiteral("[delivered]")), 15000);
        QVERIFY(lastMessageLine().contains(QStringLiteral("lunch at noon?")));
        QVERIFY(test::screenshot(window(), QStringLiteral("messages-delivered")).isEmpty());
    }

    void messageToUnknownUserIsMarkedNotSent()
    {
        auto *peer = find<QLineEdit>("newConversationEdit");
        peer->setFocus();
        QTest::keyClicks(peer, QStringLiteral("nobody-here"));
        QTest::keyClick(peer, Qt::Key_Return);
        auto *text = find<QLineEdit>("messageEdit");
        QTest::keyClicks(text, QStringLiteral("hello?"));
        QTest::keyClick(text, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(lastMessageLine().endsWith(QStringLiteral("[not sent]")), 15000);
    }

    void incomingMessageShowsWithUnreadCount()
    {
        // Alice is looking elsewhere: the message waits as unread.
        window()->showTab(ui::MainWindow::Tab::Dialer);
        QSignalSpy delivered(m_bob->messaging(), &client::Messaging::messageDelivered);
        const QString id = m_bob->messaging()->send({QStringLiteral("alice")},
                                                    QStringLiteral("yes, see you there"));

        QTRY_COMPARE_WITH_TIMEOUT(conversationLabel(QStringLiteral("bob")),
                                  QStringLiteral("bob (1 unread)"), 15000);
        QCOMPARE(messagesTabText(), QStringLiteral("&Messages (1)"));
        QCOMPARE(m_app->messages()->unreadCount(QStringLiteral("bob")), 1);
        // The GUI's client acknowledged it, so bob sees it delivered.
        QVERIFY(delivered.count() > 0 || delivered.wait(15000));
        QCOMPARE(delivered.first().at(0).toString(), id);

        // Alice opens the conversation: the text is there and nothing is unread.
        window()->showTab(ui::MainWindow::Tab::Messages);
        auto *peer = find<QLineEdit>("newConversationEdit");
        peer->setFocus();
        QTest::keyClicks(peer, QStringLiteral("bob"));
        QTest::keyClick(peer, Qt::Key_Return);
        QVERIFY(lastMessageLine().startsWith(QStringLiteral("bob, ")));
        QVERIFY(lastMessageLine().endsWith(QStringLiteral("yes, see you there")));
        QCOMPARE(conversationLabel(QStringLiteral("bob")), QStringLiteral("bob"));
        QCOMPARE(messagesTabText(), QStringLiteral("&Messages"));
    }

    void messageToOfflineUserWakesTheirDevice()
    {
        auto carolDevice =
            m_flow.registerPushDevice(QStringLiteral("carol"), QStringLiteral("carol-desk"));
        QVERIFY(carolDevice);
        QSignalSpy posted(m_app->pushPairSender(), &client::PushPairSender::posted);

        window()->showTab(ui::MainWindow::Tab::Messages);
        auto *peer = find<QLineEdit>("newConversationEdit");
        peer->setFocus();
        QTest::keyClicks(peer, QStringLiteral("carol"));
        QTest::keyClick(peer, Qt::Key_Return);
        auto *text = find<QLineEdit>("messageEdit");
        QTest::keyClicks(text, QStringLiteral("call me when you are back"));
        QTest::keyClick(text, Qt::Key_Return);

        // Carol's device is pushed (no text in the push: it fetches the message
        // when it connects); the message waits as "sent" until then.
        QVERIFY2(
            !test::FlowHarness::waitForPayload(*carolDevice, QStringLiteral("message")).isEmpty(),
            "carol's device got no push for the message");
        QTRY_VERIFY_WITH_TIMEOUT(lastMessageLine().endsWith(QStringLiteral("[sent]")), 15000);
        QVERIFY(posted.count() > 0 || posted.wait(15000));
        const auto outcomes = posted.first().at(1).value<QList<client::PushPairOutcome>>();
        QCOMPARE(outcomes.size(), 1);
        QCOMPARE(outcomes.first().device, QStringLiteral("carol-desk"));
        QCOMPARE(outcomes.first().outcome, QStringLiteral("delivered"));
    }

    void cleanupTestCase()
    {
        m_bob.reset();
        m_app.reset();
    }
};

SOFTPHONE_GUI_TEST_MAIN(TestGuiMessages)

#include "tst_gui_messages.moc"
