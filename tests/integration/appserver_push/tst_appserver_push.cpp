// POST /v1/push end to end: the calling service hands the caller a pair for an
// offline device whose push data is a real PushChannel subscription; the
// caller posts it to the application server, which sends the signed payload
// through the real push service to the device. Also: forged payloads, push
// data the server cannot open, dead subscriptions pruned, cancels after hangup.
#include "integration/calling/RawCallingClient.h"
#include "integration/push/PushTestDevice.h"
#include "protocol/Builders.h"
#include "support/ServerProcess.h"

#include "crypto/Base64Url.h"
#include "crypto/EcKey.h"
#include "crypto/Jwt.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <memory>

using namespace softphone;
using namespace softphone::test;

namespace {

std::unique_ptr<RawCallingClient> connectDevice(const ServerProcess &server, const QString &token,
                                                const QString &device)
{
    auto client = std::make_unique<RawCallingClient>();
    if (!client->open(server.callingUrl()))
        return nullptr;
    client->send(protocol::makeHello(token, device, {true, true, true}, QStringLiteral("raw-test"),
                                     QStringLiteral("hello-1")));
    if (client->waitFor(QStringLiteral("welcome")).isEmpty())
        return nullptr;
    return client;
}

// The JWT claims inside a {"softphone":"<payload>"} push body (unverified: only read).
QJsonObject payloadClaims(const QString &pushBody)
{
    const QString payload =
        QJsonDocument::fromJson(pushBody.toUtf8()).object().value(u"softphone").toString();
    return crypto::decodeJwtUnverified(payload).claims;
}

} // namespace

class TestAppServerPush : public QObject
{
    Q_OBJECT
private:
    ServerProcess m_server;
    QString m_alice, m_bob;
    QByteArray m_vapidKey;

    // bob's device's subscription, sealed as the real apps do.
    QByteArray webPushData(const push::PushSubscription &subscription, const QString &device)
    {
        return sealedPushData(m_server.http(), m_server.appServerUrl(), subscription,
                              QStringLiteral("bob"), device);
    }

    bool registerDevice(const QString &device, const QByteArray &data)
    {
        auto client = connectDevice(m_server, m_bob, device);
        if (!client)
            return false;
        client->send(protocol::makePushRegister(data, QStringLiteral("reg")));
        return client->waitFor(QStringLiteral("ok")).value(u"re").toString() ==
               QStringLiteral("reg");
    }

    // alice calls bob and returns the push she got (empty if none).
    QJsonObject callBob(RawCallingClient &alice, const QString &callId)
    {
        alice.send(protocol::makeCall(callId, QStringLiteral("bob")));
        return alice.waitFor(QStringLiteral("push"), 5000);
    }

    HttpReply postPairs(const QJsonObject &push, const QString &token)
    {
        QJsonObject body{{"pairs", push.value(u"pairs")}};
        if (push.contains(u"callId"))
            body.insert(QStringLiteral("callId"), push.value(u"callId"));
        else
            body.insert(QStringLiteral("messageId"), push.value(u"messageId"));
        return m_server.http().postJson(m_server.appServerUrl().resolved(QUrl("/v1/push")), body,
                                        {{"Authorization", "Bearer " + token.toLatin1()}});
    }

    static QJsonObject resultFor(const HttpReply &reply, const QString &device)
    {
        for (const QJsonValue &r : reply.json.value(u"results").toArray()) {
            if (r.toObject().value(u"device").toString() == device)
                return r.toObject();
        }
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString why;
        if (!keychainReachable(&why))
            QFAIL(qPrintable(why));
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        for (const char *user : {"alice", "bob"})
            QVERIFY(m_server.addUser(QString::fromLatin1(user), QStringLiteral("password-123")));
        m_alice = serviceToken(m_server, QStringLiteral("alice"));
        m_bob = serviceToken(m_server, QStringLiteral("bob"));
        const HttpReply keys =
            m_server.http().get(m_server.appServerUrl().resolved(QUrl("/v1/keys")));
        QCOMPARE(keys.status, 200);
        m_vapidKey = fromBase64Url(keys.json.value(u"vapidKey").toString().toLatin1())
                         .value_or(QByteArray());
        QCOMPARE(m_vapidKey.size(), 65);
    }

