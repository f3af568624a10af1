// Calls across the nodes of a cluster (--bus), as users notice them: alice on
// node 1 calls bob on node 2, it rings, he answers, their media frames and the
// hangup cross, and so does the UDP media signaling (offer, answer, candidates);
// bob's devices on nodes 2 and 3 both ring and exactly one answer
// wins, the other device hears answered-elsewhere; a device woken by a push
// claims the call on another node than the caller's. With Redis hung, a call
// waits at most bus.timeout and then rings on its node. With Redis killed, calls
// between devices of one node still work and a call to a device elsewhere ends
// with a clear error; when Redis is back (empty), every node writes its devices'
// locations again and cross-node calls work again, and the owner of a call
// waiting for a pushed device writes its record again, so the device can
// claim it on another node. A node SIGKILLed mid-call
// ends its calls on the other nodes. Failed logins, push requests and calls
// count on every node; a message reaches a device on another node at once, and
// its sender gets push pairs only for the recipient's devices that no node
// delivers it to (connected nowhere, or connected without `messaging`).
//
// The nodes share one PostgreSQL (the deployment of docs/operations.md: one set
// of accounts and push registrations) and one keys folder (node 1's, copied
// before the others start), so a token from one node is good on every node.
#include "integration/calling/RawCallingClient.h"
#include "protocol/Builders.h"
#include "support/TestCluster.h"

#include <QJsonArray>
#include <QtTest>
#include <memory>

using namespace softphone;
using namespace softphone::test;

namespace {
protocol::MediaDescription udpMedia(const QString &ufrag, const QString &setup)
{
    const QString fingerprint =
        QStringLiteral("sha-256 ") + QStringList(32, QStringLiteral("AB")).join(u':');
    return {ufrag, QStringLiteral("MkiyaW/M+1E7WuYlz3RwkM"), fingerprint, setup};
}
} // namespace

class TestCallingCluster : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void crossNodeCallRingsAnswersCarriesMediaAndHangsUp();
    void udpMediaSignalingCrossesNodes();
    void forkAcrossNodesFirstAnswerWins();
    void pushedDeviceClaimsOnAnotherNode();
    void messageReachesADeviceOnAnotherNode();
    void rateLimitsCountAcrossNodes();
    void redisHangsCallsGoOnAfterTheTimeout();
    void redisDownLocalCallsGoOnAndLocationsComeBack();
    void callRecordsComeBackWithRedis();
    void nodeKilledMidCallEndsItsCallsElsewhere(); // last: node 2 stays down

private:
    std::unique_ptr<RawCallingClient> device(int node, const QString &user, const QString &name);
    // caller calls calleeUser's `callee`, it is answered, the callee hangs up and
    // both hear hung_up; false when a step did not come.
    static bool callAndHangUp(RawCallingClient &caller, RawCallingClient &callee,
                              const QString &calleeUser);
    // A pushed device claims the caller's ringing call, answers it (the caller
    // sees it established on `device`), the caller hangs up and the device
    // hears hung_up; false when a step did not come.
    static bool claimAnswerAndHangUp(RawCallingClient &pushed, const QString &device,
                                     RawCallingClient &caller, const QString &callId);
    // `device` signs in on `node` with `token`, registers "<device>-push-data"
    // for pushes and goes offline; false when a step did not come.
    bool registerForPushAndLeave(int node, const QString &token, const QString &device,
                                 const protocol::Capabilities &capabilities);

    TestCluster m_cluster;
};

void TestCallingCluster::initTestCase()
{
    QVERIFY2(m_cluster.start(3, QStringLiteral("appserver,calling"),
                             {QStringLiteral("--set"), QStringLiteral("bus.timeout=1")}),
             qPrintable(m_cluster.lastError()));
    for (const char *user : {"alice", "bob", "carol", "dave"})
        QVERIFY(m_cluster.node(1).addUser(QString::fromLatin1(user), QStringLiteral("pw-123456")));
}

std::unique_ptr<RawCallingClient> TestCallingCluster::device(int node, const QString &user,
                                                             const QString &name)
{
    return signedInOn(m_cluster, node, user, name);
}

