// Push registration and calls to offline devices, seen by raw clients of a
// real service: the caller gets the pairs to relay, a pushed device claims the
// call late and learns the truth, and the tray agent's connection keeps a
// device reachable by push without counting as present.
#include "RawCallingClient.h"
#include "protocol/Builders.h"
#include "support/ServerProcess.h"

#include "crypto/Random.h"

#include <QJsonArray>
#include <QTest>
#include <memory>

using namespace softphone;
using namespace softphone::test;

namespace {

struct Caps
{
    bool calling = true;
    bool messaging = false;
    bool push = true;
};

std::unique_ptr<RawCallingClient> connectDevice(const ServerProcess &server, const QString &token,
                                                const QString &device, Caps caps = {})
{
    auto client = std::make_unique<RawCallingClient>();
    if (!client->open(server.callingUrl()))
        return nullptr;
    client->send(protocol::makeHello(token, device, {caps.calling, caps.messaging, caps.push},
                                     QStringLiteral("raw-test"), QStringLiteral("hello-1")));
    if (client->waitFor(QStringLiteral("welcome")).isEmpty())
        return nullptr;
    return client;
}

QJsonArray pairsOf(const QJsonObject &push)
{
    return push.value(u"pairs").toArray();
}

} // namespace

class TestCallingPush : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<ServerProcess> m_server;
    QString m_alice, m_bob;

    bool registerPush(RawCallingClient &client, const QByteArray &data)
    {
        client.send(protocol::makePushRegister(data, QStringLiteral("reg")));
        return client.waitFor(QStringLiteral("ok")).value(u"re").toString() ==
               QStringLiteral("reg");
    }

    // alice calls bob; returns the `push` alice got (empty if none came before
    // the sync point) and leaves the call ringing.
    QJsonObject callBob(RawCallingClient &alice, const QString &callId)
    {
        alice.send(
            protocol::makeCall(callId, QStringLiteral("bob"), {}, false, QStringLiteral("c")));
        if (alice.waitFor(QStringLiteral("ok")).value(u"re").toString() != QStringLiteral("c"))
            return {};
        if (!caughtUp(alice) || !alice.hasReceived(QStringLiteral("push")))
            return {};
        return alice.waitFor(QStringLiteral("push"));
    }

