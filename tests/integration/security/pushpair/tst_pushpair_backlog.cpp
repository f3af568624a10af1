// Item 4 of issue #11, attacked on a real server: while bob's device is
// offline, mallory floods it with messages and calls so the push service's
// backlog (lowered to 5 here with --set push.backlog_cap) would drop alice's
// earlier message push. The application server gives each caller's message
// pushes one Topic per device, so a caller's newer message push replaces her
// older one, and holds at most N of a caller's rings per device (lowered to 2
// with --set appserver.held_calls_per_device; the others are "retry_later"):
// when the device comes online, alice's push is still there (and so is
// mallory's latest message).
#include "PushPairAttack.h"

using namespace pushpairtest;

class TestPushPairBacklog : public QObject
{
    Q_OBJECT

private slots:
    void strangerCannotEmptyTheBacklog()
    {
        QString why;
        QVERIFY2(keychainReachable(&why), qPrintable(why));
        ServerProcess server({QStringLiteral("--set"), QStringLiteral("push.backlog_cap=5"),
                              QStringLiteral("--set"),
                              QStringLiteral("appserver.held_calls_per_device=2")});
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        for (const char *user : {"alice", "bob", "mallory"})
            QVERIFY(server.addUser(QLatin1String(user), QStringLiteral("password-123")));
        const HttpReply keys = server.http().get(server.appServerUrl().resolved(QUrl("/v1/keys")));
        PushTestDevice desk(server.pushWsUrl());
        QVERIFY(desk.startAndSubscribe(
            QStringLiteral("softphone"),
            fromBase64Url(keys.json.value(u"vapidKey").toString().toLatin1()).value_or("")));
        const QByteArray data =
            sealedPushData(server.http(), server.appServerUrl(), desk.subscription(),
                           QStringLiteral("bob"), QStringLiteral("desk"));
        QVERIFY(registerPushData(server, QStringLiteral("bob"), QStringLiteral("desk"), data));
        desk.channel().stop(); // bob's machine sleeps

        auto alice = connectDevice(server, QStringLiteral("alice"), QStringLiteral("a"));
        auto mallory = connectDevice(server, QStringLiteral("mallory"), QStringLiteral("m"));
        QVERIFY(alice && mallory);
        const QJsonObject fromAlice =
            messageFor(*alice, QStringLiteral("bob"), QStringLiteral("hi"));
        HttpReply reply =
            postPairs(server, fromAlice, serviceToken(server, QStringLiteral("alice")));
        QCOMPARE(resultFor(reply, QStringLiteral("desk")).value(u"outcome").toString(),
                 QStringLiteral("delivered"));
        const QString token = serviceToken(server, QStringLiteral("mallory"));
        QJsonObject last;
        for (int i = 0; i < 12; ++i) { // over twice the cap
            last = messageFor(*mallory, QStringLiteral("bob"), QStringLiteral("spam %1").arg(i));
            reply = postPairs(server, last, token);
            QCOMPARE(resultFor(reply, QStringLiteral("desk")).value(u"outcome").toString(),
                     QStringLiteral("delivered"));
        }
        QStringList callOutcomes;
        // Four calls: as many as one connection may have ringing (too_many_calls past it).
        for (int i = 0; i < 4; ++i) {
            reply = postPairs(server, callFor(*mallory, QStringLiteral("bob")), token);
            callOutcomes << resultFor(reply, QStringLiteral("desk")).value(u"outcome").toString();
        }
        QCOMPARE(callOutcomes.count(QStringLiteral("delivered")), 2);
        QCOMPARE(callOutcomes.count(QStringLiteral("retry_later")), 2);

        desk.channel().start(); // bob's machine wakes up
        auto payloadOf = [](const QJsonObject &push) {
            return push.value(u"pairs").toArray().at(0).toObject().value(u"payload").toString();
        };
        auto holds = [&desk](const QString &payload) {
            for (const QString &body : desk.payloads())
                if (body.contains(payload))
                    return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(holds(payloadOf(last)), 15000);
        QVERIFY2(holds(payloadOf(fromAlice)), "mallory's flood dropped alice's message push");
        QVERIFY(desk.payloads().size() <= 5);
    }
};

QTEST_GUILESS_MAIN(TestPushPairBacklog)
#include "tst_pushpair_backlog.moc"
