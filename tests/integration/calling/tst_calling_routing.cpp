// The call model of the service, seen by raw clients: every online device
// rings, the first answer wins, and every party gets exactly one `ended` with
// the cause a user would expect.
#include "RawCallingClient.h"
#include "protocol/Builders.h"
#include "support/ServerProcess.h"

#include <QTest>
#include <memory>

using namespace softphone;
using namespace softphone::test;

class TestCallingRouting : public QObject
{
    Q_OBJECT
private:
    ServerProcess m_server;
    QString m_alice, m_bob;

    std::unique_ptr<RawCallingClient> signIn(const QString &token, const QString &device)
    {
        return RawCallingClient::signedIn(m_server.callingUrl(), token, device);
    }

    static QString cause(RawCallingClient &client, const QString &callId)
    {
        return client.endCause(callId);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        for (const char *user : {"alice", "bob", "carol"})
            QVERIFY(m_server.addUser(QString::fromLatin1(user), QStringLiteral("password-123")));
        m_alice = serviceToken(m_server, QStringLiteral("alice"));
        m_bob = serviceToken(m_server, QStringLiteral("bob"));
        QVERIFY(!m_alice.isEmpty() && !m_bob.isEmpty());
    }

    void firstAnswerWins()
    {
        auto alice = signIn(m_alice, QStringLiteral("laptop"));
        auto bob1 = signIn(m_bob, QStringLiteral("desk"));
        auto bob2 = signIn(m_bob, QStringLiteral("phone"));
        QVERIFY(alice && bob1 && bob2);
        const QString callId = newCallId();
        protocol::Headers headers;
        headers.insert(QStringLiteral("subject"), QStringLiteral("lunch"));
        alice->send(
            protocol::makeCall(callId, QStringLiteral("bob"), headers, false, QStringLiteral("2")));
        QCOMPARE(alice->waitFor(QStringLiteral("ok")).value(u"re").toString(), QStringLiteral("2"));
        for (RawCallingClient *bob : {bob1.get(), bob2.get()}) {
            const QJsonObject incoming = bob->waitFor(QStringLiteral("incoming"));
            QCOMPARE(incoming.value(u"callId").toString(), callId);
            QCOMPARE(incoming.value(u"headers").toObject().value(u"subject").toString(),
                     QStringLiteral("lunch"));
        }
        bob1->send(protocol::makeRinging(callId));
        QCOMPARE(alice->waitFor(QStringLiteral("progress")).value(u"callId").toString(), callId);
        bob2->send(protocol::makeAnswer(callId));
        QCOMPARE(alice->waitFor(QStringLiteral("established")).value(u"device").toString(),
                 QStringLiteral("phone"));
        QCOMPARE(bob2->waitFor(QStringLiteral("established")).value(u"device").toString(),
                 QStringLiteral("phone"));
        QCOMPARE(cause(*bob1, callId), QStringLiteral("other_device_answered"));
        // The losing device can no longer answer.
        bob1->send(protocol::makeAnswer(callId, QStringLiteral("late")));
        QCOMPARE(bob1->waitFor(QStringLiteral("error")).value(u"code").toString(),
                 QStringLiteral("not_found"));
        alice->send(protocol::makeHangup(callId));
        QCOMPARE(cause(*alice, callId), QStringLiteral("hung_up"));
        QCOMPARE(cause(*bob2, callId), QStringLiteral("hung_up"));
        QVERIFY(!bob1->hasReceived(QStringLiteral("ended")));
    }

    void declineByAllIsDenied()
    {
        auto alice = signIn(m_alice, QStringLiteral("laptop"));
        auto bob1 = signIn(m_bob, QStringLiteral("desk"));
        auto bob2 = signIn(m_bob, QStringLiteral("phone"));
        QVERIFY(alice && bob1 && bob2);
        const QString callId = newCallId();
        alice->send(protocol::makeCall(callId, QStringLiteral("bob")));
        QVERIFY(!bob1->waitFor(QStringLiteral("incoming")).isEmpty());
        QVERIFY(!bob2->waitFor(QStringLiteral("incoming")).isEmpty());
        bob1->send(protocol::makeDecline(callId));
        QCOMPARE(cause(*bob1, callId), QStringLiteral("denied"));
        QVERIFY(!alice->hasReceived(QStringLiteral("ended"))); // phone still rings
        bob2->send(protocol::makeDecline(callId));
        QCOMPARE(cause(*bob2, callId), QStringLiteral("denied"));
        QCOMPARE(cause(*alice, callId), QStringLiteral("denied"));
    }

    void callerCancels()
    {
        auto alice = signIn(m_alice, QStringLiteral("laptop"));
        auto bob = signIn(m_bob, QStringLiteral("desk"));
        QVERIFY(alice && bob);
        const QString callId = newCallId();
        alice->send(protocol::makeCall(callId, QStringLiteral("bob")));
        QVERIFY(!bob->waitFor(QStringLiteral("incoming")).isEmpty());
        alice->send(protocol::makeHangup(callId));
        QCOMPARE(cause(*alice, callId), QStringLiteral("canceled"));
        QCOMPARE(cause(*bob, callId), QStringLiteral("canceled"));
    }

