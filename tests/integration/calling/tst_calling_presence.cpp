// Presence through a real service (docs/protocol.md "Presence"): a subscriber
// sees its contacts come online, set do not disturb and go offline; users it
// did not subscribe to stay private; a new list replaces the old one; lists
// over kMaxPresenceUsers are refused; a flapping device is folded into few events;
// a device that closes its connection is offline at once.
#include "RawCallingClient.h"
#include "protocol/Builders.h"
#include "protocol/Limits.h"
#include "support/ServerProcess.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTest>
#include <memory>

using namespace softphone;
using namespace softphone::test;
using protocol::PresenceStatus;

class TestCallingPresence : public QObject
{
    Q_OBJECT
private:
    ServerProcess m_server;
    QHash<QString, QString> m_tokens;

    std::unique_ptr<RawCallingClient> device(const QString &user, const QString &name,
                                             bool calling = true)
    {
        auto client = std::make_unique<RawCallingClient>();
        if (!client->signIn(m_server.callingUrl(), m_tokens.value(user), name, calling))
            return nullptr;
        return client;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        for (const char *user : {"alice", "bob", "carol", "dave", "erin"}) {
            const QString name = QString::fromLatin1(user);
            QVERIFY(m_server.addUser(name, QStringLiteral("password-123")));
            m_tokens.insert(name, serviceToken(m_server, name));
        }
    }

    void onlineDndOffline()
    {
        auto alice = device(QStringLiteral("alice"), QStringLiteral("laptop"));
        QVERIFY(alice);
        QVERIFY(presenceSubscribed(*alice, {QStringLiteral("bob"), QStringLiteral("nobody-here")}));
        QVERIFY(caughtUp(*alice));
        QCOMPARE(presenceEvents(*alice), 0); // everyone offline: no event

        auto bob = device(QStringLiteral("bob"), QStringLiteral("phone"));
        QVERIFY(bob);
        QCOMPARE(nextPresence(*alice), QStringLiteral("bob online"));

        bob->send(protocol::makePresenceSet(PresenceStatus::DoNotDisturb, QStringLiteral("d1")));
        QCOMPARE(bob->waitFor(QStringLiteral("ok")).value(u"re").toString(), QStringLiteral("d1"));
        QCOMPARE(nextPresence(*alice), QStringLiteral("bob dnd"));

        // A second device of bob that takes calls makes him reachable again.
        auto bobDesk = device(QStringLiteral("bob"), QStringLiteral("desk"));
        QVERIFY(bobDesk);
        QCOMPARE(nextPresence(*alice), QStringLiteral("bob online"));
        bobDesk.reset();
        QCOMPARE(nextPresence(*alice), QStringLiteral("bob dnd"));

        bob->send(protocol::makePresenceSet(PresenceStatus::Online));
        QCOMPARE(nextPresence(*alice), QStringLiteral("bob online"));
        bob.reset();
        QCOMPARE(nextPresence(*alice), QStringLiteral("bob offline"));
    }

    // A device that closes its connection (QWebSocket's close: the close frame, then
    // the TCP close) is offline at once, not at a keepalive timeout: a call placed
    // right after it does not ring the device that left (it would ring nothing until
    // the ring timeout) but ends with no_device, and a watcher sees it offline within
    // a second. Several rounds: the close and the call reach the server together.
    void closedDeviceIsOfflineAtOnce()
    {
        auto alice = device(QStringLiteral("alice"), QStringLiteral("laptop"));
        QVERIFY(alice && presenceSubscribed(*alice, {QStringLiteral("erin")}));
        for (int round = 0; round < 3; ++round) {
            auto erin = device(QStringLiteral("erin"), QStringLiteral("phone"));
            QVERIFY(erin);
            QCOMPARE(nextPresence(*alice), QStringLiteral("erin online"));
            // Past the feed's coalescing period, so the offline event is due at once.
            QTest::qWait(protocol::kPresenceCoalesceMs + 100);
            erin.reset(); // closes the connection, as an app that quits does
            QElapsedTimer sinceClose;
            sinceClose.start();
            const QString callId = newCallId();
            alice->send(protocol::makeCall(callId, QStringLiteral("erin")));
            const QJsonObject ended = alice->waitFor(QStringLiteral("ended"), 5000);
            QVERIFY2(!ended.isEmpty(), "the call rang the device that had left");
            QCOMPARE(ended.value(u"callId").toString(), callId);
            QCOMPARE(ended.value(u"error").toObject().value(u"code").toString(),
                     QStringLiteral("no_device"));
            QCOMPARE(nextPresence(*alice, 1000), QStringLiteral("erin offline"));
            qInfo() << "round" << round << ": offline seen" << sinceClose.elapsed()
                    << "ms after the close";
        }
    }