    void ringReachesThePushChannelAndCancelFollows()
    {
        PushTestDevice desk(m_server.pushWsUrl());
        QVERIFY(desk.startAndSubscribe(QStringLiteral("calls"), m_vapidKey));
        const QByteArray data = webPushData(desk.subscription(), QStringLiteral("desk"));
        QVERIFY(data.size() <= 1024);
        QVERIFY(registerDevice(QStringLiteral("desk"), data));

        auto alice = connectDevice(m_server, m_alice, QStringLiteral("laptop"));
        QVERIFY(alice);
        const QString callId = newCallId();
        const QJsonObject push = callBob(*alice, callId);
        QCOMPARE(push.value(u"callId").toString(), callId);
        const QString payload =
            push.value(u"pairs").toArray().at(0).toObject().value(u"payload").toString();
        const HttpReply reply = postPairs(push, m_alice);
        QCOMPARE(reply.status, 200);
        QCOMPARE(resultFor(reply, QStringLiteral("desk")).value(u"outcome").toString(),
                 QStringLiteral("delivered"));
        QTRY_COMPARE_WITH_TIMEOUT(desk.payloads().size(), 1, 10000);
        QCOMPARE(QJsonDocument::fromJson(desk.payloads().at(0).toUtf8()).object(),
                 (QJsonObject{{"softphone", payload}}));
        const QJsonObject ring = payloadClaims(desk.payloads().at(0));
        QCOMPARE(ring.value(u"t").toString(), QStringLiteral("call"));
        QCOMPARE(ring.value(u"from").toString(), QStringLiteral("alice"));

        // The caller gives up: the device gets a cancel for the same call.
        alice->send(protocol::makeHangup(callId));
        QCOMPARE(alice->waitFor(QStringLiteral("ended")).value(u"cause").toString(),
                 QStringLiteral("canceled"));
        QTRY_COMPARE_WITH_TIMEOUT(desk.payloads().size(), 2, 10000);
        const QJsonObject cancel = payloadClaims(desk.payloads().at(1));
        QCOMPARE(cancel.value(u"t").toString(), QStringLiteral("cancel"));
        QCOMPARE(cancel.value(u"id").toString(), callId);
        QVERIFY(registerDevice(QStringLiteral("desk"), "x")); // leave no live pair behind
    }

    void forgedOrForeignPayloadIsRefused()
    {
        push::PushSubscription never;
        never.endpoint = QUrl("http://127.0.0.1:9/never");
        never.p256dh = crypto::EcKey::generate().publicRaw();
        never.auth = QByteArray(16, 'a');
        QVERIFY(registerDevice(QStringLiteral("desk"), webPushData(never, QStringLiteral("desk"))));
        auto alice = connectDevice(m_server, m_alice, QStringLiteral("laptop"));
        QVERIFY(alice);
        const QString callId = newCallId();
        QJsonObject push = callBob(*alice, callId);
        QJsonArray pairs = push.value(u"pairs").toArray();
        QVERIFY(!pairs.isEmpty());
        QJsonObject pair = pairs.at(0).toObject();
        // Same claims, signed by someone else's key.
        const QJsonObject claims =
            crypto::decodeJwtUnverified(pair.value(u"payload").toString()).claims;
        pair.insert(QStringLiteral("payload"), crypto::signJwt(claims, crypto::EcKey::generate()));
        pairs.replace(0, pair);
        push.insert(QStringLiteral("pairs"), pairs);
        const HttpReply forged = postPairs(push, m_alice);
        QCOMPARE(forged.status, 400);
        QCOMPARE(forged.json.value(u"error").toString(), QStringLiteral("bad_request"));
        // A real payload posted by someone other than the caller.
        const HttpReply foreign = postPairs(callBob(*alice, newCallId()), m_bob);
        QCOMPARE(foreign.status, 403);
        // No token at all.
        QCOMPARE(m_server.http()
                     .postJson(m_server.appServerUrl().resolved(QUrl("/v1/push")), QJsonObject{})
                     .status,
                 401);
    }

