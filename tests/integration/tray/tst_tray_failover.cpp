// The tray agent on a cluster of three nodes (one PostgreSQL, one Redis, every
// role on every node), as a user notices it: bob's agent, given the three
// nodes, signs in and registers for pushes through node 1; node 1 is
// SIGKILLed; the agent moves to another node by itself (offline, then online
// again, its push endpoint on that node), and a call from alice on the third
// node, while bob's softphone is not running, still rings through a push the
// agent received once (the nodes trust each other's push origins): one softphone started, no push
// handed over twice. Every part real (see TrayTestSupport.h); one test function, so the cluster
// starts once.
#include "support/TestCluster.h"
#include "support/TrayTestSupport.h"

using namespace traytest;
using softphone::test::TestCluster;

class TstTrayFailover : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { requireBinaries(); }

    void agentMovesOffAKilledNodeAndAPushStillRings()
    {
        TestCluster cluster;
        QVERIFY2(cluster.start(3, QStringLiteral("appserver,calling,push")),
                 qPrintable(cluster.lastError()));
        for (const QString &user : {QStringLiteral("alice"), QStringLiteral("bob")})
            QVERIFY(cluster.addUsers({user}, QStringLiteral("password-") + user));

        QTemporaryDir home;
        Tray tray(home);
        tray.start({QStringLiteral("--server"), cluster.serviceAddress({1, 2, 3}),
                    QStringLiteral("--user"), QStringLiteral("bob"),
                    QStringLiteral("--password-stdin")},
                   "password-bob\n");
        QVERIFY2(tray.waitForState(QStringLiteral("online"), 60000),
                 qPrintable(QJsonDocument(tray.lastState).toJson()));
        const auto endpointPort = [&] { return QUrl(agentEndpoint(home.path())).port(); };
        QCOMPARE(endpointPort(), cluster.node(1).pushHttpUrl().port());

        cluster.node(1).kill();
        QVERIFY2(tray.waitForState(QStringLiteral("offline"), 20000),
                 qPrintable(QJsonDocument(tray.lastState).toJson()));
        // Online again with its push endpoint on a live node (registered there).
        QVERIFY2(tray.waitForStateWhere(
                     [&](const QJsonObject &line) {
                         const int port = endpointPort();
                         return line.value(u"state").toString() == u"online" &&
                                (port == cluster.node(2).pushHttpUrl().port() ||
                                 port == cluster.node(3).pushHttpUrl().port());
                     },
                     30000),
                 qPrintable(QJsonDocument(tray.lastState).toJson() + u'\n' +
                            agentEndpoint(home.path())));
        QVERIFY(softphonesOf(home.path()).isEmpty());
        const int movedTo = endpointPort() == cluster.node(2).pushHttpUrl().port() ? 2 : 3;

        // alice calls bob from the other live node: only his agent can be reached,
        // by push, and its endpoint is on another node's push origin, which her
        // node trusts (TestCluster lists every node's with --push-allow, as a
        // deployment does).
        const QString rang = aliceRingsBobThroughPush(cluster.node(movedTo == 2 ? 3 : 2));
        QVERIFY2(rang.isEmpty(), qPrintable(rang));
        QCOMPARE(softphonesOf(home.path()).size(), 1);
        QTest::qWait(500); // a repeat of the push would come within this
        const QByteArray log = tray.process.readAllStandardError();
        QVERIFY2(!log.contains("was handed over before"), log.constData());
        QCOMPARE(log.count("started the softphone"), 1);
        QCOMPARE(tray.process.state(), QProcess::Running);
    }
};

QTEST_GUILESS_MAIN(TstTrayFailover)
#include "tst_tray_failover.moc"