private Q_SLOTS:
    void init()
    {
        // A fresh service per test: registrations are durable by design.
        m_server = std::make_unique<ServerProcess>();
        QVERIFY2(m_server->start(), qPrintable(m_server->lastError()));
        for (const char *user : {"alice", "bob"})
            QVERIFY(m_server->addUser(QString::fromLatin1(user), QStringLiteral("password-123")));
        m_alice = serviceToken(*m_server, QStringLiteral("alice"));
        m_bob = serviceToken(*m_server, QStringLiteral("bob"));
    }

    void cleanup() { m_server.reset(); }

    void registrationSurvivesRestartAndUnregisterStops()
    {
        const QByteArray data = crypto::randomBytes(1024);
        {
            auto desk = connectDevice(*m_server, m_bob, QStringLiteral("desk"));
            QVERIFY(desk);
            QVERIFY(registerPush(*desk, data));
        }
        QVERIFY2(m_server->restart(), qPrintable(m_server->lastError()));
        auto alice = connectDevice(*m_server, m_alice, QStringLiteral("laptop"));
        QVERIFY(alice);
        const QString callId = newCallId();
        const QJsonObject push = callBob(*alice, callId);
        QCOMPARE(push.value(u"callId").toString(), callId);
        QCOMPARE(pairsOf(push).size(), 1);
        const QJsonObject pair = pairsOf(push).at(0).toObject();
        QCOMPARE(pair.value(u"device").toString(), QStringLiteral("desk"));
        QCOMPARE(QByteArray::fromBase64(pair.value(u"pushData").toString().toLatin1()), data);
        QVERIFY(!pair.value(u"payload").toString().isEmpty());
        QVERIFY(pair.value(u"payload").toString().size() < 700);
        // The call waits for the pushed device instead of ending with no_device.
        QVERIFY(!alice->hasReceived(QStringLiteral("ended")));
        alice->send(protocol::makeHangup(callId));
        QCOMPARE(alice->waitFor(QStringLiteral("ended")).value(u"cause").toString(),
                 QStringLiteral("canceled"));

        {
            auto desk = connectDevice(*m_server, m_bob, QStringLiteral("desk"));
            QVERIFY(desk);
            desk->send(protocol::makePushUnregister(QStringLiteral("un")));
            QCOMPARE(desk->waitFor(QStringLiteral("ok")).value(u"re").toString(),
                     QStringLiteral("un"));
        }
        alice.reset();
        QVERIFY2(m_server->restart(), qPrintable(m_server->lastError()));
        alice = connectDevice(*m_server, m_alice, QStringLiteral("laptop"));
        QVERIFY(alice);
        const QString second = newCallId();
        alice->send(protocol::makeCall(second, QStringLiteral("bob")));
        const QJsonObject ended = alice->waitFor(QStringLiteral("ended"));
        QCOMPARE(ended.value(u"cause").toString(), QStringLiteral("failure"));
        QCOMPARE(ended.value(u"error").toObject().value(u"code").toString(),
                 QStringLiteral("no_device"));
        QVERIFY(!alice->hasReceived(QStringLiteral("push")));
    }

    void oversizedOrUndeclaredRegistrationIsRefused()
    {
        {
            auto big = connectDevice(*m_server, m_bob, QStringLiteral("big"));
            QVERIFY(big);
            big->send(protocol::makePushRegister(QByteArray(1025, 'x'), QStringLiteral("r1")));
            const QJsonObject error = big->waitFor(QStringLiteral("error"));
            QCOMPARE(error.value(u"code").toString(), QStringLiteral("too_large"));
            QCOMPARE(error.value(u"re").toString(), QStringLiteral("r1"));
            auto plain =
                connectDevice(*m_server, m_bob, QStringLiteral("nopush"), {true, false, false});
            QVERIFY(plain);
            plain->send(protocol::makePushRegister("abc", QStringLiteral("r2")));
            QCOMPARE(plain->waitFor(QStringLiteral("error")).value(u"code").toString(),
                     QStringLiteral("capability"));
        }
        // Neither was stored: bob has nothing to push to.
        auto alice = connectDevice(*m_server, m_alice, QStringLiteral("laptop"));
        QVERIFY(alice);
        alice->send(protocol::makeCall(newCallId(), QStringLiteral("bob")));
        QCOMPARE(alice->waitFor(QStringLiteral("ended"))
                     .value(u"error")
                     .toObject()
                     .value(u"code")
                     .toString(),
                 QStringLiteral("no_device"));
        QVERIFY(!alice->hasReceived(QStringLiteral("push")));
    }

    void onlineDevicesRingAndOfflineOnesArePushed()
    {
        {
            auto desk = connectDevice(*m_server, m_bob, QStringLiteral("desk"));
            QVERIFY(desk && registerPush(*desk, "desk-data"));
        }
        auto phone = connectDevice(*m_server, m_bob, QStringLiteral("phone"));
        QVERIFY(phone && registerPush(*phone, "phone-data"));
        // "tablet" never registered: no pair for it.
        auto alice = connectDevice(*m_server, m_alice, QStringLiteral("laptop"));
        QVERIFY(alice);
        const QString callId = newCallId();
        const QJsonObject push = callBob(*alice, callId);
        QCOMPARE(phone->waitFor(QStringLiteral("incoming")).value(u"callId").toString(), callId);
        QCOMPARE(pairsOf(push).size(), 1);
        QCOMPARE(pairsOf(push).at(0).toObject().value(u"device").toString(),
                 QStringLiteral("desk"));
        QCOMPARE(pairsOf(push).at(0).toObject().value(u"pushData").toString(),
                 QString::fromLatin1(QByteArray("desk-data").toBase64()));
        // The online device declining does not end the call: desk may still claim it.
        phone->send(protocol::makeDecline(callId));
        QCOMPARE(phone->waitFor(QStringLiteral("ended")).value(u"cause").toString(),
                 QStringLiteral("denied"));
        QVERIFY(caughtUp(*alice));
        QVERIFY(!alice->hasReceived(QStringLiteral("ended")));
        auto desk = connectDevice(*m_server, m_bob, QStringLiteral("desk"));
        QVERIFY(desk);
        desk->send(protocol::makeClaim(callId));
        QCOMPARE(desk->waitFor(QStringLiteral("incoming")).value(u"callId").toString(), callId);
        desk->send(protocol::makeAnswer(callId));
        QCOMPARE(alice->waitFor(QStringLiteral("established")).value(u"device").toString(),
                 QStringLiteral("desk"));
    }

    void doubleClaimRingsOnce()
    {
        {
            auto desk = connectDevice(*m_server, m_bob, QStringLiteral("desk"));
            QVERIFY(desk && registerPush(*desk, "desk-data"));
        }
        auto alice = connectDevice(*m_server, m_alice, QStringLiteral("laptop"));
        QVERIFY(alice);
        const QString callId = newCallId();
        QVERIFY(!callBob(*alice, callId).isEmpty());
        auto desk = connectDevice(*m_server, m_bob, QStringLiteral("desk"));
        QVERIFY(desk);
        desk->send(protocol::makeClaim(callId));
        desk->send(protocol::makeClaim(callId));
        QVERIFY(!desk->waitFor(QStringLiteral("incoming")).isEmpty());
        alice->send(protocol::makeHangup(callId));
        QCOMPARE(alice->waitFor(QStringLiteral("ended")).value(u"cause").toString(),
                 QStringLiteral("canceled"));
        QCOMPARE(desk->waitFor(QStringLiteral("ended")).value(u"cause").toString(),
                 QStringLiteral("canceled"));
        QVERIFY(caughtUp(*desk));
        QVERIFY2(!desk->hasReceived(QStringLiteral("ended")), "two ringing entries for one device");
        // A claim after the caller hung up gets the authoritative outcome.
        desk->send(protocol::makeClaim(callId));
        QCOMPARE(desk->waitFor(QStringLiteral("ended")).value(u"cause").toString(),
                 QStringLiteral("canceled"));
        desk->send(protocol::makeClaim(newCallId(), QStringLiteral("unknown")));
        const QJsonObject error = desk->waitFor(QStringLiteral("error"));
        QCOMPARE(error.value(u"code").toString(), QStringLiteral("not_found"));
        QCOMPARE(error.value(u"re").toString(), QStringLiteral("unknown"));
    }

    void claimAfterRingTimeoutSaysNoAnswer()
    {
        ServerProcess server({QStringLiteral("--ring-timeout"), QStringLiteral("1")});
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        QVERIFY(server.addUser(QStringLiteral("alice"), QStringLiteral("password-123")));
        QVERIFY(server.addUser(QStringLiteral("bob"), QStringLiteral("password-123")));
        const QString bobToken = serviceToken(server, QStringLiteral("bob"));
        {
            auto desk = connectDevice(server, bobToken, QStringLiteral("desk"));
            QVERIFY(desk && registerPush(*desk, "desk-data"));
        }
        auto alice = connectDevice(server, serviceToken(server, QStringLiteral("alice")),
                                   QStringLiteral("laptop"));
        QVERIFY(alice);
        const QString callId = newCallId();
        QVERIFY(!callBob(*alice, callId).isEmpty());
        QCOMPARE(alice->waitFor(QStringLiteral("ended")).value(u"cause").toString(),
                 QStringLiteral("no_answer"));
        auto desk = connectDevice(server, bobToken, QStringLiteral("desk"));
        QVERIFY(desk);
        desk->send(protocol::makeClaim(callId));
        QCOMPARE(desk->waitFor(QStringLiteral("ended")).value(u"cause").toString(),
                 QStringLiteral("no_answer"));
    }

    void agentConnectionKeepsPushWithoutPresence()
    {
        const Caps agentCaps{false, false, true};
        auto agent = connectDevice(*m_server, m_bob, QStringLiteral("desk"), agentCaps);
        QVERIFY(agent && registerPush(*agent, "desk-data"));
        auto alice = connectDevice(*m_server, m_alice, QStringLiteral("laptop"));
        QVERIFY(alice);
        // Only the agent is connected: the device is offline for calls, so pushed.
        const QString first = newCallId();
        const QJsonObject push = callBob(*alice, first);
        QCOMPARE(pairsOf(push).size(), 1);
        QCOMPARE(pairsOf(push).at(0).toObject().value(u"device").toString(),
                 QStringLiteral("desk"));
        QVERIFY(caughtUp(*agent));
        QVERIFY(!agent->hasReceived(QStringLiteral("incoming")));
        alice->send(protocol::makeHangup(first));

        // The softphone of the same device coexists with the agent.
        auto phone = connectDevice(*m_server, m_bob, QStringLiteral("desk"));
        QVERIFY(phone);
        QVERIFY(caughtUp(*agent));
        QVERIFY(agent->isOpen());
        const QString second = newCallId();
        alice->send(protocol::makeCall(second, QStringLiteral("bob")));
        QCOMPARE(phone->waitFor(QStringLiteral("incoming")).value(u"callId").toString(), second);
        QVERIFY(caughtUp(*alice));
        QVERIFY(!alice->hasReceived(QStringLiteral("push")));
        alice->send(protocol::makeHangup(second));

        // A second agent replaces the first agent only; the softphone stays.
        auto agent2 = connectDevice(*m_server, m_bob, QStringLiteral("desk"), agentCaps);
        QVERIFY(agent2);
        QCOMPARE(agent->waitClosed(), 4409);
        QVERIFY(caughtUp(*phone));
        QVERIFY(phone->isOpen());
        // And a second softphone replaces the softphone, not the agent.
        auto phone2 = connectDevice(*m_server, m_bob, QStringLiteral("desk"));
        QVERIFY(phone2);
        QCOMPARE(phone->waitClosed(), 4409);
        QVERIFY(caughtUp(*agent2));
        QVERIFY(agent2->isOpen());
    }
};

QTEST_GUILESS_MAIN(TestCallingPush)
#include "tst_calling_push.moc"
