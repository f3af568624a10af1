// Issue #11 item 12, attacked on a real softphone-server: strangers fill an
// offline user's message store without bound, and a device with a large
// backlog got all of it in one go at welcome, ahead of anything else on its
// connection. See docs/security.md "Calling service".
#include "AttackSetup.h"
#include "protocol/Builders.h"
#include "protocol/Limits.h"

#include <QTest>
#include <memory>

using namespace softphone;
using namespace softphone::test;

namespace {

constexpr protocol::Capabilities kMessaging{false, true, false};

// The recipient's status for each message id, once every id has one.
QHash<QString, QJsonObject> statuses(RawCallingClient &sender, const QStringList &ids)
{
    QHash<QString, QJsonObject> result;
    QDeadlineTimer deadline(20000);
    while (result.size() < ids.size() && !deadline.hasExpired()) {
        const QJsonObject status = sender.waitFor(QStringLiteral("message.status"), 1000);
        if (!status.isEmpty())
            result.insert(status.value(u"messageId").toString(), status);
    }
    return result;
}

} // namespace

class TestSecurityCallingMailbox : public CallingAttack
{
    Q_OBJECT
private:
    const QStringList m_users{"alice", "bob", "carol", "dave"};

    // `count` messages of `text` from `sender` to bob; their ids in order.
    static QStringList sendToBob(RawCallingClient &sender, int count, const QString &text)
    {
        QStringList ids;
        for (int i = 0; i < count; ++i) {
            ids << newCallId();
            sender.send(protocol::makeMessage(ids.last(), {QStringLiteral("bob")}, text));
        }
        return ids;
    }

private Q_SLOTS:
    void cleanup() { m_server.reset(); }

    // Lowered quota: 8 messages / 40000 bytes pending for bob, a quarter of it
    // per sender. alice's 3rd message and dave's 2nd large one are refused with
    // a failed status (quota_exceeded); carol still reaches bob, and bob gets
    // every stored message, nothing else lost.
    void recipientQuotaRefusesClearly()
    {
        QVERIFY(startServer(m_users, {QStringLiteral("--set"),
                                      QStringLiteral("calling.max_pending_messages=8"),
                                      QStringLiteral("--set"),
                                      QStringLiteral("calling.max_pending_message_bytes=40000")}));
        auto alice = signIn(QStringLiteral("alice"), QStringLiteral("laptop"), kMessaging);
        auto carol = signIn(QStringLiteral("carol"), QStringLiteral("desk"), kMessaging);
        auto dave = signIn(QStringLiteral("dave"), QStringLiteral("desk"), kMessaging);
        QVERIFY(alice && carol && dave);

        const QStringList fromAlice = sendToBob(*alice, 3, QStringLiteral("hi"));
        const auto aliceStatus = statuses(*alice, fromAlice);
        QCOMPARE(aliceStatus.size(), 3);
        QCOMPARE(aliceStatus[fromAlice[0]].value(u"status").toString(), QStringLiteral("sent"));
        QCOMPARE(aliceStatus[fromAlice[1]].value(u"status").toString(), QStringLiteral("sent"));
        const QJsonObject refused = aliceStatus[fromAlice[2]];
        QCOMPARE(refused.value(u"status").toString(), QStringLiteral("failed"));
        QCOMPARE(refused.value(u"error").toObject().value(u"code").toString(),
                 QStringLiteral("quota_exceeded"));

        const QString big(8000, u'x'); // a share is 10000 bytes: one fits, two do not
        const QStringList fromDave = sendToBob(*dave, 2, big);
        const auto daveStatus = statuses(*dave, fromDave);
        QCOMPARE(daveStatus[fromDave[0]].value(u"status").toString(), QStringLiteral("sent"));
        QCOMPARE(daveStatus[fromDave[1]].value(u"error").toObject().value(u"code").toString(),
                 QStringLiteral("quota_exceeded"));

        const QStringList fromCarol = sendToBob(*carol, 1, QStringLiteral("still there?"));
        QCOMPARE(statuses(*carol, fromCarol)[fromCarol[0]].value(u"status").toString(),
                 QStringLiteral("sent"));

        auto bob = signIn(QStringLiteral("bob"), QStringLiteral("phone"), kMessaging);
        QVERIFY(bob);
        const QStringList expected{fromAlice[0], fromAlice[1], fromDave[0], fromCarol[0]};
        QStringList got;
        for (int i = 0; i < expected.size(); ++i)
            got << bob->waitFor(QStringLiteral("message.incoming")).value(u"messageId").toString();
        QCOMPARE(got, expected);
        QTest::qWait(200);
        QVERIFY(!bob->hasReceived(QStringLiteral("message.incoming")));
    }

