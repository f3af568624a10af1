// Item 3 of issue #11, attacked on a real server: POST /v1/push, the Web Push fan-out, is
// no open forwarder. A push service the operator trusts (--push-allow) that answers with a
// redirect to a loopback trap is not followed (the trap sees nothing), and
// whatever text a push service answers never reaches the caller: the result
// is an outcome code. (An untrusted origin is never contacted at all:
// tst_pushpair_opaque.) The server's own push role still delivers.
#include "PushPairAttack.h"

using namespace pushpairtest;

class TestPushPairFanout : public QObject
{
    Q_OBJECT

private:
    HttpStandIn m_trap{"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"};
    std::unique_ptr<HttpStandIn> m_redirecting, m_chatty;
    std::unique_ptr<ServerProcess> m_server;

    // bob's device `name` is reached at `endpoint`; alice calls and posts the pair.
    HttpReply callBobAt(const QString &name, const QUrl &endpoint)
    {
        const QByteArray data =
            sealedPushData(m_server->http(), m_server->appServerUrl(), subscriptionAt(endpoint),
                           QStringLiteral("bob"), name);
        if (data.isEmpty() || !registerPushData(*m_server, QStringLiteral("bob"), name, data))
            return {};
        auto alice = connectDevice(*m_server, QStringLiteral("alice"), QStringLiteral("laptop"));
        if (!alice)
            return {};
        const HttpReply reply = postPairs(*m_server, callFor(*alice, QStringLiteral("bob")),
                                          serviceToken(*m_server, QStringLiteral("alice")));
        // Leave no registration behind for the next attack.
        auto device = connectDevice(*m_server, QStringLiteral("bob"), name);
        if (device) {
            device->send(protocol::makePushUnregister(QStringLiteral("u")));
            device->waitFor(QStringLiteral("ok"));
        }
        return reply;
    }

private slots:
    void initTestCase()
    {
        m_redirecting = std::make_unique<HttpStandIn>(
            "HTTP/1.1 302 Found\r\nLocation: " + m_trap.url(QStringLiteral("/stolen")).toEncoded() +
            "\r\nContent-Length: 0\r\n\r\n");
        m_chatty = std::make_unique<HttpStandIn>(
            "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 33\r\n\r\n"
            "SECRET-TEXT-OF-THE-PUSH-SERVICE!!");
        m_server = std::make_unique<ServerProcess>(
            QStringList{QStringLiteral("--push-allow"), m_redirecting->origin(),
                        QStringLiteral("--push-allow"), m_chatty->origin()});
        QVERIFY2(m_server->start(), qPrintable(m_server->lastError()));
        for (const char *user : {"alice", "bob"})
            QVERIFY(m_server->addUser(QLatin1String(user), QStringLiteral("password-123")));
    }

    void redirectIsNotFollowed()
    {
        const HttpReply reply =
            callBobAt(QStringLiteral("desk"), m_redirecting->url(QStringLiteral("/push/1")));
        QCOMPARE(reply.status, 200);
        QCOMPARE(resultFor(reply, QStringLiteral("desk")).value(u"outcome").toString(),
                 QStringLiteral("rejected"));
        QCOMPARE(m_redirecting->requests, 1); // trusted: it was asked
        QCOMPARE(m_trap.connections, 0);      // its redirect was not followed
    }

    void remoteTextNeverReachesTheCaller()
    {
        const HttpReply reply =
            callBobAt(QStringLiteral("desk"), m_chatty->url(QStringLiteral("/push/2")));
        QCOMPARE(reply.status, 200);
        QCOMPARE(m_chatty->requests, 1);
        const QJsonObject result = resultFor(reply, QStringLiteral("desk"));
        QCOMPARE(result.value(u"outcome").toString(), QStringLiteral("rejected"));
        QVERIFY2(!reply.body.contains("SECRET"), reply.body.constData());
        QCOMPARE(result.keys(), (QStringList{QStringLiteral("device"), QStringLiteral("outcome")}));
    }

    // The server's own push role is trusted without any option.
    void ownPushServiceStillDelivers()
    {
        QString why;
        QVERIFY2(keychainReachable(&why), qPrintable(why));
        const HttpReply keys =
            m_server->http().get(m_server->appServerUrl().resolved(QUrl("/v1/keys")));
        PushTestDevice desk(m_server->pushWsUrl());
        QVERIFY(desk.startAndSubscribe(
            QStringLiteral("softphone"),
            fromBase64Url(keys.json.value(u"vapidKey").toString().toLatin1()).value_or("")));
        const HttpReply reply = callBobAt(QStringLiteral("desk"), desk.subscription().endpoint);
        QCOMPARE(reply.status, 200);
        QCOMPARE(resultFor(reply, QStringLiteral("desk")).value(u"outcome").toString(),
                 QStringLiteral("delivered"));
        QCOMPARE(m_trap.connections, 0);
    }
};

QTEST_GUILESS_MAIN(TestPushPairFanout)
#include "tst_pushpair_fanout.moc"
