// A peer that stops reading (issue #11 item 7), against a real softphone-server.
// A push device takes nothing off its socket while senders keep pushing to it:
// the server must not queue without bound; the device is closed with 4413
// ("send queue full") once its queue passes ws.send_queue_close (lowered with
// --set), the server's memory stays flat, and another device on the same
// server gets its pushes as usual. A callee that stops reading loses relayed
// media (dropped above ws.send_queue_drop) instead of having it all queued,
// and its call goes on.

#include "RawPeer.h"
#include "support/ServerProcess.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

#include <memory>

using namespace softphone::test;

namespace {
constexpr int kCloseMark = 256 * 1024;
constexpr int kPushes = 8000; // of 4 KiB: ~44 MiB of notifications
constexpr quint16 kCloseSendQueueFull = 4413;

QJsonObject json(const RawFrame &f)
{
    return QJsonDocument::fromJson(f.payload).object();
}

// hello and one subscription; the push endpoint's path, empty on failure.
QString subscribe(RawPeer &device)
{
    if (!device.upgrade("/v1/push", "push-notification"))
        return {};
    device.sendText(R"({"messageType":"hello","use_webpush":true})");
    if (json(device.readFrame()).value("status").toInt() != 200)
        return {};
    const QString channel = QUuid::createUuid().toString(QUuid::WithoutBraces);
    device.sendText(QJsonDocument(QJsonObject{{"messageType", "register"}, {"channelID", channel}})
                        .toJson(QJsonDocument::Compact));
    const QJsonObject reply = json(device.readFrame());
    return QUrl(reply.value("pushEndpoint").toString()).path();
}

QByteArray pushRequest(const QString &path, int ttl, qsizetype size)
{
    return "POST " + path.toLatin1() + " HTTP/1.1\r\nHost: x\r\nTTL: " + QByteArray::number(ttl) +
           "\r\nContent-Encoding: aes128gcm\r\nContent-Length: " + QByteArray::number(size) +
           "\r\n\r\n" + QByteArray(size, 'p');
}
} // namespace

class TestListenersBackpressure : public QObject
{
    Q_OBJECT

    std::unique_ptr<ServerProcess> m_server;

private slots:
    void initTestCase()
    {
        // Freed memory held in ASan's quarantine would hide what RSS says about queues.
        qputenv("ASAN_OPTIONS", qgetenv("ASAN_OPTIONS") + ":quarantine_size_mb=4");
        m_server = std::make_unique<ServerProcess>(
            QStringList{"--roles", "push", "--set", "push.sender_rate=100000", "--set",
                        "push.sender_burst=100000", "--set",
                        QStringLiteral("ws.send_queue_close=%1").arg(kCloseMark), "--set",
                        QStringLiteral("ws.send_queue_drop=%1").arg(kCloseMark / 4)});
        QVERIFY2(m_server->start(), qPrintable(m_server->lastError()));
    }

    void deviceThatDoesNotReadIsClosed()
    {
        RawPeer slow(m_server->pushWsUrl(), QHostAddress("127.0.0.2"), 4096);
        const QString slowPath = subscribe(slow);
        QVERIFY(!slowPath.isEmpty());
        RawPeer normal(m_server->pushWsUrl(), QHostAddress("127.0.0.3"));
        const QString normalPath = subscribe(normal);
        QVERIFY(!normalPath.isEmpty());
        slow.stopReading();

        const qint64 rssBefore = m_server->rssKiB();
        // TTL 0 goes straight to the socket (never stored): nothing but the socket
        // holds it.
        // Keep-alive ends after 1000 requests: the sender reconnects then.
        auto sender = std::make_unique<RawPeer>(m_server->pushHttpUrl(), QHostAddress("127.0.0.4"));
        int accepted = 0;
        for (int i = 0; i < kPushes; ++i) {
            sender->send(pushRequest(slowPath, 0, 4096));
            const RawHttpResponse r = sender->readResponse(10000);
            if (r.status == 201)
                ++accepted;
            if (r.head.contains("Connection: close"))
                sender =
                    std::make_unique<RawPeer>(m_server->pushHttpUrl(), QHostAddress("127.0.0.4"));
        }
        QCOMPARE(accepted, kPushes); // the sender is told nothing about the device
        const qint64 grown = m_server->rssKiB() - rssBefore;
        qInfo("%d pushes of 4 KiB to a device that does not read: server RSS grew %lld KiB",
              kPushes, grown);

        slow.resumeReading();
        int notifications = 0;
        const RawFrame close = slow.readUntil(0x8, 20000, &notifications);
        qInfo("the device got %d notifications before the close frame", notifications);
        QCOMPARE(close.closeCode(), kCloseSendQueueFull);
        QVERIFY(notifications < kPushes / 4);
        QVERIFY2(grown < 16 * 1024, qPrintable(QStringLiteral("RSS grew %1 KiB").arg(grown)));

        // The other device is served as before.
        RawPeer another(m_server->pushHttpUrl(), QHostAddress("127.0.0.5"));
        another.send(pushRequest(normalPath, 60, 100));
        QCOMPARE(another.readResponse().status, 201);
        const QJsonObject note = json(normal.readFrame());
        QCOMPARE(note.value("messageType").toString(), QStringLiteral("notification"));
    }

