// Clients with several service URLs on a cluster of three nodes (one PostgreSQL,
// one Redis), as users notice them: bob's softphone-cli, given the three nodes,
// signs in at node 1; node 1 is SIGKILLed in the middle of his call; within
// 10 s his client signs in again at another node without asking and is
// connected there, and the next call to him rings and is answered. A client
// given a dead node first signs in at the next one. A client whose nodes are all
// down tries them for its --failover-time, then exits with code 3 and says why.
#include "support/CliProcess.h"
#include "support/TestCluster.h"

#include <QElapsedTimer>
#include <QtTest>

using namespace softphone::test;

namespace {
const QString kPassword = QStringLiteral("pw-123456");

// The CLI's call state events reached `state` ("established", ...).
bool reached(const CliProcess &cli, const QString &state)
{
    for (const QJsonObject &event : cli.events(QStringLiteral("state")))
        if (event.value(u"state").toString() == state)
            return true;
    return false;
}

int connectedCount(const CliProcess &cli)
{
    int count = 0;
    for (const QJsonObject &event : cli.events(QStringLiteral("connection")))
        count += event.value(u"state").toString() == u"connected";
    return count;
}
} // namespace

class TestClusterFailover : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void killedNodesClientIsBackOnAnotherNodeAndTheNextCallWorks();
    void signInPassesOverADeadNode();        // after the first: node 1 is dead
    void everyNodeDownEndsTheRunWithCode3(); // last: kills node 3

private:
    std::unique_ptr<TestCluster> m_cluster;
};

void TestClusterFailover::initTestCase()
{
    m_cluster = std::make_unique<TestCluster>();
    QVERIFY2(m_cluster->start(3, QStringLiteral("appserver,calling")),
             qPrintable(m_cluster->lastError()));
    QVERIFY(m_cluster->addUsers(
        {QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("carol")}, kPassword));
}

void TestClusterFailover::cleanupTestCase()
{
    m_cluster.reset();
}

void TestClusterFailover::killedNodesClientIsBackOnAnotherNodeAndTheNextCallWorks()
{
    // bob lists all three nodes, node 1 first: he signs in there.
    CliProcess bob(
        m_cluster->serviceAddress({1, 2, 3}), QStringLiteral("bob"), kPassword,
        {QStringLiteral("listen"), QStringLiteral("--answer-all"), QStringLiteral("--no-audio")});
    QVERIFY2(bob.waitForEvent(QStringLiteral("started")), qPrintable(bob.transcript()));
    QCOMPARE(m_cluster->nodeOfCallingUrl(
                 QUrl(bob.event(QStringLiteral("signed_in")).value(u"calling").toString())),
             1);

    // alice on node 2 calls him; he answers: the call is established across nodes.
    CliProcess firstCall(
        m_cluster->node(2).appServerUrl(), QStringLiteral("alice"), kPassword,
        {QStringLiteral("call"), QStringLiteral("bob"), QStringLiteral("--no-audio")});
    QVERIFY2(
        QTest::qWaitFor([&] { return reached(firstCall, QStringLiteral("established")); }, 30000),
        qPrintable(firstCall.transcript() + u'\n' + bob.transcript()));

    // Node 1 dies in the middle of the call.
    QElapsedTimer sinceKill;
    sinceKill.start();
    m_cluster->node(1).kill();

    // bob's client signs in again at another node and is connected there.
    QVERIFY2(bob.waitForEvent(QStringLiteral("moved"), 10000), qPrintable(bob.transcript()));
    QVERIFY2(QTest::qWaitFor([&] { return connectedCount(bob) >= 2; },
                             int(std::max<qint64>(0, 10000 - sinceKill.elapsed()))),
             qPrintable(bob.transcript()));
    const qint64 backAfterMs = sinceKill.elapsed();
    qInfo("bob was connected to another node %lld ms after node 1 was killed", backAfterMs);
    QVERIFY(backAfterMs <= 10000);
    const QJsonObject moved = bob.event(QStringLiteral("moved"));
    const int newNode = m_cluster->nodeOfCallingUrl(QUrl(moved.value(u"calling").toString()));
    QVERIFY2(newNode == 2 || newNode == 3, qPrintable(bob.transcript()));
    QCOMPARE(QUrl(moved.value(u"server").toString()).port(),
             m_cluster->node(newNode).appServerUrl().port());

    // The call that was on node 1 ended for both, with an error, not silently.
    QVERIFY2(firstCall.finished(20000), qPrintable(firstCall.transcript()));
    QCOMPARE(firstCall.exitCode(), 1);
    QVERIFY(!bob.event(QStringLiteral("ended")).isEmpty());

    // The next call rings at his new node and is answered; alice hangs up.
    CliProcess nextCall(m_cluster->node(3).appServerUrl(), QStringLiteral("alice"), kPassword,
                        {QStringLiteral("call"), QStringLiteral("bob"),
                         QStringLiteral("--no-audio"), QStringLiteral("--hangup-after"),
                         QStringLiteral("1")});
    QVERIFY2(nextCall.finished(30000),
             qPrintable(nextCall.transcript() + u'\n' + bob.transcript()));
    QVERIFY2(reached(nextCall, QStringLiteral("established")), qPrintable(nextCall.transcript()));
    QCOMPARE(nextCall.exitCode(), 0);
    QCOMPARE(bob.events(QStringLiteral("incoming")).size(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(bob.events(QStringLiteral("ended")).size(), 2, 5000);
    QCOMPARE(bob.events(QStringLiteral("ended")).last().value(u"cause").toString(),
             QStringLiteral("hung_up"));
}

void TestClusterFailover::signInPassesOverADeadNode()
{
    QVERIFY(!m_cluster->node(1).isRunning());
    CliProcess carol(m_cluster->serviceAddress({1, 3}), QStringLiteral("carol"), kPassword,
                     {QStringLiteral("listen"), QStringLiteral("--no-audio")});
    QVERIFY2(carol.waitForEvent(QStringLiteral("started")), qPrintable(carol.transcript()));
    QCOMPARE(m_cluster->nodeOfCallingUrl(
                 QUrl(carol.event(QStringLiteral("signed_in")).value(u"calling").toString())),
             3);
}

void TestClusterFailover::everyNodeDownEndsTheRunWithCode3()
{
    QVERIFY(!m_cluster->node(1).isRunning());
    CliProcess carol(m_cluster->serviceAddress({1, 3}), QStringLiteral("carol"), kPassword,
                     {QStringLiteral("listen"), QStringLiteral("--no-audio"),
                      QStringLiteral("--failover-time"), QStringLiteral("3")});
    QVERIFY2(carol.waitForEvent(QStringLiteral("started")), qPrintable(carol.transcript()));
    m_cluster->node(3).kill();
    // Both of her nodes are down: she tries them for 3 s, then the run ends, clearly.
    QVERIFY2(carol.finished(30000), qPrintable(carol.transcript()));
    QCOMPARE(carol.exitCode(), 3);
    QVERIFY2(carol.event(QStringLiteral("error"))
                 .value(u"message")
                 .toString()
                 .startsWith(QStringLiteral("no node of the service answered for 3 s")),
             qPrintable(carol.transcript()));
}

QTEST_GUILESS_MAIN(TestClusterFailover)
#include "tst_cluster_failover.moc"
