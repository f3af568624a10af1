// The push service and PushChannel together, as a user of the softphone would
// notice them: pushes arrive, once, in order, even when the device was offline;
// what the standards say must not arrive does not.

#include "PushTestDevice.h"
#include "crypto/WebPushEncryption.h"
#include "support/ServerProcess.h"

#include <QtTest>

using namespace softphone;
using namespace softphone::test;
using Outcome = push::WebPushResult::Outcome;

class TestPushDelivery : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void connectedDeviceGetsPush();
    void offlineDeviceGetsStoredPushesInOrderOnce();
    void expiredPushIsNeverDelivered();
    void ttlZeroWhileOfflineIsNeverDelivered();
    void topicReplacesUndeliveredPush();
    void unregisteredEndpointIsGone();
    void vapidRestrictedSubscription();
    void badRequestsAreRefused();
    void duplicateAfterLostAckIsDropped();

private:
    // A raw POST to an endpoint with a correctly encrypted body unless one is given.
    HttpReply rawPost(const push::PushSubscription &sub, const QByteArray &body,
                      const QList<QPair<QByteArray, QByteArray>> &headers);
    std::unique_ptr<ServerProcess> m_server;
};

void TestPushDelivery::initTestCase()
{
    QString why;
    if (!keychainReachable(&why))
        QFAIL(qPrintable(why));
    m_server = std::make_unique<ServerProcess>(
        QStringList{QStringLiteral("--roles"), QStringLiteral("push")});
    QVERIFY2(m_server->start(), qPrintable(m_server->lastError()));
}

HttpReply TestPushDelivery::rawPost(const push::PushSubscription &sub, const QByteArray &body,
                                    const QList<QPair<QByteArray, QByteArray>> &headers)
{
    HttpClient http;
    return http.post(sub.endpoint, body, headers);
}

void TestPushDelivery::connectedDeviceGetsPush()
{
    PushTestDevice device(m_server->pushWsUrl());
    QVERIFY(device.startAndSubscribe());
    const auto result = sendPush(device.subscription(), "incoming call from alice", {60});
    QCOMPARE(result.outcome, Outcome::Delivered);
    QCOMPARE(result.httpStatus, 201);
    QVERIFY(result.location.isValid());
    QCOMPARE(result.ttl, 60);
    QTRY_COMPARE(device.payloads(), QStringList{QStringLiteral("incoming call from alice")});
    QCOMPARE(device.received().first().subscription(), QStringLiteral("calls"));
}

void TestPushDelivery::offlineDeviceGetsStoredPushesInOrderOnce()
{
    PushTestDevice device(m_server->pushWsUrl());
    QVERIFY(device.startAndSubscribe());
    device.channel().stop();
    // More than one batch of 10, so the batch-after-ack path is exercised.
    QStringList sent;
    for (int i = 0; i < 25; ++i) {
        sent << QStringLiteral("message %1").arg(i);
        QCOMPARE(sendPush(device.subscription(), sent.last().toUtf8(), {3600}).outcome,
                 Outcome::Delivered);
    }
    device.channel().start();
    QTRY_COMPARE(device.payloads().size(), sent.size());
    QCOMPARE(device.payloads(), sent);
    // Reconnecting again brings nothing old: the next push is the next thing seen.
    device.channel().stop();
    device.channel().start();
    QCOMPARE(sendPush(device.subscription(), "after", {60}).outcome, Outcome::Delivered);
    QTRY_COMPARE(device.payloads().size(), sent.size() + 1);
    QCOMPARE(device.payloads().last(), QStringLiteral("after"));
    QCOMPARE(device.duplicates, 0);
}

void TestPushDelivery::expiredPushIsNeverDelivered()
{
    PushTestDevice device(m_server->pushWsUrl());
    QVERIFY(device.startAndSubscribe());
    device.channel().stop();
    QCOMPARE(sendPush(device.subscription(), "short-lived", {1}).outcome, Outcome::Delivered);
    QTest::qWait(2500); // let its TTL pass while the device is away
    QCOMPARE(sendPush(device.subscription(), "marker", {600}).outcome, Outcome::Delivered);
    device.channel().start();
    QTRY_COMPARE(device.payloads().size(), 1);
    QCOMPARE(device.payloads(), QStringList{QStringLiteral("marker")});
}

void TestPushDelivery::ttlZeroWhileOfflineIsNeverDelivered()
{
    PushTestDevice device(m_server->pushWsUrl());
    QVERIFY(device.startAndSubscribe());
    device.channel().stop();
    // RFC 8030: accepted, but only for a device connected right now.
    QCOMPARE(sendPush(device.subscription(), "now or never", {0}).outcome, Outcome::Delivered);
    QCOMPARE(sendPush(device.subscription(), "marker", {600}).outcome, Outcome::Delivered);
    device.channel().start();
    QTRY_COMPARE(device.payloads().size(), 1);
    QCOMPARE(device.payloads(), QStringList{QStringLiteral("marker")});
    // Connected: a TTL 0 push does arrive.
    QCOMPARE(sendPush(device.subscription(), "now", {0}).outcome, Outcome::Delivered);
    QTRY_COMPARE(device.payloads().size(), 2);
    QCOMPARE(device.payloads().last(), QStringLiteral("now"));
}