    // bob has 210 stored messages. He sends hello and a request in one write:
    // the request's reply must not wait behind the whole backlog (before the
    // fix every stored message was written before the service read anything
    // else), and each message still arrives exactly once.
    void backlogAtWelcomeIsPaced()
    {
        QVERIFY(startServer(m_users));
        constexpr int kPerSender = 70; // within each sender's burst of 100 messages
        QStringList all;
        for (const QString &user :
             {QStringLiteral("alice"), QStringLiteral("carol"), QStringLiteral("dave")}) {
            auto sender = signIn(user, QStringLiteral("desk"), kMessaging);
            QVERIFY(sender);
            const QStringList ids = sendToBob(*sender, kPerSender, QStringLiteral("backlog"));
            const auto status = statuses(*sender, ids);
            QCOMPARE(status.size(), kPerSender);
            for (const QJsonObject &s : status)
                QCOMPARE(s.value(u"status").toString(), QStringLiteral("sent"));
            all << ids;
        }
        QVERIFY(all.size() > 2 * protocol::kPendingDeliveryBatch);

        RawCallingClient bob;
        QVERIFY(bob.open(m_server->callingUrl()));
        // No flush in between: both frames leave in one write.
        bob.socket().sendTextMessage(protocol::toText(protocol::makeHello(
            serviceToken(*m_server, QStringLiteral("bob")), QStringLiteral("phone"), kMessaging,
            QStringLiteral("raw-test"), QStringLiteral("hello-1"))));
        bob.socket().sendTextMessage(
            protocol::toText(protocol::makeMessageAck(newCallId(), QStringLiteral("probe"))));
        QDeadlineTimer deadline(20000);
        auto incomingCount = [&] {
            int n = 0;
            for (const QJsonObject &m : bob.received())
                n += m.value(u"type").toString() == u"message.incoming";
            return n;
        };
        while (incomingCount() < all.size() && !deadline.hasExpired())
            QTest::qWait(20);
        QTest::qWait(200); // any duplicate would come now

        qsizetype probeAt = -1, lastIncomingAt = -1;
        QStringList got;
        for (qsizetype i = 0; i < bob.received().size(); ++i) {
            const QJsonObject &m = bob.received()[i];
            if (m.value(u"type").toString() == u"ok" && m.value(u"re").toString() == u"probe")
                probeAt = i;
            if (m.value(u"type").toString() == u"message.incoming") {
                lastIncomingAt = i;
                got << m.value(u"messageId").toString();
            }
        }
        QCOMPARE(got.size(), all.size());
        QCOMPARE(QSet<QString>(got.cbegin(), got.cend()), QSet<QString>(all.cbegin(), all.cend()));
        QVERIFY(probeAt >= 0);
        qInfo("the probe's reply came as message %lld of %lld", qlonglong(probeAt),
              qlonglong(bob.received().size()));
        QVERIFY2(probeAt < lastIncomingAt, "the reply waited behind the whole backlog");
    }
};

QTEST_MAIN(TestSecurityCallingMailbox)
#include "tst_sec_calling_mailbox.moc"
