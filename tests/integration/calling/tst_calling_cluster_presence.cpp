// Presence across the nodes of a cluster (--bus), as a subscriber sees it:
// alice, watching from node 1, sees bob come online on node 2, set do not
// disturb, be reachable again through a device on node 3, and leave; she gets
// the statuses of users already online elsewhere when she subscribes; when
// Redis restarts empty, what changed meanwhile reaches her once it is back;
// and a node that dies takes its users' presence with it once their locations
// expire (bus.location_ttl, 3 s here).
#include "RawCallingClient.h"
#include "protocol/Builders.h"
#include "support/TestCluster.h"

#include <QTest>
#include <memory>

using namespace softphone;
using namespace softphone::test;
using protocol::PresenceStatus;

class TestCallingClusterPresence : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void statusesCrossNodes();
    void subscriberGetsWhatOtherNodesSee();
    void redisRestartRebuildsPresence();
    void deadNodesUsersGoOffline(); // last: node 3 stays down

private:
    std::unique_ptr<RawCallingClient> device(int node, const QString &user, const QString &name)
    {
        return signedInOn(m_cluster, node, user, name);
    }
    bool setStatus(RawCallingClient &client, PresenceStatus status)
    {
        static int n = 0;
        const QString id = QStringLiteral("set-%1").arg(++n);
        client.send(protocol::makePresenceSet(status, id));
        return client.waitFor(QStringLiteral("ok")).value(u"re").toString() == id;
    }

    TestCluster m_cluster;
};

void TestCallingClusterPresence::initTestCase()
{
    QVERIFY2(m_cluster.start(3, QStringLiteral("appserver,calling"),
                             {QStringLiteral("--set"), QStringLiteral("bus.timeout=1"),
                              QStringLiteral("--set"), QStringLiteral("bus.location_ttl=3")}),
             qPrintable(m_cluster.lastError()));
    for (const char *user : {"alice", "bob", "carol", "dave"})
        QVERIFY(m_cluster.node(1).addUser(QString::fromLatin1(user), QStringLiteral("pw-123456")));
}

void TestCallingClusterPresence::statusesCrossNodes()
{
    auto alice = device(1, QStringLiteral("alice"), QStringLiteral("laptop"));
    QVERIFY(alice);
    QVERIFY(presenceSubscribed(*alice, {QStringLiteral("bob")}));
    QVERIFY(caughtUp(*alice));
    QCOMPARE(presenceEvents(*alice), 0); // bob is offline everywhere: no event

    auto bob = device(2, QStringLiteral("bob"), QStringLiteral("phone"));
    QVERIFY(bob);
    QCOMPARE(nextPresence(*alice), QStringLiteral("bob online"));
    QVERIFY(setStatus(*bob, PresenceStatus::DoNotDisturb));
    QCOMPARE(nextPresence(*alice), QStringLiteral("bob dnd"));

    // A device on a third node that takes calls makes him reachable again.
    auto bobDesk = device(3, QStringLiteral("bob"), QStringLiteral("desk"));
    QVERIFY(bobDesk);
    QCOMPARE(nextPresence(*alice), QStringLiteral("bob online"));
    bobDesk.reset();
    QCOMPARE(nextPresence(*alice), QStringLiteral("bob dnd"));

    QVERIFY(setStatus(*bob, PresenceStatus::Online));
    QCOMPARE(nextPresence(*alice), QStringLiteral("bob online"));
    bob.reset();
    QCOMPARE(nextPresence(*alice), QStringLiteral("bob offline"));
    // Nothing more: one event per change, none repeated.
    QTest::qWait(1500);
    QCOMPARE(presenceEvents(*alice), 0);
}

void TestCallingClusterPresence::subscriberGetsWhatOtherNodesSee()
{
    auto bob = device(2, QStringLiteral("bob"), QStringLiteral("phone"));
    auto carol = device(3, QStringLiteral("carol"), QStringLiteral("desk"));
    QVERIFY(bob && carol);
    QVERIFY(setStatus(*carol, PresenceStatus::DoNotDisturb));
    // Her node writes it once its second of folding changes is over.
    QTRY_COMPARE_WITH_TIMEOUT(
        m_cluster.redis().cli({QStringLiteral("HGET"), QStringLiteral("softphone:loc:carol"),
                               QStringLiteral("dnd:n3")}),
        QStringLiteral("1"), 5000);
    auto alice = device(1, QStringLiteral("alice"), QStringLiteral("laptop"));
    QVERIFY(alice);
    QVERIFY(presenceSubscribed(
        *alice, {QStringLiteral("bob"), QStringLiteral("carol"), QStringLiteral("dave")}));
    QStringList seen;
    for (int i = 0; i < 2; ++i)
        seen << nextPresence(*alice);
    seen.sort();
    QCOMPARE(seen, (QStringList{QStringLiteral("bob online"), QStringLiteral("carol dnd")}));
    QTest::qWait(1500);
    QCOMPARE(presenceEvents(*alice), 0); // dave is offline: nothing about him
}

void TestCallingClusterPresence::redisRestartRebuildsPresence()
{
    auto alice = device(1, QStringLiteral("alice"), QStringLiteral("laptop"));
    auto bob = device(2, QStringLiteral("bob"), QStringLiteral("phone"));
    QVERIFY(alice && bob);
    QVERIFY(presenceSubscribed(*alice, {QStringLiteral("bob"), QStringLiteral("carol")}));
    QCOMPARE(nextPresence(*alice), QStringLiteral("bob online"));

    m_cluster.redis().kill();
    // While Redis is gone, what alice was told stays (well past the 3 s TTL).
    QTest::qWait(4500);
    QCOMPARE(presenceEvents(*alice), 0);
    // Meanwhile bob leaves node 2 and carol comes to node 3.
    bob.reset();
    RawCallingClient carol;
    QVERIFY(carol.signIn(m_cluster.node(3).callingUrl(),
                         serviceToken(m_cluster.node(1), QStringLiteral("carol")),
                         QStringLiteral("desk")));

    // Back, empty: the nodes write their devices again and alice hears both.
    QVERIFY2(m_cluster.redis().start(), qPrintable(m_cluster.redis().lastError()));
    QStringList seen;
    for (int i = 0; i < 2; ++i)
        seen << nextPresence(*alice, 20000);
    seen.sort();
    QCOMPARE(seen, (QStringList{QStringLiteral("bob offline"), QStringLiteral("carol online")}));
}

void TestCallingClusterPresence::deadNodesUsersGoOffline()
{
    auto alice = device(1, QStringLiteral("alice"), QStringLiteral("laptop"));
    auto dave = device(3, QStringLiteral("dave"), QStringLiteral("desk"));
    QVERIFY(alice && dave);
    QVERIFY(presenceSubscribed(*alice, {QStringLiteral("dave")}));
    QCOMPARE(nextPresence(*alice), QStringLiteral("dave online"));
    m_cluster.node(3).kill();
    // Nobody refreshes dave's location: it expires (3 s) and he is offline.
    QCOMPARE(nextPresence(*alice, 15000), QStringLiteral("dave offline"));
}

QTEST_GUILESS_MAIN(TestCallingClusterPresence)
#include "tst_calling_cluster_presence.moc"