    void calleeThatDoesNotReadLosesMedia()
    {
        // The kernel's send buffer fixed small, so the server's own queue fills in seconds.
        ServerProcess server({"--roles", "appserver,calling", "--set",
                              "ws.socket_send_buffer=16384", "--set", "ws.send_queue_drop=16384"});
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        QVERIFY(server.addUser("alice", "alice-password"));
        QVERIFY(server.addUser("bob", "bob-password"));
        // Signed in on the calling service; the first event after `welcome` is checked by the
        // caller.
        auto signIn = [&server](RawPeer &peer, const char *user, const char *password) {
            const QString token = server.login(user, password, "desk");
            if (token.isEmpty() || !peer.upgrade("/v1/calling", "softphone.v1"))
                return false;
            peer.sendText(
                QJsonDocument(QJsonObject{{"type", "hello"},
                                          {"id", "1"},
                                          {"token", token},
                                          {"device", "desk"},
                                          {"capabilities", QJsonObject{{"calling", true}}}})
                    .toJson(QJsonDocument::Compact));
            return json(peer.readFrame()).value("type") == QStringLiteral("welcome");
        };
        auto waitFor = [](RawPeer &peer, const QString &type) {
            QJsonObject event;
            for (int i = 0; i < 5 && event.value("type") != type; ++i)
                event = json(peer.readFrame());
            return event.value("type") == type;
        };
        RawPeer callee(server.callingUrl(), QHostAddress("127.0.0.2"), 4096);
        RawPeer caller(server.callingUrl(), QHostAddress("127.0.0.3"));
        QVERIFY(signIn(callee, "bob", "bob-password"));
        QVERIFY(signIn(caller, "alice", "alice-password"));
        const QString callId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        caller.sendText(
            QJsonDocument(
                QJsonObject{{"type", "call"}, {"id", "2"}, {"callId", callId}, {"to", "bob"}})
                .toJson(QJsonDocument::Compact));
        QVERIFY(waitFor(callee, "incoming"));
        callee.sendText(QJsonDocument(QJsonObject{{"type", "answer"}, {"callId", callId}})
                            .toJson(QJsonDocument::Compact));
        QVERIFY(waitFor(callee, "established"));
        QVERIFY(waitFor(caller, "established"));

        // 8 s of media at the relay's 100 frames/s, none of it read by bob meanwhile.
        // SRTP-shaped (RFC 7983 first byte 128-191): the relay forwards nothing else.
        callee.stopReading();
        const QByteArray frame = RawPeer::frame(0x2, QByteArray("\x80\x6f") + QByteArray(998, 'm'));
        QElapsedTimer clock;
        clock.start();
        int sent = 0;
        while (clock.elapsed() < 8000 && sent < 1000) {
            caller.socket().write(frame);
            caller.socket().flush();
            ++sent;
            QTest::qWait(11);
        }
        QTest::qWait(500);
        callee.resumeReading();
        int relayed = 0;
        for (RawFrame f = callee.readFrame(2000); f.opcode == 0x2; f = callee.readFrame(2000))
            ++relayed;
        qInfo("sent %d media frames to a callee that did not read; %d reached it", sent, relayed);
        QVERIFY(relayed > 0);
        QVERIFY(relayed < sent / 2);
        QVERIFY(callee.isConnected()); // dropped media never closes the call
    }
};

QTEST_GUILESS_MAIN(TestListenersBackpressure)
#include "tst_listeners_backpressure.moc"