void TestPushDelivery::topicReplacesUndeliveredPush()
{
    PushTestDevice device(m_server->pushWsUrl());
    QVERIFY(device.startAndSubscribe());
    device.channel().stop();
    push::WebPushOptions topic{600, QStringLiteral("high"), QStringLiteral("call-42")};
    QCOMPARE(sendPush(device.subscription(), "ringing", topic).outcome, Outcome::Delivered);
    QCOMPARE(sendPush(device.subscription(), "canceled", topic).outcome, Outcome::Delivered);
    QCOMPARE(sendPush(device.subscription(), "marker", {600}).outcome, Outcome::Delivered);
    device.channel().start();
    QTRY_COMPARE(device.payloads().size(), 2);
    QCOMPARE(device.payloads(),
             (QStringList{QStringLiteral("canceled"), QStringLiteral("marker")}));
}

void TestPushDelivery::unregisteredEndpointIsGone()
{
    PushTestDevice device(m_server->pushWsUrl());
    QVERIFY(device.startAndSubscribe());
    const auto sub = device.subscription();
    QCOMPARE(sendPush(sub, "before", {60}).outcome, Outcome::Delivered);
    QTRY_COMPARE(device.payloads().size(), 1);
    device.channel().unsubscribe(QStringLiteral("calls"));
    QVERIFY(!device.channel().subscription(QStringLiteral("calls")));
    // The unregister travels asynchronously; once it landed the endpoint answers 410 for good.
    push::WebPushResult result;
    QTRY_VERIFY((result = sendPush(sub, "after", {60})).outcome == Outcome::Gone);
    QCOMPARE(result.httpStatus, 410);
    QCOMPARE(sendPush(sub, "again", {60}).httpStatus, 410);
    // An endpoint that never existed is 404.
    push::PushSubscription unknown = sub;
    unknown.endpoint = QUrl(m_server->pushHttpUrl().toString() + QStringLiteral("/nosuchtoken"));
    QCOMPARE(sendPush(unknown, "x", {60}).httpStatus, 404);
    QCOMPARE(device.payloads().size(), 1);
}

void TestPushDelivery::vapidRestrictedSubscription()
{
    const crypto::EcKey serverKey = crypto::EcKey::generate();
    const crypto::EcKey otherKey = crypto::EcKey::generate();
    PushTestDevice device(m_server->pushWsUrl());
    QVERIFY(device.startAndSubscribe(QStringLiteral("calls"), serverKey.publicRaw()));
    const auto missing = sendPush(device.subscription(), "no vapid", {60});
    QCOMPARE(missing.httpStatus, 401);
    QCOMPARE(missing.outcome, Outcome::Rejected);
    const auto wrong = sendPush(device.subscription(), "wrong key", {60}, otherKey);
    QCOMPARE(wrong.httpStatus, 403);
    const auto right = sendPush(device.subscription(), "signed", {60}, serverKey);
    QCOMPARE(right.httpStatus, 201);
    QTRY_COMPARE(device.payloads(), QStringList{QStringLiteral("signed")});
}

void TestPushDelivery::badRequestsAreRefused()
{
    PushTestDevice device(m_server->pushWsUrl());
    QVERIFY(device.startAndSubscribe());
    const auto sub = device.subscription();
    const QByteArray body = crypto::encryptWebPush("hi", sub.p256dh, sub.auth);
    const QPair<QByteArray, QByteArray> encoding{"Content-Encoding", "aes128gcm"};
    const QPair<QByteArray, QByteArray> ttl{"TTL", "60"};

    const auto noTtl = rawPost(sub, body, {encoding});
    QCOMPARE(noTtl.status, 400);
    QVERIFY2(noTtl.body.contains("TTL"), noTtl.body.constData());
    QCOMPARE(rawPost(sub, body, {ttl}).status, 400); // no Content-Encoding
    QCOMPARE(rawPost(sub, QByteArray(4097, 'x'), {encoding, ttl}).status, 413);
    QCOMPARE(rawPost(sub, body, {encoding, ttl, {"Topic", "not a topic!"}}).status, 400);
    QCOMPARE(rawPost(sub, body, {encoding, ttl, {"Urgency", "urgent"}}).status, 400);
    // A TTL beyond 30 days is lowered, and the service says what it used.
    const auto clamped = rawPost(sub, body, {encoding, {"TTL", "99999999"}});
    QCOMPARE(clamped.status, 201);
    QCOMPARE(clamped.header("TTL"), QByteArray::number(30 * 24 * 3600));
    // The refused ones lost nothing: exactly the accepted push arrives.
    QTRY_COMPARE(device.payloads(), QStringList{QStringLiteral("hi")});
}

void TestPushDelivery::duplicateAfterLostAckIsDropped()
{
    PushTestDevice device(m_server->pushWsUrl());
    QVERIFY(device.startAndSubscribe());
    device.autoAccept = false;
    QCOMPARE(sendPush(device.subscription(), "once", {600}).outcome, Outcome::Delivered);
    QTRY_COMPARE(device.received().size(), 1);
    // The connection dies before the ack leaves; the application then takes the message.
    QSignalSpy state(&device.channel(), &push::PushChannel::statusChanged);
    device.channel().reconnect();
    QVERIFY(device.channel().status() != push::PushChannel::Status::Connected);
    device.received().first().accept();
    // The service redelivers (it never saw an ack); the channel acks and drops it.
    QTRY_COMPARE(device.duplicates, 1);
    QCOMPARE(device.received().size(), 1);
    device.autoAccept = true;
    QCOMPARE(sendPush(device.subscription(), "next", {600}).outcome, Outcome::Delivered);
    QTRY_COMPARE(device.received().size(), 2);
    QCOMPARE(device.payloads(), (QStringList{QStringLiteral("once"), QStringLiteral("next")}));
}

QTEST_GUILESS_MAIN(TestPushDelivery)
#include "tst_push_delivery.moc"
