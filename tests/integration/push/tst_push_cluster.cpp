// The push role on every node of a cluster (--bus, one shared PostgreSQL), as a
// device notices it: a push posted to node 1 reaches the device connected to
// node 3 once; after its ack the device moves to node 2 and gets nothing again;
// pushes stored while it was away are drained wherever it reconnects, in
// order, once; pushes posted to all three nodes in turn (each node storing into
// the one database) all arrive, once each. A TTL 0 push posted to one node
// reaches the device connected to another at once, unstored. New devices from one address are
// counted on every node (push.new_uaids_per_address, 3 in 3 s here). While
// Redis is away pushes are still stored (201) and reach a device on another
// node once Redis is back.
#include "PushTestDevice.h"
#include "support/TestCluster.h"

#include <QDeadlineTimer>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>
#include <QtTest>

using namespace softphone;
using namespace softphone::test;
using Outcome = push::WebPushResult::Outcome;

class TestPushCluster : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void newDevicesAreCountedOnEveryNode(); // first: the other tests' devices are new ones too
    void pushPostedOnOneNodeReachesADeviceOnAnother();
    void storedPushesAreDrainedWhereverTheDeviceReconnects();
    void everyNodeStoresIntoTheOneDatabase();
    void ttlZeroPushReachesADeviceOnAnotherNodeUnstored();
    void pushesStoredWhileRedisIsAwayArriveWhenItIsBack();

private:
    // The device's subscription with its endpoint on node `node` (any node serves
    // /wpush/<token>: the token is in the shared database).
    push::PushSubscription via(const push::PushSubscription &sub, int node);
    // Bounded wait until the shared database holds no undelivered message (every
    // ack's delete is committed).
    bool storeEmpty(int timeoutMs = 10000);
    bool connectTo(PushTestDevice &device, int node);

    TestCluster m_cluster;
};

void TestPushCluster::initTestCase()
{
    QString why;
    if (!keychainReachable(&why))
        QFAIL(qPrintable(why));
    QVERIFY2(
        m_cluster.start(3, QStringLiteral("push"),
                        {QStringLiteral("--set"), QStringLiteral("push.new_uaids_per_address=3"),
                         QStringLiteral("--set"), QStringLiteral("push.new_uaid_window=3")}),
        qPrintable(m_cluster.lastError()));
}

namespace {
// A raw autopush hello asking for a new device: 0 when welcomed, the close code
// when refused, -1 when neither came in time.
int newDeviceHello(const QUrl &url)
{
    QWebSocket socket;
    QWebSocketHandshakeOptions options;
    options.setSubprotocols({QStringLiteral("push-notification")});
    QSignalSpy connected(&socket, &QWebSocket::connected);
    QSignalSpy closed(&socket, &QWebSocket::disconnected);
    QSignalSpy text(&socket, &QWebSocket::textMessageReceived);
    socket.open(QNetworkRequest(url), options);
    if (!connected.wait(5000))
        return -1;
    socket.sendTextMessage(QStringLiteral(R"({"messageType":"hello","use_webpush":true})"));
    const QDeadlineTimer deadline(5000);
    while (text.isEmpty() && closed.isEmpty() && !deadline.hasExpired())
        QTest::qWait(20);
    if (!text.isEmpty())
        return 0;
    return closed.isEmpty() ? -1 : int(socket.closeCode());
}
} // namespace

void TestPushCluster::newDevicesAreCountedOnEveryNode()
{
    // One new device on each node: three from this address in the window.
    for (int node = 1; node <= 3; ++node)
        QCOMPARE(newDeviceHello(m_cluster.node(node).pushWsUrl()), 0);
    // Node 1 alone has counted one: the cluster's count refuses the fourth.
    QCOMPARE(newDeviceHello(m_cluster.node(1).pushWsUrl()), 4774);
    QTest::qWait(3200); // the window passes for the tests that follow
    QCOMPARE(newDeviceHello(m_cluster.node(2).pushWsUrl()), 0);
    QTest::qWait(3200);
}

push::PushSubscription TestPushCluster::via(const push::PushSubscription &sub, int node)
{
    push::PushSubscription moved = sub;
    const QString token = sub.endpoint.path().section(u'/', -1);
    moved.endpoint = QUrl(m_cluster.node(node).pushHttpUrl().toString() + u'/' + token);
    return moved;
}

bool TestPushCluster::storeEmpty(int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (m_cluster.postgres()
                .query(QStringLiteral("SELECT count(*) FROM push.messages"))
                .trimmed() == u"0")
            return true;
        QTest::qWait(100);
    }
    return false;
}

bool TestPushCluster::connectTo(PushTestDevice &device, int node)
{
    device.channel().stop();
    device.channel().setServiceUrl(m_cluster.node(node).pushWsUrl());
    device.channel().start();
    const QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired() &&
           device.channel().status() != push::PushChannel::Status::Connected)
        QTest::qWait(50);
    return device.channel().status() == push::PushChannel::Status::Connected;
}

