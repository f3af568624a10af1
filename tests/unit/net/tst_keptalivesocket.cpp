// KeptAliveSocket against a real WebSocket server (Qt's QWebSocketServer on
// loopback in this process): frames over the limit are refused before they
// reach the user, a lost connection is dialled again with backoff, a server
// that asks us to stay away is left alone, close() is final, and a lost
// connection is dialled at once when NetworkManager says the network is back
// (a stand-in of NetworkManager on the session bus, which the test hands to
// NetworkWatch as the system bus).

#include "net/KeptAliveSocket.h"
#include "net/NetworkWatch.h"

#include <QDBusConnection>
#include <QDBusError>
#include <QDBusMessage>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace softphone::net;
using namespace std::chrono_literals;

namespace {

// Accepts every connection and keeps the latest one.
class Server : public QObject
{
public:
    Server()
        : m_server(QStringLiteral("test"), QWebSocketServer::NonSecureMode)
    {
        m_server.setSupportedSubprotocols({QStringLiteral("test.v1")});
        connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *socket = m_server.nextPendingConnection()) {
                socket->setParent(this);
                ++connections;
                latest = socket;
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    QUrl url() const
    {
        return QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_server.serverPort()));
    }
    void close() { m_server.close(); }

    int connections = 0;
    QPointer<QWebSocket> latest;

private:
    QWebSocketServer m_server;
};

KeptAliveSocket::Options quickOptions()
{
    KeptAliveSocket::Options options;
    options.subprotocols = {QStringLiteral("test.v1")};
    options.maxInboundBytes = 1024;
    options.backoff = {100ms, 1.6, 0.2, 1000ms};
    return options;
}

} // namespace

class TestKeptAliveSocket : public QObject
{
    Q_OBJECT

    bool m_networkManagerStandIn = false;

private slots:
    void initTestCase()
    {
        // Before QtDBus is first used (it reads the addresses once) and before any
        // NetworkWatch exists (it asks the "system bus" for NetworkManager once).
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            return;
        qputenv("DBUS_SYSTEM_BUS_ADDRESS", qgetenv("DBUS_SESSION_BUS_ADDRESS"));
        m_networkManagerStandIn = QDBusConnection::sessionBus().registerService(
            QStringLiteral("org.freedesktop.NetworkManager"));
        QVERIFY(m_networkManagerStandIn);
    }

    void cleanupTestCase()
    {
        QDBusConnection::sessionBus().unregisterService(
            QStringLiteral("org.freedesktop.NetworkManager"));
    }

