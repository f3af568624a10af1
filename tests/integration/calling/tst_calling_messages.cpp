// Messages through a real service: online delivery with the delivered status,
// storage for offline recipients delivered once per device on their next
// connection, push pairs for registered offline devices, unknown recipients.
#include "RawCallingClient.h"
#include "protocol/Builders.h"
#include "support/ServerProcess.h"

#include <QJsonArray>
#include <QTest>
#include <memory>

using namespace softphone;
using namespace softphone::test;

namespace {

std::unique_ptr<RawCallingClient> connectDevice(const ServerProcess &server, const QString &token,
                                                const QString &device, bool push = false)
{
    auto client = std::make_unique<RawCallingClient>();
    if (!client->open(server.callingUrl()))
        return nullptr;
    client->send(protocol::makeHello(token, device, {true, true, push}, QStringLiteral("raw-test"),
                                     QStringLiteral("hello-1")));
    if (client->waitFor(QStringLiteral("welcome")).isEmpty())
        return nullptr;
    return client;
}

} // namespace

class TestCallingMessages : public QObject
{
    Q_OBJECT
private:
    ServerProcess m_server;
    QString m_alice, m_bob, m_carol;

    QString status(RawCallingClient &client, const QString &messageId, const QString &to)
    {
        const QJsonObject s = client.waitFor(QStringLiteral("message.status"));
        if (s.value(u"messageId").toString() != messageId || s.value(u"to").toString() != to)
            return QStringLiteral("<no status for %1>").arg(to);
        return s.value(u"status").toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        for (const char *user : {"alice", "bob", "carol", "dave"})
            QVERIFY(m_server.addUser(QString::fromLatin1(user), QStringLiteral("password-123")));
        m_alice = serviceToken(m_server, QStringLiteral("alice"));
        m_bob = serviceToken(m_server, QStringLiteral("bob"));
        m_carol = serviceToken(m_server, QStringLiteral("carol"));
    }

    void onlineDeliveryAndAck()
    {
        auto alice = connectDevice(m_server, m_alice, QStringLiteral("laptop"));
        auto bob = connectDevice(m_server, m_bob, QStringLiteral("phone"));
        QVERIFY(alice && bob);
        const QString id = newCallId();
        protocol::Headers headers;
        headers.insert(QStringLiteral("subject"), QStringLiteral("lunch"));
        alice->send(protocol::makeMessage(id, {QStringLiteral("bob")}, QStringLiteral("hi bob"),
                                          headers, QStringLiteral("m1")));
        QCOMPARE(alice->waitFor(QStringLiteral("ok")).value(u"re").toString(),
                 QStringLiteral("m1"));
        QCOMPARE(status(*alice, id, QStringLiteral("bob")), QStringLiteral("sent"));
        const QJsonObject incoming = bob->waitFor(QStringLiteral("message.incoming"));
        QCOMPARE(incoming.value(u"messageId").toString(), id);
        QCOMPARE(incoming.value(u"from").toString(), QStringLiteral("alice"));
        QCOMPARE(incoming.value(u"text").toString(), QStringLiteral("hi bob"));
        QCOMPARE(incoming.value(u"headers").toObject().value(u"subject").toString(),
                 QStringLiteral("lunch"));
        bob->send(protocol::makeMessageAck(id));
        QCOMPARE(status(*alice, id, QStringLiteral("bob")), QStringLiteral("delivered"));
        // A second ack changes nothing.
        bob->send(protocol::makeMessageAck(id));
        QVERIFY(caughtUp(*bob));
        QVERIFY(caughtUp(*alice));
        QVERIFY(!alice->hasReceived(QStringLiteral("message.status")));
        // Nothing is left over for bob's next connection.
        bob.reset();
        bob = connectDevice(m_server, m_bob, QStringLiteral("phone"));
        QVERIFY(bob && caughtUp(*bob));
        QVERIFY(!bob->hasReceived(QStringLiteral("message.incoming")));
    }