    // Push data the server cannot open (plain JSON, not JSON) is a per-pair
    // "rejected", and nothing of its content comes back.
    void unreadablePushDataIsAPerPairOutcome()
    {
        QVERIFY(registerDevice(QStringLiteral("desk"), "{\"provider\":\"carrier-pigeon\"}"));
        QVERIFY(registerDevice(QStringLiteral("fax"), "not json at all"));
        auto alice = connectDevice(m_server, m_alice, QStringLiteral("laptop"));
        QVERIFY(alice);
        const HttpReply reply = postPairs(callBob(*alice, newCallId()), m_alice);
        QCOMPARE(reply.status, 200);
        const QJsonObject desk = resultFor(reply, QStringLiteral("desk"));
        QCOMPARE(desk.value(u"outcome").toString(), QStringLiteral("rejected"));
        QVERIFY(!reply.body.contains("carrier-pigeon"));
        const QJsonObject fax = resultFor(reply, QStringLiteral("fax"));
        QCOMPARE(fax.value(u"outcome").toString(), QStringLiteral("rejected"));
        // Clean up for the next test.
        auto desk2 = connectDevice(m_server, m_bob, QStringLiteral("desk"));
        auto fax2 = connectDevice(m_server, m_bob, QStringLiteral("fax"));
        desk2->send(protocol::makePushUnregister(QStringLiteral("u")));
        fax2->send(protocol::makePushUnregister(QStringLiteral("u")));
        QVERIFY(!desk2->waitFor(QStringLiteral("ok")).isEmpty());
        QVERIFY(!fax2->waitFor(QStringLiteral("ok")).isEmpty());
    }

    void goneSubscriptionIsPruned()
    {
        PushTestDevice old(m_server.pushWsUrl());
        QVERIFY(old.startAndSubscribe(QStringLiteral("calls"), m_vapidKey));
        const push::PushSubscription subscription = old.subscription();
        QVERIFY(registerDevice(QStringLiteral("old"),
                               webPushData(subscription, QStringLiteral("old"))));
        old.channel().unsubscribe(QStringLiteral("calls"));
        // The unsubscribe travels asynchronously; wait until the endpoint is gone.
        QTRY_VERIFY_WITH_TIMEOUT(sendPush(subscription, "probe", {60}).outcome ==
                                     push::WebPushResult::Outcome::Gone,
                                 10000);

        auto alice = connectDevice(m_server, m_alice, QStringLiteral("laptop"));
        QVERIFY(alice);
        const QString callId = newCallId();
        const QJsonObject push = callBob(*alice, callId);
        const HttpReply reply = postPairs(push, m_alice);
        QCOMPARE(reply.status, 200);
        QCOMPARE(resultFor(reply, QStringLiteral("old")).value(u"outcome").toString(),
                 QStringLiteral("gone"));
        alice->send(protocol::makeHangup(callId));
        // The registration is gone: the next call has nobody to push to.
        alice->send(protocol::makeCall(newCallId(), QStringLiteral("bob")));
        const QJsonObject ended = alice->waitFor(QStringLiteral("ended"));
        QCOMPARE(ended.value(u"cause").toString(), QStringLiteral("canceled"));
        const QJsonObject second = alice->waitFor(QStringLiteral("ended"));
        QCOMPARE(second.value(u"error").toObject().value(u"code").toString(),
                 QStringLiteral("no_device"));
        QVERIFY(!alice->hasReceived(QStringLiteral("push")));
    }
};

QTEST_GUILESS_MAIN(TestAppServerPush)
#include "tst_appserver_push.moc"
