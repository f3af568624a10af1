// A calling service that stops answering is noticed and the client reconnects.
// The "service" is a real loopback TCP server that completes the WebSocket
// handshake (RFC 6455), sends `welcome`, then goes silent, as a hung server would.

#include "client/SoftphoneClient.h"

#include <QCryptographicHash>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace softphone::client;
using namespace std::chrono_literals;

namespace {

// An unmasked server text frame (payload < 126 bytes).
QByteArray textFrame(const QByteArray &payload)
{
    return QByteArray(1, char(0x81)) + char(payload.size()) + payload;
}

class SilentService : public QObject
{
public:
    SilentService()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                ++m_connections;
                auto *buffer = new QByteArray;
                connect(socket, &QObject::destroyed, [buffer] { delete buffer; });
                connect(socket, &QTcpSocket::readyRead, socket, [socket, buffer] {
                    if (buffer->endsWith("\r\n\r\n"))
                        return; // handshake done; from now on everything is ignored
                    *buffer += socket->readAll();
                    if (!buffer->endsWith("\r\n\r\n"))
                        return;
                    QByteArray key;
                    for (const QByteArray &line : buffer->split('\n'))
                        if (line.toLower().startsWith("sec-websocket-key:"))
                            key = line.mid(18).trimmed();
                    const QByteArray accept =
                        QCryptographicHash::hash(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11",
                                                 QCryptographicHash::Sha1)
                            .toBase64();
                    socket->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                                  "Connection: Upgrade\r\nSec-WebSocket-Protocol: softphone.v1\r\n"
                                  "Sec-WebSocket-Accept: " +
                                  accept + "\r\n\r\n");
                    socket->write(textFrame(R"({"type":"welcome","re":"1","user":"alice",)"
                                            R"("device":"d1","serverTime":1,"pingInterval":20})"));
                });
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    quint16 port() const { return m_server.serverPort(); }
    int connections() const { return m_connections; }

private:
    QTcpServer m_server;
    int m_connections = 0;
};

} // namespace

class TestKeepAlive : public QObject
{
    Q_OBJECT

private slots:
    void silentServiceIsDetectedAndReconnected()
    {
        SilentService service;
        QVERIFY(service.listen());
        ClientConfig config;
        config.serviceUrl =
            QUrl(QStringLiteral("ws://127.0.0.1:%1/v1/calling").arg(service.port()));
        config.userId = QStringLiteral("alice");
        config.deviceId = QStringLiteral("d1");
        SoftphoneClient client(config);
        client.setKeepAliveIntervals(100ms, 600ms);
        QSignalSpy states(&client, &SoftphoneClient::connectionStateChanged);
        client.setAccessToken(QStringLiteral("token"));
        QVERIFY(client.start());
        QTRY_VERIFY(client.isStarted());
        QCOMPARE(client.connectionState(), SoftphoneClient::ConnectionState::Connected);

        // The service never answers our pings: the client gives up on it and dials again.
        QTRY_COMPARE_WITH_TIMEOUT(client.connectionState(),
                                  SoftphoneClient::ConnectionState::Reconnecting, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(service.connections() >= 2, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(client.connectionState(),
                                  SoftphoneClient::ConnectionState::Connected, 10000);
        QVERIFY(client.isStarted()); // started() is not repeated on reconnect
    }
};

QTEST_GUILESS_MAIN(TestKeepAlive)
#include "tst_keepalive.moc"
