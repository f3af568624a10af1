#include "WebSocketListener.h"

#include "HttpConnection.h"
#include "ServerLogging.h"
#include "ServerOptions.h"
#include "TcpAcceptor.h"

#include <QMetaMethod>
#include <QSslServer>
#include <QTcpServer>
#include <QWebSocket>
#include <QWebSocketServer>

namespace softphone::server {

namespace {
// Both servers hand connections over at once, so the pending limit only matters
// during a burst (a reconnect storm after a restart); keep it out of the way.
constexpr int kMaxPending = 100000;
constexpr int kHandshakeTimeoutMs = 10000;
constexpr int kPendingPerAddress = 64;

QString hostForUrl(const QHostAddress &address)
{
    if (address == QHostAddress::Any || address == QHostAddress::AnyIPv4)
        return QStringLiteral("127.0.0.1");
    if (address == QHostAddress::AnyIPv6)
        return QStringLiteral("::1");
    return address.toString();
}

// QWebSocket passes on signals of its TCP socket and of its frame reader that no
// route of ours listens to. Each such connection costs ~0.15 kB for the life of
// every idle connection (docs/benchmarks.md, "Idle connections per node"), so
// they are cut once the handshake is done. Only connections to the QWebSocket
// itself go, which are Qt's pass-throughs to its own signals of the same name;
// what QWebSocket works with (the TCP socket's readyRead, stateChanged and
// destroyed, the reader's messages, pings, pongs, close and errors) and
// QWebSocketServer's disconnected() (it deletes the TCP socket) stay.
void dropUnusedPassThroughs(QWebSocket *socket, QTcpSocket *tcp)
{
    if (tcp) {
        QObject::disconnect(tcp, &QAbstractSocket::errorOccurred, socket, nullptr);
        QObject::disconnect(tcp, &QAbstractSocket::proxyAuthenticationRequired, socket, nullptr);
        QObject::disconnect(tcp, &QAbstractSocket::readChannelFinished, socket, nullptr);
        QObject::disconnect(tcp, &QAbstractSocket::aboutToClose, socket, nullptr);
        QObject::disconnect(tcp, &QAbstractSocket::bytesWritten, socket, nullptr);
    }
    // The frame reader (QWebSocketDataProcessor, a private class: found by name,
    // and left alone if a Qt version names it or its signals otherwise).
    for (QObject *child : socket->children()) {
        if (!child->inherits("QWebSocketDataProcessor"))
            continue;
        const QMetaObject *meta = child->metaObject();
        for (const char *signal :
             {"textFrameReceived(QString,bool)", "binaryFrameReceived(QByteArray,bool)"}) {
            const int index = meta->indexOfSignal(signal);
            if (index >= 0)
                QObject::disconnect(child, meta->method(index), socket, QMetaMethod());
        }
    }
}
} // namespace

WebSocketListener::WebSocketListener(QObject *parent)
    : QObject(parent)
    , m_gate(std::make_shared<AddressGate>(kPendingPerAddress))
{
    // The TLS layer (if any) sits in the QSslServer; the WebSocket server itself
    // always sees a plain byte stream.
    m_ws = new QWebSocketServer(QStringLiteral("softphone-server"), QWebSocketServer::NonSecureMode,
                                this);
    m_ws->setMaxPendingConnections(kMaxPending);
    m_ws->setHandshakeTimeout(kHandshakeTimeoutMs);
    connect(m_ws, &QWebSocketServer::newConnection, this, &WebSocketListener::acceptWebSockets);
}

WebSocketListener::~WebSocketListener() = default;

void WebSocketListener::setTlsConfiguration(const QSslConfiguration &configuration)
{
    m_tlsConfiguration = configuration;
    m_tls = true;
}

void WebSocketListener::configure(const ServerOptions &options)
{
    m_handshakeTimeout =
        options.milliseconds(QStringLiteral("ws.handshake_timeout"), m_handshakeTimeout);
    m_ws->setHandshakeTimeout(m_handshakeTimeout);
    m_gate->setCap(options.count(QStringLiteral("ws.pending_per_address"), kPendingPerAddress));
    m_sendQueue.dropMark =
        options.count(QStringLiteral("ws.send_queue_drop"), int(m_sendQueue.dropMark));
    m_sendQueue.closeMark =
        options.count(QStringLiteral("ws.send_queue_close"), int(m_sendQueue.closeMark));
    m_socketSendBuffer = options.count(QStringLiteral("ws.socket_send_buffer"), 0);
}

QString WebSocketListener::peerKey(const QHostAddress &address, quint16 port)
{
    return address.toString() + u'/' + QString::number(port);
}

void WebSocketListener::admit(QTcpSocket *socket)
{
    const QHostAddress peer = socket->peerAddress();
    PendingSlot *slot = HttpConnection::admit(m_gate, socket, this);
    if (!slot)
        return;
    slot->startDeadline(int(m_handshakeTimeout.count()), [socket] {
        qCInfo(lcServerCalling) << "WebSocket handshake from" << socket->peerAddress().toString()
                                << "timed out";
        socket->abort();
        socket->deleteLater();
    });
    // Every frame goes out when written (TCP_NODELAY), as the client's do (QWebSocket sets it).
    // With Nagle's algorithm a small frame written while the one before is not yet
    // acknowledged waits for the peer's ACK: on the media relay the RTCP report written
    // between two voice frames held the next frame back ~5 s into each call (one
    // concealed frame, then a drift drop; docs/media.md "UDP media").
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (m_socketSendBuffer > 0) // bounds what the kernel holds for a peer that does not read
        socket->setSocketOption(QAbstractSocket::SendBufferSizeSocketOption, m_socketSendBuffer);
    const QString key = peerKey(peer, socket->peerPort());
    m_handshaking.insert(key, slot);
    connect(slot, &QObject::destroyed, this, [this, key, slot] {
        const auto it = m_handshaking.constFind(key);
        if (it != m_handshaking.constEnd() && it.value() == slot)
            m_handshaking.erase(it);
    });
    m_ws->handleConnection(socket);
}

bool WebSocketListener::listen(const QHostAddress &address, quint16 port, QString *error)
{
    if (m_tcp || m_acceptor) {
        *error = QStringLiteral("the WebSocket listener is already listening");
        return false;
    }
    if (!m_tls) {
        // Plain TCP: accept() on a thread of its own, adopted here in batches.
        m_acceptor = new TcpAcceptor([this](QTcpSocket *socket) { admit(socket); }, this);
        QString why;
        if (!m_acceptor->listen(address, port, kListenBacklog, &why)) {
            *error = QStringLiteral("cannot listen on %1:%2 (WebSocket): %3")
                         .arg(address.toString())
                         .arg(port)
                         .arg(why);
            delete m_acceptor;
            m_acceptor = nullptr;
            return false;
        }
        return true;
    }
    // TLS: QSslServer starts each handshake where it accepts, so it stays on
    // this thread (deployments at scale terminate TLS in front of the service).
    auto *ssl = new QSslServer(this);
    ssl->setSslConfiguration(m_tlsConfiguration);
    ssl->setHandshakeTimeout(kHandshakeTimeoutMs);
    connect(ssl, &QSslServer::errorOccurred, this,
            [](QSslSocket *, QAbstractSocket::SocketError e) {
                qCDebug(lcServerCalling) << "TLS connection error" << e;
            });
    m_tcp = ssl;
    m_tcp->setListenBacklogSize(kListenBacklog);
    m_tcp->setMaxPendingConnections(kMaxPending);
    connect(m_tcp, &QTcpServer::pendingConnectionAvailable, this,
            &WebSocketListener::acceptTcpConnections);
    if (!m_tcp->listen(address, port)) {
        *error = QStringLiteral("cannot listen on %1:%2 (WebSocket): %3")
                     .arg(address.toString())
                     .arg(port)
                     .arg(m_tcp->errorString());
        delete m_tcp;
        m_tcp = nullptr;
        return false;
    }
    return true;
}

quint16 WebSocketListener::port() const
{
    if (m_acceptor)
        return m_acceptor->port();
    return m_tcp ? m_tcp->serverPort() : 0;
}

QUrl WebSocketListener::url(const QString &path) const
{
    QUrl u;
    u.setScheme(m_tls ? QStringLiteral("wss") : QStringLiteral("ws"));
    const QHostAddress bound = m_acceptor ? m_acceptor->address()
                               : m_tcp    ? m_tcp->serverAddress()
                                          : QHostAddress(QHostAddress::LocalHost);
    u.setHost(hostForUrl(bound));
    u.setPort(port());
    u.setPath(path);
    return u;
}

void WebSocketListener::addRoute(const QString &path, const QStringList &subprotocols,
                                 OnConnected onConnected, qint64 maxMessageSize)
{
    m_routes.insert(path, Route{subprotocols, std::move(onConnected), maxMessageSize});
    QStringList all;
    for (const Route &route : std::as_const(m_routes))
        for (const QString &p : route.subprotocols)
            if (!all.contains(p))
                all << p;
    m_ws->setSupportedSubprotocols(all);
}

void WebSocketListener::acceptTcpConnections()
{
    while (m_tcp->hasPendingConnections()) {
        QTcpSocket *socket = m_tcp->nextPendingConnection();
        if (socket)
            admit(socket);
    }
}

void WebSocketListener::acceptWebSockets()
{
    while (m_ws->hasPendingConnections()) {
        QWebSocket *socket = m_ws->nextPendingConnection();
        if (!socket)
            continue;
        // The handshake is done: its deadline ends, the place at the gate goes with the
        // WebSocket until the route's connection authenticates.
        QTcpSocket *tcp = nullptr;
        if (PendingSlot *slot =
                m_handshaking.take(peerKey(socket->peerAddress(), socket->peerPort()))) {
            tcp = qobject_cast<QTcpSocket *>(slot->parent()); // admit() made it its child
            slot->stopDeadline();
            slot->setParent(socket);
        }
        dropUnusedPassThroughs(socket, tcp);
        // Limits first, before any frame of this connection is read.
        socket->setMaxAllowedIncomingFrameSize(kDefaultMaxMessageSize);
        socket->setMaxAllowedIncomingMessageSize(kDefaultMaxMessageSize);
        connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);

        const QString path = socket->requestUrl().path();
        const auto it = m_routes.constFind(path);
        if (it == m_routes.constEnd()) {
            qCInfo(lcServerCalling) << "WebSocket to unknown path" << path << "closed";
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated,
                          QStringLiteral("no service at %1").arg(path.left(100)));
            continue;
        }
        if (!socket->subprotocol().isEmpty() && !it->subprotocols.contains(socket->subprotocol())) {
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated,
                          QStringLiteral("subprotocol %1 is not served at %2")
                              .arg(socket->subprotocol(), path));
            continue;
        }
        socket->setMaxAllowedIncomingFrameSize(it->maxMessageSize);
        socket->setMaxAllowedIncomingMessageSize(it->maxMessageSize);
        // The route's owner decides the socket's lifetime from here on.
        disconnect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
        it->onConnected(socket, m_sendQueue);
    }
}

} // namespace softphone::server