    void networkBackDialsAtOnce()
    {
        if (!m_networkManagerStandIn)
            QSKIP("no D-Bus session bus for NetworkManager's stand-in: run under "
                  "tests/desktop-session");
        Server server;
        QVERIFY(server.listen());
        KeptAliveSocket::Options options = quickOptions();
        options.backoff = {30s, 1.6, 0.0, 60s}; // the next attempt only in 30 s
        KeptAliveSocket socket(options);
        QSignalSpy connected(&socket, &KeptAliveSocket::connected);
        socket.open(server.url());
        QTRY_COMPARE(connected.size(), 1);
        const QUrl url = server.url();
        server.latest->abort();
        server.close();
        QTRY_COMPARE(socket.state(), KeptAliveSocket::State::Waiting);
        QVERIFY2(NetworkWatch::instance()->source() == QLatin1String("NetworkManager"),
                 qPrintable(QStringLiteral("source %1; system bus connected %2 (%3), %4")
                                .arg(NetworkWatch::instance()->source())
                                .arg(QDBusConnection::systemBus().isConnected())
                                .arg(QDBusConnection::systemBus().lastError().message())
                                .arg(QString::fromLatin1(qgetenv("DBUS_SYSTEM_BUS_ADDRESS")))));

        QWebSocketServer again(QStringLiteral("test"), QWebSocketServer::NonSecureMode);
        again.setSupportedSubprotocols({QStringLiteral("test.v1")});
        QVERIFY(again.listen(QHostAddress::LocalHost, quint16(url.port())));
        QTest::qWait(1000);
        QCOMPARE(connected.size(), 1); // the backoff holds it back

        // The network goes and comes back (NM_STATE_DISCONNECTED, then CONNECTED_GLOBAL).
        for (uint state : {20u, 70u}) {
            QDBusMessage changed = QDBusMessage::createSignal(
                QStringLiteral("/org/freedesktop/NetworkManager"),
                QStringLiteral("org.freedesktop.NetworkManager"), QStringLiteral("StateChanged"));
            changed << state;
            QVERIFY(QDBusConnection::sessionBus().send(changed));
        }
        QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 2, 10000);
    }

    void oversizedFrameIsRefused()
    {
        Server server;
        QVERIFY(server.listen());
        KeptAliveSocket socket(quickOptions());
        QSignalSpy texts(&socket, &KeptAliveSocket::textMessageReceived);
        QSignalSpy gone(&socket, &KeptAliveSocket::disconnected);
        socket.open(server.url());
        QTRY_VERIFY(socket.isOpen() && server.latest);

        server.latest->sendTextMessage(QString(1000, QLatin1Char('a')));
        QTRY_COMPARE(texts.size(), 1); // at the limit: taken

        // One byte over the limit: refused by the WebSocket layer, never handed over.
        server.latest->sendTextMessage(QString(1025, QLatin1Char('b')));
        QTRY_COMPARE(gone.size(), 1);
        QCOMPARE(gone.first().first().toInt(), int(QWebSocketProtocol::CloseCodeTooMuchData));
        QCOMPARE(texts.size(), 1);
        // ... and the socket dials again by itself.
        QTRY_COMPARE(server.connections, 2);
        QTRY_VERIFY(socket.isOpen());
    }

    void lostConnectionIsDialledAgainWithBackoff()
    {
        Server server;
        QVERIFY(server.listen());
        KeptAliveSocket socket(quickOptions());
        QSignalSpy connected(&socket, &KeptAliveSocket::connected);
        socket.open(server.url());
        QTRY_COMPARE(connected.size(), 1);
        const QUrl url = server.url();

        // The server goes away for a second: a handful of attempts, not a storm.
        QSignalSpy states(&socket, &KeptAliveSocket::stateChanged);
        server.latest->abort();
        server.close();
        QTest::qWait(1000);
        const auto attempts =
            std::count_if(states.cbegin(), states.cend(), [](const QList<QVariant> &args) {
                return args.first().value<KeptAliveSocket::State>() ==
                       KeptAliveSocket::State::Connecting;
            });
        QVERIFY2(attempts >= 1 && attempts <= 6, qPrintable(QString::number(attempts)));
        QCOMPARE(socket.state(), KeptAliveSocket::State::Waiting);

        // Back on the same port: connected again, and the user's handshake resets the backoff.
        QWebSocketServer again(QStringLiteral("test"), QWebSocketServer::NonSecureMode);
        again.setSupportedSubprotocols({QStringLiteral("test.v1")});
        QVERIFY(again.listen(QHostAddress::LocalHost, quint16(url.port())));
        QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 2, 10000);
        QVERIFY(socket.attempts() > 0);
        socket.resetBackoff();
        QCOMPARE(socket.attempts(), 0);
    }

    void holdOffKeepsTheSocketAway()
    {
        Server server;
        QVERIFY(server.listen());
        KeptAliveSocket socket(quickOptions());
        connect(&socket, &KeptAliveSocket::disconnected, &socket, [&socket](int code) {
            if (code == 4774)
                socket.holdOff(5min);
        });
        socket.open(server.url());
        QTRY_VERIFY(socket.isOpen() && server.latest);
        server.latest->close(QWebSocketProtocol::CloseCode(4774), QStringLiteral("back off"));
        QTRY_COMPARE(socket.state(), KeptAliveSocket::State::Waiting);
        QTest::qWait(1500); // many backoff delays of this policy
        QCOMPARE(server.connections, 1);
        // The user may still insist (resume from suspend).
        socket.reconnectNow();
        QTRY_COMPARE(server.connections, 2);
    }

    void closeIsFinal()
    {
        Server server;
        QVERIFY(server.listen());
        KeptAliveSocket socket(quickOptions());
        QSignalSpy gone(&socket, &KeptAliveSocket::disconnected);
        socket.open(server.url());
        QTRY_VERIFY(socket.isOpen() && server.latest);
        QPointer<QWebSocket> peer = server.latest;
        QSignalSpy peerGone(peer.data(), &QWebSocket::disconnected);
        socket.close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("bye"));
        QCOMPARE(socket.state(), KeptAliveSocket::State::Idle);
        QTRY_COMPARE(peerGone.size(), 1);
        QCOMPARE(peer->closeReason(), QStringLiteral("bye"));
        QTest::qWait(500);
        QCOMPARE(server.connections, 1);
        QCOMPARE(gone.size(), 0);
        QVERIFY(!socket.sendText(QStringLiteral("late")));
    }
};

QTEST_GUILESS_MAIN(TestKeptAliveSocket)
#include "tst_keptalivesocket.moc"