    void snapshotOnSubscribe()
    {
        auto bob = device(QStringLiteral("bob"), QStringLiteral("phone"));
        auto carol = device(QStringLiteral("carol"), QStringLiteral("desk"));
        QVERIFY(bob && carol);
        carol->send(protocol::makePresenceSet(PresenceStatus::DoNotDisturb));
        QVERIFY(caughtUp(*carol));
        auto alice = device(QStringLiteral("alice"), QStringLiteral("laptop"));
        QVERIFY(alice);
        QVERIFY(presenceSubscribed(
            *alice, {QStringLiteral("bob"), QStringLiteral("carol"), QStringLiteral("dave")}));
        QVERIFY(caughtUp(*alice));
        QStringList seen;
        for (int i = 0; i < 2; ++i)
            seen << nextPresence(*alice, 1000);
        seen.sort();
        QCOMPARE(seen, (QStringList{QStringLiteral("bob online"), QStringLiteral("carol dnd")}));
        QCOMPARE(presenceEvents(*alice), 0); // dave is offline: nothing about him
    }

    void othersStayPrivateAndListsReplace()
    {
        auto alice = device(QStringLiteral("alice"), QStringLiteral("laptop"));
        QVERIFY(alice);
        QVERIFY(presenceSubscribed(*alice, {QStringLiteral("bob")}));
        auto carol = device(QStringLiteral("carol"), QStringLiteral("desk"));
        auto bob = device(QStringLiteral("bob"), QStringLiteral("phone"));
        QVERIFY(carol && bob);
        QCOMPARE(nextPresence(*alice), QStringLiteral("bob online"));
        // Replace, not append: bob is no longer watched, carol is.
        QVERIFY(presenceSubscribed(*alice, {QStringLiteral("carol")}));
        QCOMPARE(nextPresence(*alice), QStringLiteral("carol online"));
        bob.reset();
        carol->send(protocol::makePresenceSet(PresenceStatus::DoNotDisturb));
        QCOMPARE(nextPresence(*alice), QStringLiteral("carol dnd"));
        QTest::qWait(protocol::kPresenceCoalesceMs + 300);
        QVERIFY(caughtUp(*alice));
        for (const QJsonObject &message : alice->received())
            QVERIFY2(message.value(u"user").toString() != QStringLiteral("bob"),
                     "an event about a user no longer subscribed to");
        // An empty list watches nobody.
        QVERIFY(presenceSubscribed(*alice, {}));
        carol.reset();
        QTest::qWait(protocol::kPresenceCoalesceMs + 300);
        QVERIFY(caughtUp(*alice));
        QCOMPARE(presenceEvents(*alice), 0);
    }

    void overLongListRefused()
    {
        auto alice = device(QStringLiteral("alice"), QStringLiteral("laptop"));
        QVERIFY(alice);
        QStringList users;
        for (int i = 0; i <= protocol::kMaxPresenceUsers; ++i)
            users << QStringLiteral("user%1").arg(i);
        alice->send(protocol::makePresenceSubscribe(users, QStringLiteral("long")));
        const QJsonObject error = alice->waitFor(QStringLiteral("error"));
        QCOMPARE(error.value(u"re").toString(), QStringLiteral("long"));
        QCOMPARE(error.value(u"code").toString(), QStringLiteral("bad_request"));
        // The largest allowed list is fine.
        users.removeLast();
        QVERIFY(presenceSubscribed(*alice, users));
    }

