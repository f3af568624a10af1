// Attacks on the listeners with slow and half-open connections (issue #11
// item 6) against a real softphone-server: a request head that never ends, a
// connection that says nothing, an idle keep-alive, a WebSocket handshake left
// half done, and many unauthenticated connections from one source address.
// Timeouts are lowered with --set so each attack takes about a second; the
// per-address cap is shown to hit the attacker's address (127.0.0.x) and no other.

#include "RawPeer.h"
#include "support/ServerProcess.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>

#include <memory>
#include <vector>

using namespace softphone::test;

namespace {
constexpr int kCap = 4;

QHostAddress loopback(int last)
{
    return QHostAddress(QStringLiteral("127.0.0.%1").arg(last));
}

QString errorOf(const RawHttpResponse &r)
{
    return QJsonDocument::fromJson(r.body).object().value("error").toString();
}

QJsonObject json(const RawFrame &f)
{
    return QJsonDocument::fromJson(f.payload).object();
}
} // namespace

class TestListenersSlow : public QObject
{
    Q_OBJECT

    std::unique_ptr<ServerProcess> m_fast;   // timeouts lowered to about a second
    std::unique_ptr<ServerProcess> m_capped; // default timeouts, small per-address cap

    // A push device from `source` that says hello; true when the service welcomed it.
    static bool pushHello(RawPeer &device)
    {
        if (!device.upgrade("/v1/push", "push-notification"))
            return false;
        device.sendText(R"({"messageType":"hello","use_webpush":true})");
        const QJsonObject reply = json(device.readFrame(10000));
        return reply.value("messageType") == QStringLiteral("hello") &&
               reply.value("status").toInt() == 200;
    }

private slots:
    void initTestCase()
    {
        m_fast = std::make_unique<ServerProcess>(QStringList{"--set", "http.request_timeout=1",
                                                             "--set", "http.idle_timeout=1.5",
                                                             "--set", "ws.handshake_timeout=1"});
        QVERIFY2(m_fast->start(), qPrintable(m_fast->lastError()));
        m_capped = std::make_unique<ServerProcess>(
            QStringList{"--set", QStringLiteral("http.pending_per_address=%1").arg(kCap), "--set",
                        QStringLiteral("ws.pending_per_address=%1").arg(kCap)});
        QVERIFY2(m_capped->start(), qPrintable(m_capped->lastError()));
    }

    void unfinishedHeadGets408()
    {
        RawPeer attacker(m_fast->appServerUrl(), loopback(2));
        QVERIFY(attacker.isConnected());
        attacker.send("GET /v1/keys HTTP/1.1\r\nHost: x\r\nX-Slow: "); // and never more
        const RawHttpResponse r = attacker.readResponse(8000);
        QCOMPARE(r.status, 408);
        QCOMPARE(errorOf(r), QStringLiteral("timeout"));
        QVERIFY(attacker.waitClosed(5000));
        QCOMPARE(m_fast->http().get(m_fast->appServerUrl().resolved(QUrl("/v1/keys"))).status, 200);
    }

    void silentConnectionsClosed()
    {
        std::vector<std::unique_ptr<RawPeer>> attackers;
        for (int i = 0; i < 20; ++i)
            attackers.push_back(std::make_unique<RawPeer>(m_fast->appServerUrl(), loopback(3)));
        for (auto &a : attackers) {
            QVERIFY(a->waitClosed(8000));
        }
    }

    void idleKeepAliveClosed()
    {
        RawPeer client(m_fast->appServerUrl(), loopback(4));
        client.send("GET /v1/keys HTTP/1.1\r\nHost: x\r\n\r\n");
        QCOMPARE(client.readResponse().status, 200);
        QElapsedTimer idle;
        idle.start();
        QVERIFY(client.waitClosed(8000)); // closed silently after the idle timeout
        qInfo("idle keep-alive connection closed after %lld ms", idle.elapsed());
    }

    void halfOpenWebSocketHandshakesClosed()
    {
        std::vector<std::unique_ptr<RawPeer>> attackers;
        for (int i = 0; i < 20; ++i) {
            attackers.push_back(std::make_unique<RawPeer>(m_fast->callingUrl(), loopback(5)));
            attackers.back()->send("GET /v1/calling HTTP/1.1\r\nHost: x\r\n"); // half a handshake
        }
        for (auto &a : attackers)
            QVERIFY(a->waitClosed(8000));
        // A whole handshake is still welcome.
        RawPeer device(m_fast->pushWsUrl(), loopback(6));
        QVERIFY(pushHello(device));
    }

    void unfinishedHttpConnectionsCappedPerAddress()
    {
        std::vector<std::unique_ptr<RawPeer>> held;
        for (int i = 0; i < kCap; ++i) {
            held.push_back(std::make_unique<RawPeer>(m_capped->appServerUrl(), loopback(7)));
            held.back()->send("GET /v1/keys HTTP/1.1\r\n"); // never finished
        }
        RawPeer oneMore(m_capped->appServerUrl(), loopback(7));
        const RawHttpResponse refused = oneMore.readResponse(5000);
        QCOMPARE(refused.status, 503);
        QCOMPARE(errorOf(refused), QStringLiteral("too_many_connections"));
        QVERIFY(oneMore.waitClosed(5000));
        // Another address is not affected.
        RawPeer other(m_capped->appServerUrl(), loopback(8));
        other.send("GET /v1/keys HTTP/1.1\r\nHost: x\r\n\r\n");
        QCOMPARE(other.readResponse().status, 200);
        // A finished request gives the place back: the attacker's address may go on.
        held.front()->send("Host: x\r\n\r\n");
        QCOMPARE(held.front()->readResponse().status, 200);
        RawPeer again(m_capped->appServerUrl(), loopback(7));
        again.send("GET /v1/keys HTTP/1.1\r\nHost: x\r\n\r\n");
        QCOMPARE(again.readResponse().status, 200);
    }

    void unauthenticatedWebSocketsCappedPerAddress()
    {
        std::vector<std::unique_ptr<RawPeer>> held;
        for (int i = 0; i < kCap; ++i) {
            held.push_back(std::make_unique<RawPeer>(m_capped->callingUrl(), loopback(9)));
            QVERIFY(held.back()->upgrade("/v1/calling", "softphone.v1")); // no hello after it
        }
        RawPeer oneMore(m_capped->callingUrl(), loopback(9));
        const RawHttpResponse refused = oneMore.readResponse(5000);
        QCOMPARE(refused.status, 503);
        QCOMPARE(errorOf(refused), QStringLiteral("too_many_connections"));
        // Another address connects and authenticates as usual.
        RawPeer device(m_capped->pushWsUrl(), loopback(10));
        QVERIFY(pushHello(device));
    }

    void authenticatedConnectionsDoNotCount()
    {
        // Twice the cap of push devices from one address, each past its hello.
        std::vector<std::unique_ptr<RawPeer>> devices;
        for (int i = 0; i < 2 * kCap; ++i) {
            devices.push_back(std::make_unique<RawPeer>(m_capped->pushWsUrl(), loopback(11)));
            QVERIFY2(pushHello(*devices.back()), qPrintable(QString::number(i)));
        }
    }
};

QTEST_GUILESS_MAIN(TestListenersSlow)
#include "tst_listeners_slow.moc"