void TestPushCluster::pushPostedOnOneNodeReachesADeviceOnAnother()
{
    PushTestDevice device(m_cluster.node(3).pushWsUrl());
    QVERIFY(device.startAndSubscribe());
    QCOMPARE(device.subscription().endpoint.port(), m_cluster.node(3).pushHttpUrl().port());

    const auto result = sendPush(via(device.subscription(), 1), "call from alice", {60});
    QCOMPARE(result.outcome, Outcome::Delivered);
    QCOMPARE(result.httpStatus, 201);
    QTRY_COMPARE_WITH_TIMEOUT(device.payloads(), QStringList{QStringLiteral("call from alice")},
                              10000);
    // Acknowledged: once its delete is committed, another node has nothing to send.
    QVERIFY(storeEmpty());
    QVERIFY(connectTo(device, 2));
    QTest::qWait(1500);
    QCOMPARE(device.payloads().size(), 1);
    QCOMPARE(device.duplicates, 0);

    // Connected to node 2 now: a push posted to node 3 comes through node 2.
    QCOMPARE(sendPush(via(device.subscription(), 3), "call from bob", {60}).outcome,
             Outcome::Delivered);
    QTRY_COMPARE_WITH_TIMEOUT(device.payloads().size(), 2, 10000);
    QCOMPARE(device.payloads().last(), QStringLiteral("call from bob"));
    QTest::qWait(1000);
    QCOMPARE(device.payloads().size(), 2);
    QCOMPARE(device.duplicates, 0);
}

void TestPushCluster::storedPushesAreDrainedWhereverTheDeviceReconnects()
{
    PushTestDevice device(m_cluster.node(1).pushWsUrl());
    QVERIFY(device.startAndSubscribe());
    device.channel().stop();
    QStringList sent;
    for (int i = 0; i < 12; ++i) {
        sent << QStringLiteral("missed %1").arg(i);
        // Spread over the nodes: one database, one order.
        QCOMPARE(
            sendPush(via(device.subscription(), 1 + i % 3), sent.last().toUtf8(), {3600}).outcome,
            Outcome::Delivered);
    }
    QVERIFY(connectTo(device, 3));
    QTRY_COMPARE_WITH_TIMEOUT(device.payloads().size(), sent.size(), 10000);
    QCOMPARE(device.payloads(), sent);
    QVERIFY(storeEmpty());
    QVERIFY(connectTo(device, 2));
    QTest::qWait(1500);
    QCOMPARE(device.payloads().size(), sent.size());
    QCOMPARE(device.duplicates, 0);
}

void TestPushCluster::everyNodeStoresIntoTheOneDatabase()
{
    PushTestDevice device(m_cluster.node(2).pushWsUrl());
    QVERIFY(device.startAndSubscribe());
    // Each node numbers its messages in the one database: none collides.
    QStringList sent;
    for (int i = 0; i < 30; ++i) {
        sent << QStringLiteral("push %1").arg(i);
        const auto result =
            sendPush(via(device.subscription(), 1 + i % 3), sent.last().toUtf8(), {600});
        QVERIFY2(result.httpStatus == 201, qPrintable(QString::number(result.httpStatus)));
    }
    QTRY_COMPARE_WITH_TIMEOUT(device.payloads().size(), sent.size(), 15000);
    QStringList got = device.payloads();
    got.sort();
    sent.sort();
    QCOMPARE(got, sent);
    QVERIFY(storeEmpty());
    QCOMPARE(device.duplicates, 0);
}

void TestPushCluster::ttlZeroPushReachesADeviceOnAnotherNodeUnstored()
{
    PushTestDevice device(m_cluster.node(3).pushWsUrl());
    QVERIFY(device.startAndSubscribe());
    // Posted to node 1, sent on by node 3 at once, never stored.
    const auto result = sendPush(via(device.subscription(), 1), "now or never", {0});
    QCOMPARE(result.httpStatus, 201);
    QTRY_COMPARE_WITH_TIMEOUT(device.payloads(), QStringList{QStringLiteral("now or never")},
                              10000);
    QCOMPARE(
        m_cluster.postgres().query(QStringLiteral("SELECT count(*) FROM push.messages")).trimmed(),
        QStringLiteral("0"));
    // Offline: accepted and dropped; nothing comes when the device is back.
    device.channel().stop();
    QCOMPARE(sendPush(via(device.subscription(), 2), "nobody there", {0}).httpStatus, 201);
    QVERIFY(connectTo(device, 2));
    QTest::qWait(1000);
    QCOMPARE(device.payloads().size(), 1);
    QCOMPARE(device.duplicates, 0);
}

void TestPushCluster::pushesStoredWhileRedisIsAwayArriveWhenItIsBack()
{
    PushTestDevice device(m_cluster.node(2).pushWsUrl());
    QVERIFY(device.startAndSubscribe());
    m_cluster.redis().kill();
    QTest::qWait(500); // the nodes notice
    // Stored and answered as ever; nobody can tell node 2.
    QCOMPARE(sendPush(via(device.subscription(), 1), "while redis was away", {600}).httpStatus,
             201);
    QTest::qWait(1000);
    QVERIFY(device.payloads().isEmpty());
    // Back: node 2 reads the store again for each of its devices.
    QVERIFY2(m_cluster.redis().start(), qPrintable(m_cluster.redis().lastError()));
    QTRY_COMPARE_WITH_TIMEOUT(device.payloads(),
                              QStringList{QStringLiteral("while redis was away")}, 15000);
    QVERIFY(storeEmpty());
    QCOMPARE(device.duplicates, 0);
}

QTEST_GUILESS_MAIN(TestPushCluster)
#include "tst_push_cluster.moc"