    void callingYourselfRingsYourOtherDevices()
    {
        auto laptop = signIn(m_alice, QStringLiteral("laptop"));
        auto desk = signIn(m_alice, QStringLiteral("desk"));
        QVERIFY(laptop && desk);
        const QString callId = newCallId();
        laptop->send(protocol::makeCall(callId, QStringLiteral("alice")));
        QCOMPARE(desk->waitFor(QStringLiteral("incoming")).value(u"callId").toString(), callId);
        QVERIFY(!laptop->hasReceived(QStringLiteral("incoming")));
        laptop->send(protocol::makeHangup(callId));
        QCOMPARE(cause(*desk, callId), QStringLiteral("canceled"));
    }

    void peerLostMidCall()
    {
        auto alice = signIn(m_alice, QStringLiteral("laptop"));
        auto bob = signIn(m_bob, QStringLiteral("desk"));
        QVERIFY(alice && bob);
        const QString callId = establishCall(*alice, *bob, QStringLiteral("bob"));
        QVERIFY(!callId.isEmpty());
        bob->socket().abort();
        const QJsonObject ended = alice->waitFor(QStringLiteral("ended"));
        QCOMPARE(ended.value(u"cause").toString(), QStringLiteral("failure"));
        QCOMPARE(ended.value(u"error").toObject().value(u"code").toString(),
                 QStringLiteral("peer_lost"));
        QCOMPARE(ended.value(u"error").toObject().value(u"domain").toString(),
                 QStringLiteral("network"));
    }

    void sameDeviceReplacesOlderConnection()
    {
        auto first = signIn(m_bob, QStringLiteral("desk"));
        QVERIFY(first);
        auto second = signIn(m_bob, QStringLiteral("desk"));
        QVERIFY(second);
        QCOMPARE(first->waitClosed(), 4409);
        auto alice = signIn(m_alice, QStringLiteral("laptop"));
        QVERIFY(alice);
        const QString callId = newCallId();
        alice->send(protocol::makeCall(callId, QStringLiteral("bob")));
        QCOMPARE(second->waitFor(QStringLiteral("incoming")).value(u"callId").toString(), callId);
        alice->send(protocol::makeHangup(callId));
    }

    void unknownUserAndNoDevice()
    {
        auto alice = signIn(m_alice, QStringLiteral("laptop"));
        QVERIFY(alice);
        alice->send(protocol::makeCall(newCallId(), QStringLiteral("nobody"), {}, false,
                                       QStringLiteral("u")));
        const QJsonObject error = alice->waitFor(QStringLiteral("error"));
        QCOMPARE(error.value(u"code").toString(), QStringLiteral("unknown_user"));
        QCOMPARE(error.value(u"re").toString(), QStringLiteral("u"));

        // carol exists but has no device online and no push registration.
        const QString callId = newCallId();
        alice->send(protocol::makeCall(callId, QStringLiteral("carol")));
        const QJsonObject ended = alice->waitFor(QStringLiteral("ended"));
        QCOMPARE(ended.value(u"callId").toString(), callId);
        QCOMPARE(ended.value(u"cause").toString(), QStringLiteral("failure"));
        QCOMPARE(ended.value(u"error").toObject().value(u"code").toString(),
                 QStringLiteral("no_device"));
    }

    void ringTimeoutIsNoAnswer()
    {
        ServerProcess quick({QStringLiteral("--ring-timeout"), QStringLiteral("2")});
        QVERIFY2(quick.start(), qPrintable(quick.lastError()));
        QVERIFY(quick.addUser(QStringLiteral("alice"), QStringLiteral("password-123")));
        QVERIFY(quick.addUser(QStringLiteral("bob"), QStringLiteral("password-123")));
        RawCallingClient alice, bob;
        QVERIFY(alice.signIn(quick.callingUrl(), serviceToken(quick, QStringLiteral("alice")),
                             QStringLiteral("laptop")));
        QVERIFY(bob.signIn(quick.callingUrl(), serviceToken(quick, QStringLiteral("bob")),
                           QStringLiteral("desk")));
        const QString callId = newCallId();
        alice.send(protocol::makeCall(callId, QStringLiteral("bob")));
        QVERIFY(!bob.waitFor(QStringLiteral("incoming")).isEmpty());
        bob.send(protocol::makeRinging(callId));
        QCOMPARE(cause(alice, callId), QStringLiteral("no_answer"));
        QCOMPARE(cause(bob, callId), QStringLiteral("no_answer"));
    }
};

QTEST_GUILESS_MAIN(TestCallingRouting)
#include "tst_calling_routing.moc"