    void subscribeRequestsAreLimited()
    {
        auto alice = device(QStringLiteral("alice"), QStringLiteral("tablet"));
        QVERIFY(alice);
        for (int i = 0; i < protocol::kPresenceSubscribesPerMinute; ++i)
            QVERIFY(presenceSubscribed(*alice, {QStringLiteral("bob")}));
        alice->send(protocol::makePresenceSubscribe({QStringLiteral("carol")},
                                                    QStringLiteral("one-too-many")));
        const QJsonObject error = alice->waitFor(QStringLiteral("error"));
        QCOMPARE(error.value(u"re").toString(), QStringLiteral("one-too-many"));
        QCOMPARE(error.value(u"code").toString(), QStringLiteral("rate_limited"));
        // The connection stays, and so does the list it had.
        auto bob = device(QStringLiteral("bob"), QStringLiteral("phone"));
        QVERIFY(bob);
        QCOMPARE(nextPresence(*alice), QStringLiteral("bob online"));
    }

    void agentIsNotPresent()
    {
        auto alice = device(QStringLiteral("alice"), QStringLiteral("laptop"));
        QVERIFY(alice && presenceSubscribed(*alice, {QStringLiteral("dave")}));
        // The tray agent of dave (no calling capability) keeps push alive but takes no calls.
        auto agent = device(QStringLiteral("dave"), QStringLiteral("desk"), false);
        QVERIFY(agent);
        agent->send(protocol::makePresenceSet(PresenceStatus::DoNotDisturb, QStringLiteral("a")));
        const QJsonObject error = agent->waitFor(QStringLiteral("error"));
        QCOMPARE(error.value(u"code").toString(), QStringLiteral("capability"));
        QTest::qWait(protocol::kPresenceCoalesceMs + 300);
        QVERIFY(caughtUp(*alice));
        QCOMPARE(presenceEvents(*alice), 0);
    }

    void flappingIsCoalesced()
    {
        auto alice = device(QStringLiteral("alice"), QStringLiteral("laptop"));
        QVERIFY(alice && presenceSubscribed(*alice, {QStringLiteral("bob")}));
        auto bob = device(QStringLiteral("bob"), QStringLiteral("phone"));
        QVERIFY(bob);
        QCOMPARE(nextPresence(*alice), QStringLiteral("bob online"));
        QElapsedTimer elapsed;
        elapsed.start();
        constexpr int kFlips = 40;
        for (int i = 0; i < kFlips; ++i) {
            bob->send(protocol::makePresenceSet(i % 2 == 0 ? PresenceStatus::DoNotDisturb
                                                           : PresenceStatus::Online));
            QTest::qWait(5);
        }
        bob->send(protocol::makePresenceSet(PresenceStatus::DoNotDisturb, QStringLiteral("last")));
        bool lastAnswered = false;
        for (int i = 0; i <= kFlips && !lastAnswered; ++i)
            lastAnswered = bob->waitFor(QStringLiteral("ok")).value(u"re").toString() ==
                           QStringLiteral("last");
        QVERIFY(lastAnswered);
        // The last status arrives; in between at most one event a coalescing period.
        QTRY_VERIFY_WITH_TIMEOUT(!alice->received().isEmpty() &&
                                     alice->received().constLast().value(u"status").toString() ==
                                         QStringLiteral("dnd"),
                                 10000);
        const qint64 periods = elapsed.elapsed() / protocol::kPresenceCoalesceMs + 2;
        qInfo() << kFlips << "flips in" << elapsed.elapsed() << "ms gave" << presenceEvents(*alice)
                << "events";
        QVERIFY(presenceEvents(*alice) <= periods);
        QVERIFY(presenceEvents(*alice) < kFlips / 2);
    }
};

QTEST_GUILESS_MAIN(TestCallingPresence)
#include "tst_calling_presence.moc"
