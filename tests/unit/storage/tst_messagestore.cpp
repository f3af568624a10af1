// Messages by conversation: unread counts, delivery marks that only move forward,
// a redelivered message shown once.
#include "storage/Database.h"
#include "storage/MessageStore.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace softphone::storage;

class TestMessageStore : public QObject
{
    Q_OBJECT

private slots:
    void unreadUntilOpened()
    {
        QTemporaryDir dir;
        Database db(dir.filePath(QStringLiteral("m.sqlite")));
        QVERIFY(db.open());
        MessageStore store(db);
        QSignalSpy unreadSpy(&store, &MessageStore::unreadCountChanged);
        const QDateTime t0 = QDateTime::currentDateTimeUtc();
        QVERIFY(store.addIncoming(QStringLiteral("m1"), QStringLiteral("bob"), QStringLiteral("hi"),
                                  t0));
        QVERIFY(store.addIncoming(QStringLiteral("m2"), QStringLiteral("bob"),
                                  QStringLiteral("there"), t0.addSecs(1)));
        QVERIFY(store.addIncoming(QStringLiteral("m3"), QStringLiteral("carol"),
                                  QStringLiteral("yo"), t0.addSecs(2)));
        // The same message delivered again is not a new one.
        QVERIFY(!store.addIncoming(QStringLiteral("m1"), QStringLiteral("bob"),
                                   QStringLiteral("hi"), t0));
        QCOMPARE(store.unreadCount(QStringLiteral("bob")), 2);
        QCOMPARE(store.totalUnread(), 3);
        QCOMPARE(unreadSpy.last().at(0).toInt(), 3);

        const auto conversations = store.conversations();
        QCOMPARE(conversations.size(), 2);
        QCOMPARE(conversations[0].peer, QStringLiteral("carol"));
        QCOMPARE(conversations[1].peer, QStringLiteral("bob"));
        QCOMPARE(conversations[1].unread, 2);
        QCOMPARE(conversations[1].lastText, QStringLiteral("there"));

        store.markRead(QStringLiteral("bob"));
        QCOMPARE(store.unreadCount(QStringLiteral("bob")), 0);
        QCOMPARE(store.totalUnread(), 1);
        QCOMPARE(unreadSpy.last().at(0).toInt(), 1);
    }

    void deliveryMarksMoveForward()
    {
        QTemporaryDir dir;
        Database db(dir.filePath(QStringLiteral("m.sqlite")));
        QVERIFY(db.open());
        MessageStore store(db);
        QVERIFY(store.addOutgoing(QStringLiteral("o1"), QStringLiteral("bob"),
                                  QStringLiteral("hello")));
        QCOMPARE(store.messages(QStringLiteral("bob")).at(0).status, ChatMessage::Status::Pending);
        QVERIFY(store.setStatus(QStringLiteral("o1"), ChatMessage::Status::Delivered));
        // A late "sent" does not undo "delivered".
        QVERIFY(!store.setStatus(QStringLiteral("o1"), ChatMessage::Status::Sent));
        const auto messages = store.messages(QStringLiteral("bob"));
        QCOMPARE(messages.size(), 1);
        QVERIFY(messages[0].outgoing);
        QCOMPARE(messages[0].status, ChatMessage::Status::Delivered);
        QCOMPARE(store.totalUnread(), 0); // our own messages are never unread
        QVERIFY(!store.setStatus(QStringLiteral("nope"), ChatMessage::Status::Sent));
        QVERIFY(!store.addOutgoing(QStringLiteral("o2"), QStringLiteral("bob"), QString()));
    }
};

QTEST_GUILESS_MAIN(TestMessageStore)
#include "tst_messagestore.moc"