    void offlineRecipientGetsItOncePerDevice()
    {
        auto alice = connectDevice(m_server, m_alice, QStringLiteral("laptop"));
        QVERIFY(alice);
        const QString id = newCallId();
        alice->send(protocol::makeMessage(id, {QStringLiteral("carol"), QStringLiteral("nobody-x")},
                                          QStringLiteral("while you were out")));
        QCOMPARE(status(*alice, id, QStringLiteral("carol")), QStringLiteral("sent"));
        const QJsonObject failed = alice->waitFor(QStringLiteral("message.status"));
        QCOMPARE(failed.value(u"to").toString(), QStringLiteral("nobody-x"));
        QCOMPARE(failed.value(u"status").toString(), QStringLiteral("failed"));
        QCOMPARE(failed.value(u"error").toObject().value(u"code").toString(),
                 QStringLiteral("unknown_user"));
        QVERIFY(caughtUp(*alice));
        QVERIFY(!alice->hasReceived(QStringLiteral("push"))); // carol has no push data

        auto carol = connectDevice(m_server, m_carol, QStringLiteral("desk"));
        QVERIFY(carol);
        QCOMPARE(carol->waitFor(QStringLiteral("message.incoming")).value(u"text").toString(),
                 QStringLiteral("while you were out"));
        carol.reset();
        // The same device again: not twice (it has not acked yet).
        carol = connectDevice(m_server, m_carol, QStringLiteral("desk"));
        QVERIFY(carol && caughtUp(*carol));
        QVERIFY(!carol->hasReceived(QStringLiteral("message.incoming")));
        // Another device of carol's: it gets it too, once.
        auto carolPhone = connectDevice(m_server, m_carol, QStringLiteral("phone"));
        QVERIFY(carolPhone);
        QCOMPARE(
            carolPhone->waitFor(QStringLiteral("message.incoming")).value(u"messageId").toString(),
            id);
        carolPhone->send(protocol::makeMessageAck(id));
        QCOMPARE(status(*alice, id, QStringLiteral("carol")), QStringLiteral("delivered"));
    }

    void offlineRecipientWithPushDataIsPushed()
    {
        {
            auto desk = connectDevice(m_server, m_bob, QStringLiteral("desk"), true);
            QVERIFY(desk);
            desk->send(protocol::makePushRegister("bob-desk-data", QStringLiteral("reg")));
            QCOMPARE(desk->waitFor(QStringLiteral("ok")).value(u"re").toString(),
                     QStringLiteral("reg"));
        }
        auto alice = connectDevice(m_server, m_alice, QStringLiteral("laptop"));
        QVERIFY(alice);
        const QString id = newCallId();
        alice->send(protocol::makeMessage(id, {QStringLiteral("bob")}, QStringLiteral("ping")));
        QCOMPARE(status(*alice, id, QStringLiteral("bob")), QStringLiteral("sent"));
        const QJsonObject push = alice->waitFor(QStringLiteral("push"));
        QCOMPARE(push.value(u"messageId").toString(), id);
        QVERIFY(!push.contains(u"callId"));
        const QJsonArray pairs = push.value(u"pairs").toArray();
        QCOMPARE(pairs.size(), 1);
        QCOMPARE(pairs.at(0).toObject().value(u"device").toString(), QStringLiteral("desk"));
        QCOMPARE(
            QByteArray::fromBase64(pairs.at(0).toObject().value(u"pushData").toString().toLatin1()),
            QByteArray("bob-desk-data"));
        // The pushed device connects and finds the message waiting.
        auto desk = connectDevice(m_server, m_bob, QStringLiteral("desk"), true);
        QVERIFY(desk);
        QCOMPARE(desk->waitFor(QStringLiteral("message.incoming")).value(u"text").toString(),
                 QStringLiteral("ping"));
    }

    void messagingNeedsTheCapability()
    {
        auto client = std::make_unique<RawCallingClient>();
        QVERIFY(client->signIn(m_server.callingUrl(), m_alice, QStringLiteral("old")));
        client->send(protocol::makeMessage(newCallId(), {QStringLiteral("bob")},
                                           QStringLiteral("x"), {}, QStringLiteral("m")));
        QCOMPARE(client->waitFor(QStringLiteral("error")).value(u"code").toString(),
                 QStringLiteral("capability"));
    }
};

QTEST_GUILESS_MAIN(TestCallingMessages)
#include "tst_calling_messages.moc"
