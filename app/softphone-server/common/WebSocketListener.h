#pragma once
// The one WebSocket port of the server: accepts TCP (or TLS) connections with a
// large backlog, lets QWebSocketServer do the handshake, and hands each socket
// to the role that registered its path. Until the route's connection
// authenticates (PendingSlot::authenticated), a socket holds one of its source
// address's ws.pending_per_address places; the handshake itself must finish
// within ws.handshake_timeout (QWebSocketServer::handleConnection starts no timer).

#include "AddressGate.h"
#include "SendQueue.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QSslConfiguration>
#include <QStringList>
#include <QUrl>
#include <chrono>
#include <functional>
#include <memory>

class QTcpServer;
class QWebSocket;
class QWebSocketServer;

namespace softphone::server {

struct ServerOptions;
class TcpAcceptor;

class WebSocketListener : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 kDefaultMaxMessageSize = 65536;
    static constexpr int kListenBacklog = 4096;

    explicit WebSocketListener(QObject *parent = nullptr);
    ~WebSocketListener() override;

    // Serve wss:// with this configuration; call before listen().
    void setTlsConfiguration(const QSslConfiguration &configuration);
    bool isTls() const { return m_tls; }
    // --set ws.handshake_timeout (seconds), ws.pending_per_address (count),
    // ws.send_queue_drop / ws.send_queue_close (bytes, see SendQueue.h) and
    // ws.socket_send_buffer (bytes, SO_SNDBUF; default: the kernel's autotuning); before listen().
    void configure(const ServerOptions &options);

    bool listen(const QHostAddress &address, quint16 port, QString *error);
    quint16 port() const;
    // ws://host:port/path (wss:// with TLS); a wildcard bind address reads as loopback.
    QUrl url(const QString &path) const;

    // The handler receives an open socket whose incoming frame and message sizes are
    // already limited to maxMessageSize, and takes ownership of it; `limits` are the
    // send-queue marks its connection applies (SendQueue.h). A socket that
    // negotiated a subprotocol not in `subprotocols` is closed with 1008 instead.
    using OnConnected = std::function<void(QWebSocket *socket, const SendQueueLimits &limits)>;
    void addRoute(const QString &path, const QStringList &subprotocols, OnConnected onConnected,
                  qint64 maxMessageSize = kDefaultMaxMessageSize);
    bool hasRoute(const QString &path) const { return m_routes.contains(path); }

private:
    struct Route
    {
        QStringList subprotocols;
        OnConnected onConnected;
        qint64 maxMessageSize = kDefaultMaxMessageSize;
    };

    void acceptTcpConnections();
    void acceptWebSockets();
    // A connected TCP socket: its place at the gate, its handshake deadline, the handshake.
    void admit(QTcpSocket *socket);
    static QString peerKey(const QHostAddress &address, quint16 port);

    QTcpServer *m_tcp = nullptr;       // TLS only
    TcpAcceptor *m_acceptor = nullptr; // plain TCP
    QWebSocketServer *m_ws = nullptr;
    QSslConfiguration m_tlsConfiguration;
    bool m_tls = false;
    QHash<QString, Route> m_routes;
    std::chrono::milliseconds m_handshakeTimeout{10000};
    std::shared_ptr<AddressGate> m_gate;
    QHash<QString, PendingSlot *> m_handshaking; // by peer address:port
    SendQueueLimits m_sendQueue;
    int m_socketSendBuffer = 0; // 0: the kernel's own
};

} // namespace softphone::server
