// The push service's protective rules, as a device or a sender runs into them:
// a device pinging too often is told to back off (4774), a device's backlog
// keeps only its newest pushes, and a flooding sender is slowed with 429.
// Limits are lowered with --set so the rules show in a few messages.

#include "PushTestDevice.h"
#include "crypto/WebPushEncryption.h"
#include "support/ServerProcess.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QWebSocket>
#include <QtTest>

using namespace softphone;
using namespace softphone::test;
using Outcome = push::WebPushResult::Outcome;

namespace {

// A bare autopush-protocol device: just hello and pings, to see the close codes.
class RawDevice
{
public:
    explicit RawDevice(const QUrl &url)
    {
        m_socket.setMaxAllowedIncomingFrameSize(65536);
        m_socket.setMaxAllowedIncomingMessageSize(65536);
        QObject::connect(&m_socket, &QWebSocket::textMessageReceived, &m_socket,
                         [this](const QString &text) {
                             m_messages.append(QJsonDocument::fromJson(text.toUtf8()).object());
                         });
        QNetworkRequest request(url);
        request.setRawHeader("Sec-WebSocket-Protocol", "push-notification");
        m_socket.open(request);
    }
    bool hello()
    {
        if (!QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; },
                             15000))
            return false;
        send({{"messageType", "hello"}, {"use_webpush", true}, {"broadcasts", QJsonObject()}});
        return QTest::qWaitFor([this] { return count("hello") == 1; }, 15000);
    }
    void send(const QJsonObject &message)
    {
        m_socket.sendTextMessage(
            QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
    }
    int count(const QString &type) const
    {
        int n = 0;
        for (const QJsonObject &message : m_messages)
            n += message.value(u"messageType").toString() == type;
        return n;
    }
    QWebSocket &socket() { return m_socket; }

private:
    QWebSocket m_socket;
    QList<QJsonObject> m_messages;
};

} // namespace

class TestPushRules : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QString why;
        if (!keychainReachable(&why))
            QFAIL(qPrintable(why));
        m_server = std::make_unique<ServerProcess>(
            QStringList{"--roles", "push", "--set", "push.backlog_cap=5", "--set",
                        "push.device_ping_min=1", "--set", "push.sender_rate=0.01", "--set",
                        "push.sender_burst=30", "--set", "push.hello_timeout=2"});
        QVERIFY2(m_server->start(), qPrintable(m_server->lastError()));
    }

    void pingingTooOftenIsToldToBackOff()
    {
        RawDevice device(m_server->pushWsUrl());
        QVERIFY(device.hello());
        device.send({{"messageType", "ping"}});
        QVERIFY(QTest::qWaitFor([&] { return device.count("ping") == 1; }, 10000));
        // Well past the (lowered) minimum: still welcome.
        QTest::qWait(1500);
        device.send({{"messageType", "ping"}});
        QVERIFY(QTest::qWaitFor([&] { return device.count("ping") == 2; }, 10000));
        QCOMPARE(device.socket().state(), QAbstractSocket::ConnectedState);
        // At once again: closed with "back off".
        device.send({{"messageType", "ping"}});
        QVERIFY(QTest::qWaitFor(
            [&] { return device.socket().state() == QAbstractSocket::UnconnectedState; }, 10000));
        QCOMPARE(int(device.socket().closeCode()), 4774);
        QCOMPARE(device.count("ping"), 2);
    }

    // A connection that never says hello is closed (4408) once the (lowered)
    // hello timeout has passed, not before; one that did is left alone.
    void silentConnectionIsClosedAfterTheHelloTimeout()
    {
        RawDevice silent(m_server->pushWsUrl());
        RawDevice talker(m_server->pushWsUrl());
        QVERIFY(talker.hello());
        QVERIFY(QTest::qWaitFor(
            [&] { return silent.socket().state() == QAbstractSocket::ConnectedState; }, 15000));
        QElapsedTimer clock;
        clock.start();
        QVERIFY(QTest::qWaitFor(
            [&] { return silent.socket().state() == QAbstractSocket::UnconnectedState; }, 15000));
        QCOMPARE(int(silent.socket().closeCode()), 4408);
        QVERIFY2(clock.elapsed() >= 1000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(talker.socket().state(), QAbstractSocket::ConnectedState);
    }

    // Beyond the cap the OLDEST stored pushes go: the newest (calls) matter most; every
    // sender still got 201.
    void backlogKeepsTheNewest()
    {
        PushTestDevice device(m_server->pushWsUrl());
        QVERIFY(device.startAndSubscribe());
        device.channel().stop();
        for (int i = 0; i < 8; ++i)
            QCOMPARE(sendPush(device.subscription(), QByteArray::number(i), {3600}).outcome,
                     Outcome::Delivered);
        device.channel().start();
        const QStringList newest{"3", "4", "5", "6", "7"};
        QTRY_COMPARE_WITH_TIMEOUT(device.payloads(), newest, 15000);
        QTest::qWait(300); // nothing older trickles in after
        QCOMPARE(device.payloads(), newest);
    }

    // One sender flooding one subscription is slowed with 429 + Retry-After; the same
    // sender to another subscription is not.
    void floodingSenderIsRateLimited()
    {
        PushTestDevice device(m_server->pushWsUrl());
        QVERIFY(device.startAndSubscribe(QStringLiteral("flooded")));
        PushTestDevice other(m_server->pushWsUrl());
        QVERIFY(other.startAndSubscribe(QStringLiteral("quiet")));
        auto post = [](const push::PushSubscription &sub) {
            HttpClient http;
            return http.post(sub.endpoint, crypto::encryptWebPush("x", sub.p256dh, sub.auth),
                             {{"TTL", "60"}, {"Content-Encoding", "aes128gcm"}});
        };
        int accepted = 0;
        HttpReply refused;
        for (int i = 0; i < 40 && refused.status == 0; ++i) {
            const HttpReply reply = post(device.subscription());
            if (reply.status == 201)
                ++accepted;
            else
                refused = reply;
        }
        QCOMPARE(accepted, 30); // the burst
        QCOMPARE(refused.status, 429);
        QCOMPARE(refused.json.value("error").toString(), QStringLiteral("rate_limited"));
        QVERIFY(!refused.header("Retry-After").isEmpty());
        QCOMPARE(post(other.subscription()).status, 201);
        // What was accepted is delivered; nothing refused is.
        QTRY_COMPARE_WITH_TIMEOUT(device.payloads().size(), 30, 20000);
        QTest::qWait(300);
        QCOMPARE(device.payloads().size(), 30);
    }

private:
    std::unique_ptr<ServerProcess> m_server;
};

QTEST_GUILESS_MAIN(TestPushRules)
#include "tst_push_rules.moc"