bool TestCallingCluster::callAndHangUp(RawCallingClient &caller, RawCallingClient &callee,
                                       const QString &calleeUser)
{
    const QString callId = establishCall(caller, callee, calleeUser);
    if (callId.isEmpty())
        return false;
    callee.send(protocol::makeHangup(callId));
    return caller.endCause(callId) == u"hung_up" && callee.endCause(callId) == u"hung_up";
}

bool TestCallingCluster::claimAnswerAndHangUp(RawCallingClient &pushed, const QString &device,
                                              RawCallingClient &caller, const QString &callId)
{
    pushed.send(protocol::makeClaim(callId));
    if (pushed.waitFor(QStringLiteral("incoming")).value(u"callId").toString() != callId)
        return false;
    pushed.send(protocol::makeAnswer(callId));
    if (caller.waitFor(QStringLiteral("established")).value(u"device").toString() != device)
        return false;
    caller.send(protocol::makeHangup(callId));
    return pushed.endCause(callId) == u"hung_up";
}

void TestCallingCluster::crossNodeCallRingsAnswersCarriesMediaAndHangsUp()
{
    auto alice = device(1, QStringLiteral("alice"), QStringLiteral("desk"));
    auto bob = device(2, QStringLiteral("bob"), QStringLiteral("desk"));
    QVERIFY(alice && bob);

    const QString callId = newCallId();
    alice->send(protocol::makeCall(callId, QStringLiteral("bob")));
    QCOMPARE(alice->waitFor(QStringLiteral("ok")).isEmpty(), false);
    const QJsonObject incoming = bob->waitFor(QStringLiteral("incoming"));
    QCOMPARE(incoming.value(u"callId").toString(), callId);
    QCOMPARE(incoming.value(u"from").toString(), QStringLiteral("alice"));
    bob->send(protocol::makeRinging(callId));
    QCOMPARE(alice->waitFor(QStringLiteral("progress")).value(u"callId").toString(), callId);
    bob->send(protocol::makeAnswer(callId));
    QCOMPARE(alice->waitFor(QStringLiteral("established")).value(u"device").toString(),
             QStringLiteral("desk"));
    QCOMPARE(bob->waitFor(QStringLiteral("established")).value(u"callId").toString(), callId);

    // Media frames cross the nodes both ways, unchanged.
    const QByteArray toBob = srtpLikeFrame("to bob"), toAlice = srtpLikeFrame("to alice");
    alice->sendBinary(toBob);
    bob->sendBinary(toAlice);
    QTRY_VERIFY_WITH_TIMEOUT(bob->binaryFrames().contains(toBob), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(alice->binaryFrames().contains(toAlice), 5000);

    bob->send(protocol::makeHangup(callId));
    QCOMPARE(alice->endCause(callId), QStringLiteral("hung_up"));
    QCOMPARE(bob->endCause(callId), QStringLiteral("hung_up"));
    // The call's record names its owner: node 1.
    QCOMPARE(
        m_cluster.redis().cli({QStringLiteral("GET"), QStringLiteral("softphone:call:") + callId}),
        QStringLiteral("n1"));
}

void TestCallingCluster::udpMediaSignalingCrossesNodes()
{
    auto alice = device(1, QStringLiteral("alice"), QStringLiteral("desk"));
    auto bob = device(2, QStringLiteral("bob"), QStringLiteral("desk"));
    QVERIFY(alice && bob);
    const QString callId = newCallId();
    const auto offer = udpMedia(QStringLiteral("AAAA"), QStringLiteral("actpass"));
    alice->send(protocol::makeCall(callId, QStringLiteral("bob"), {}, false, {}, offer));
    QCOMPARE(bob->waitFor(QStringLiteral("incoming")).value(u"media").toObject(), offer.toJson());
    const auto answer = udpMedia(QStringLiteral("BBBB"), QStringLiteral("active"));
    bob->send(protocol::makeAnswer(callId, {}, answer));
    QCOMPARE(alice->waitFor(QStringLiteral("established")).value(u"media").toObject(),
             answer.toJson());
    const QString line = QStringLiteral("a=candidate:1 1 UDP 2015363327 127.0.0.1 40001 typ host");
    alice->send(protocol::makeCandidate(callId, offer.iceUfrag, line));
    QCOMPARE(bob->waitFor(QStringLiteral("remote_candidate")).value(u"candidate").toString(), line);
    bob->send(protocol::makeCandidate(callId, answer.iceUfrag, {}));
    QVERIFY(alice->waitFor(QStringLiteral("remote_candidate")).value(u"done").toBool());
    alice->send(protocol::makeHangup(callId));
    QCOMPARE(bob->endCause(callId), QStringLiteral("hung_up"));
}

void TestCallingCluster::forkAcrossNodesFirstAnswerWins()
{
    auto alice = device(1, QStringLiteral("alice"), QStringLiteral("laptop"));
    auto desk = device(2, QStringLiteral("bob"), QStringLiteral("desk2"));
    auto phone = device(3, QStringLiteral("bob"), QStringLiteral("phone"));
    QVERIFY(alice && desk && phone);

    // One device answers: the other hears answered-elsewhere.
    const QString first = newCallId();
    alice->send(protocol::makeCall(first, QStringLiteral("bob")));
    QCOMPARE(desk->waitFor(QStringLiteral("incoming")).value(u"callId").toString(), first);
    QCOMPARE(phone->waitFor(QStringLiteral("incoming")).value(u"callId").toString(), first);
    phone->send(protocol::makeAnswer(first));
    QCOMPARE(alice->waitFor(QStringLiteral("established")).value(u"device").toString(),
             QStringLiteral("phone"));
    QCOMPARE(phone->waitFor(QStringLiteral("established")).value(u"callId").toString(), first);
    QCOMPARE(desk->endCause(first), QStringLiteral("other_device_answered"));
    alice->send(protocol::makeHangup(first));
    QCOMPARE(phone->endCause(first), QStringLiteral("hung_up"));
    QCOMPARE(alice->endCause(first), QStringLiteral("hung_up"));

    // Both answer at once, on two nodes: exactly one wins.
    const QString second = newCallId();
    alice->send(protocol::makeCall(second, QStringLiteral("bob")));
    QVERIFY(!desk->waitFor(QStringLiteral("incoming")).isEmpty());
    QVERIFY(!phone->waitFor(QStringLiteral("incoming")).isEmpty());
    desk->send(protocol::makeAnswer(second));
    phone->send(protocol::makeAnswer(second));
    const QString winner =
        alice->waitFor(QStringLiteral("established")).value(u"device").toString();
    QVERIFY2(winner == u"desk2" || winner == u"phone", qPrintable(winner));
    RawCallingClient &won = winner == u"phone" ? *phone : *desk;
    RawCallingClient &lost = winner == u"phone" ? *desk : *phone;
    QCOMPARE(won.waitFor(QStringLiteral("established")).value(u"callId").toString(), second);
    QCOMPARE(lost.endCause(second), QStringLiteral("other_device_answered"));
    for (const QJsonObject &message : lost.received())
        QVERIFY(message.value(u"type").toString() != u"established" ||
                message.value(u"callId").toString() != second);
    alice->send(protocol::makeHangup(second));
    QCOMPARE(won.endCause(second), QStringLiteral("hung_up"));
}

bool TestCallingCluster::registerForPushAndLeave(int node, const QString &token,
                                                 const QString &device,
                                                 const protocol::Capabilities &capabilities)
{
    RawCallingClient client;
    if (!client.signIn(m_cluster.node(node).callingUrl(), token, device, capabilities))
        return false;
    client.send(protocol::makePushRegister((device + QStringLiteral("-push-data")).toUtf8(),
                                           QStringLiteral("reg")));
    return client.waitFor(QStringLiteral("ok")).value(u"re").toString() == u"reg";
}

void TestCallingCluster::pushedDeviceClaimsOnAnotherNode()
{
    // carol's pager registers for pushes on node 3, then goes offline.
    const protocol::Capabilities callingAndPush{true, false, true};
    const QString carolToken = serviceToken(m_cluster.node(1), QStringLiteral("carol"));
    QVERIFY(registerForPushAndLeave(3, carolToken, QStringLiteral("pager"), callingAndPush));
    QTRY_VERIFY_WITH_TIMEOUT(
        m_cluster.redis()
            .cli({QStringLiteral("HGET"), QStringLiteral("softphone:loc:carol"),
                  QStringLiteral("pager")})
            .isEmpty(),
        5000);
    // alice on node 1 calls: the pager gets a push pair (its registration is shared).
    auto alice = device(1, QStringLiteral("alice"), QStringLiteral("watch"));
    QVERIFY(alice);
    const QString callId = newCallId();
    alice->send(protocol::makeCall(callId, QStringLiteral("carol")));
    const QJsonObject push = alice->waitFor(QStringLiteral("push"));
    QCOMPARE(push.value(u"callId").toString(), callId);
    QCOMPARE(push.value(u"pairs").toArray().size(), 1);
    // Woken by the push, the pager reaches node 2 and claims the call there.
    RawCallingClient pager;
    QVERIFY(pager.signIn(m_cluster.node(2).callingUrl(), carolToken, QStringLiteral("pager"),
                         callingAndPush));
    QVERIFY(claimAnswerAndHangUp(pager, QStringLiteral("pager"), *alice, callId));
    // A claim of an unknown call on a node is still "not found".
    pager.send(protocol::makeClaim(newCallId(), QStringLiteral("c2")));
    const QJsonObject error = pager.waitFor(QStringLiteral("error"));
    QCOMPARE(error.value(u"re").toString(), QStringLiteral("c2"));
    QCOMPARE(error.value(u"code").toString(), QStringLiteral("not_found"));
}

void TestCallingCluster::messageReachesADeviceOnAnotherNode()
{
    const protocol::Capabilities callingAndMessaging{true, true, false};
    const protocol::Capabilities all{true, true, true};
    const QString daveToken = serviceToken(m_cluster.node(1), QStringLiteral("dave"));
    // dave's tablet registers for pushes on node 3 and goes offline; his chat
    // device registers too and stays connected to node 2.
    QVERIFY(registerForPushAndLeave(3, daveToken, QStringLiteral("tablet"), all));
    RawCallingClient alice, dave;
    QVERIFY(alice.signIn(m_cluster.node(1).callingUrl(),
                         serviceToken(m_cluster.node(1), QStringLiteral("alice")),
                         QStringLiteral("chat"), callingAndMessaging));
    QVERIFY(dave.signIn(m_cluster.node(2).callingUrl(), daveToken, QStringLiteral("chat"), all));
    dave.send(protocol::makePushRegister("chat-push-data", QStringLiteral("reg")));
    QCOMPARE(dave.waitFor(QStringLiteral("ok")).value(u"re").toString(), QStringLiteral("reg"));
    QVERIFY(
        m_cluster.located(QStringLiteral("dave"), QStringLiteral("chat"), QStringLiteral("n2")));
    // His desk phone is connected to node 3 for calls only (no `messaging`): its
    // location says so, so it gets a push pair as it would on one node.
    const protocol::Capabilities callingAndPush{true, false, true};
    RawCallingClient desk;
    QVERIFY(desk.signIn(m_cluster.node(3).callingUrl(), daveToken, QStringLiteral("desk"),
                        callingAndPush));
    desk.send(protocol::makePushRegister("desk-push-data", QStringLiteral("reg3")));
    QCOMPARE(desk.waitFor(QStringLiteral("ok")).value(u"re").toString(), QStringLiteral("reg3"));
    QVERIFY(
        m_cluster.located(QStringLiteral("dave"), QStringLiteral("desk"), QStringLiteral("n3")));
    const QString id = newCallId();
    alice.send(protocol::makeMessage(id, {QStringLiteral("dave")}, QStringLiteral("hello")));
    // Stored once in the shared database, delivered at once by dave's node.
    const QJsonObject incoming = dave.waitFor(QStringLiteral("message.incoming"));
    QCOMPARE(incoming.value(u"messageId").toString(), id);
    QCOMPARE(incoming.value(u"text").toString(), QStringLiteral("hello"));
    QCOMPARE(incoming.value(u"from").toString(), QStringLiteral("alice"));
    // alice gets push pairs for the offline tablet and the desk phone that takes
    // no messages, none for the chat device: it is connected (to another node)
    // and got the message there.
    const QJsonObject push = alice.waitFor(QStringLiteral("push"));
    QCOMPARE(push.value(u"messageId").toString(), id);
    QStringList paired;
    for (const QJsonValue &pair : push.value(u"pairs").toArray())
        paired << pair.toObject().value(u"device").toString();
    paired.sort();
    QCOMPARE(paired, QStringList({QStringLiteral("desk"), QStringLiteral("tablet")}));
    // The desk phone was not sent the message over its connection.
    QVERIFY(desk.waitFor(QStringLiteral("message.incoming"), 500).isEmpty());
}

void TestCallingCluster::rateLimitsCountAcrossNodes()
{
    // Ten wrong passwords on node 1 use up the user's minute on every node.
    const QString user = QStringLiteral("mallory");
    for (int i = 0; i < 10; ++i)
        QCOMPARE(m_cluster.node(1).loginReply(user, QStringLiteral("guess-%1").arg(i)).status, 401);
    const HttpReply refused = m_cluster.node(3).loginReply(user, QStringLiteral("guess-10"));
    QCOMPARE(refused.status, 429);
    QVERIFY(refused.body.contains("rate_limited"));
    // Another user is not affected; a good login is not counted.
    QCOMPARE(
        m_cluster.node(3).loginReply(QStringLiteral("carol"), QStringLiteral("pw-123456")).status,
        200);

    // POST /v1/push: 30 requests a minute per user, wherever they land.
    const QList<QPair<QByteArray, QByteArray>> auth{
        {"Authorization",
         "Bearer " + serviceToken(m_cluster.node(1), QStringLiteral("carol")).toLatin1()}};
    auto push = [&](int node) {
        return m_cluster.node(node + 1).http().postJson(
            m_cluster.node(node + 1).appServerUrl().resolved(QUrl(QStringLiteral("/v1/push"))),
            QJsonObject{}, auth);
    };
    for (int i = 0; i < 30; ++i)
        QCOMPARE(push(0).status, 400); // admitted, then refused for its empty body
    const HttpReply limited = push(2);
    QCOMPARE(limited.status, 429);
    QVERIFY(!limited.header("Retry-After").isEmpty());

    // Calls: a user's burst of 20 (then 5 a second) holds on every node.
    auto dialer = device(1, QStringLiteral("carol"), QStringLiteral("dialer"));
    auto other = device(3, QStringLiteral("carol"), QStringLiteral("dialer3"));
    QVERIFY(dialer && other);
    for (int i = 0; i < 20; ++i) {
        const QString re = QStringLiteral("c%1").arg(i);
        dialer->send(protocol::makeCall(newCallId(), QStringLiteral("nobody"), {}, false, re));
        const QJsonObject error = dialer->waitFor(QStringLiteral("error"));
        QCOMPARE(error.value(u"re").toString(), re);
        QCOMPARE(error.value(u"code").toString(), QStringLiteral("unknown_user"));
    }
    other->send(protocol::makeCall(newCallId(), QStringLiteral("nobody")));
    QCOMPARE(other->errorCode(), QStringLiteral("rate_limited"));
}

void TestCallingCluster::redisHangsCallsGoOnAfterTheTimeout()
{
    auto alice = device(1, QStringLiteral("alice"), QStringLiteral("tv"));
    auto carol = device(1, QStringLiteral("carol"), QStringLiteral("tv"));
    auto bob = device(2, QStringLiteral("bob"), QStringLiteral("tv"));
    QVERIFY(alice && carol && bob);
    m_cluster.redis().pause();
    // The call waits for Redis at most bus.timeout (1 s here), then rings here.
    const QString local = establishCall(*alice, *carol, QStringLiteral("carol"));
    // Hung longer than an idle node's PING (1 s) plus the timeout: every node notices.
    QTest::qWait(2500);
    m_cluster.redis().resume();
    QVERIFY(!local.isEmpty());
    alice->send(protocol::makeHangup(local));
    QCOMPARE(carol->endCause(local), QStringLiteral("hung_up"));
    QCOMPARE(alice->endCause(local), QStringLiteral("hung_up"));
    // Every node noticed (an idle one by its PING) and dropped its connections:
    // once back, they write their devices again.
    for (const char *user : {"alice", "bob"})
        m_cluster.redis().cli(
            {QStringLiteral("DEL"), QStringLiteral("softphone:loc:") + QLatin1String(user)});
    QVERIFY(m_cluster.located(QStringLiteral("alice"), QStringLiteral("tv"), QStringLiteral("n1"),
                              15000));
    QVERIFY(
        m_cluster.located(QStringLiteral("bob"), QStringLiteral("tv"), QStringLiteral("n2"), 5000));
    QVERIFY(callAndHangUp(*alice, *bob, QStringLiteral("bob")));
}

void TestCallingCluster::redisDownLocalCallsGoOnAndLocationsComeBack()
{
    auto alice = device(1, QStringLiteral("alice"), QStringLiteral("tablet"));
    auto carol = device(1, QStringLiteral("carol"), QStringLiteral("desk"));
    auto bob = device(2, QStringLiteral("bob"), QStringLiteral("tablet"));
    QVERIFY(alice && carol && bob);

    m_cluster.redis().kill();
    // Devices of one node call each other as before.
    QTest::qWait(500); // the nodes notice the connection is gone
    QVERIFY(callAndHangUp(*alice, *carol, QStringLiteral("carol")));
    // bob has no device on node 1: a clear failure, not a hang.
    const QString unreachable = newCallId();
    alice->send(protocol::makeCall(unreachable, QStringLiteral("bob")));
    QCOMPARE(alice->endCause(unreachable), QStringLiteral("failure"));

    // Redis is back, empty: the nodes write their devices again.
    QVERIFY2(m_cluster.redis().start(), qPrintable(m_cluster.redis().lastError()));
    QVERIFY(m_cluster.located(QStringLiteral("bob"), QStringLiteral("tablet"), QStringLiteral("n2"),
                              15000));
    QVERIFY(
        m_cluster.located(QStringLiteral("alice"), QStringLiteral("tablet"), QStringLiteral("n1")));
    QVERIFY(callAndHangUp(*alice, *bob, QStringLiteral("bob")));
}

void TestCallingCluster::callRecordsComeBackWithRedis()
{
    // carol's pager (push registration from pushedDeviceClaimsOnAnotherNode) is
    // offline: alice's call waits for it to be woken.
    auto alice = device(1, QStringLiteral("alice"), QStringLiteral("fridge"));
    QVERIFY(alice);
    const QString callId = newCallId();
    alice->send(protocol::makeCall(callId, QStringLiteral("carol")));
    QCOMPARE(alice->waitFor(QStringLiteral("push")).value(u"callId").toString(), callId);
    const QStringList record{QStringLiteral("GET"), QStringLiteral("softphone:call:") + callId};
    QCOMPARE(m_cluster.redis().cli(record), QStringLiteral("n1"));

    // Redis restarts empty while the call rings: its owner writes the record again.
    m_cluster.redis().kill();
    QTest::qWait(500);
    QVERIFY2(m_cluster.redis().start(), qPrintable(m_cluster.redis().lastError()));
    QTRY_COMPARE_WITH_TIMEOUT(m_cluster.redis().cli(record), QStringLiteral("n1"), 15000);

    // So the pager, woken, claims it on node 3 (once node 3 is back on Redis:
    // a device of its own is located).
    auto probe = device(3, QStringLiteral("bob"), QStringLiteral("probe"));
    QVERIFY(probe);
    RawCallingClient pager;
    QVERIFY(pager.signIn(m_cluster.node(3).callingUrl(),
                         serviceToken(m_cluster.node(1), QStringLiteral("carol")),
                         QStringLiteral("pager"), protocol::Capabilities{true, false, true}));
    QVERIFY(claimAnswerAndHangUp(pager, QStringLiteral("pager"), *alice, callId));
}

void TestCallingCluster::nodeKilledMidCallEndsItsCallsElsewhere()
{
    auto alice = device(1, QStringLiteral("alice"), QStringLiteral("kiosk"));
    auto bob = device(2, QStringLiteral("bob"), QStringLiteral("kiosk"));
    auto carol = device(3, QStringLiteral("carol"), QStringLiteral("kiosk"));
    QVERIFY(alice && bob && carol);
    // One call owned by node 1 with a device on node 2, one owned by node 2.
    const QString owned = establishCall(*alice, *bob, QStringLiteral("bob"));
    const QString ownedByTheDead = establishCall(*bob, *carol, QStringLiteral("carol"));
    QVERIFY(!owned.isEmpty() && !ownedByTheDead.isEmpty());

    m_cluster.node(2).kill();
    // Nothing is being sent: the nodes notice on their own (a check every 5 s).
    QCOMPARE(alice->endCause(owned, 20000), QStringLiteral("failure"));
    QCOMPARE(carol->endCause(ownedByTheDead, 20000), QStringLiteral("failure"));
}

QTEST_MAIN(TestCallingCluster)
#include "tst_calling_cluster.moc"
