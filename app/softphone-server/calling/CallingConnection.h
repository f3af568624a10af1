#pragma once
// One client's WebSocket to the calling service: decodes and rate-limits its
// frames, answers protocol errors itself, and hands valid messages to the
// service. It holds no call state; the service and the router do.
// With a bus (NodeBridge), a connection may also stand in for a device that is
// connected to another node: it has no socket, and what the router sends it
// goes to that node; the router and the relay treat it like any other.

#include "RateLimiter.h"
#include "protocol/Message.h"
#include "softphone-server/common/SendQueue.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>

#include <chrono>

class QWebSocket;

namespace softphone::server::calling {

class CallingConnection : public QObject
{
    Q_OBJECT
public:
    // Where a connection's traffic goes. A plain interface rather than signals:
    // four signal connections per connection cost ~0.5 kB each of 20k idle
    // connections (heaptrack), and there is exactly one receiver.
    class Handler
    {
    public:
        virtual void helloReceived(CallingConnection *connection,
                                   const protocol::Message &hello) = 0;
        // Any valid message other than hello, from an authenticated connection.
        virtual void messageReceived(CallingConnection *connection,
                                     const protocol::Message &message) = 0;
        // A binary frame (media) from an authenticated connection, for MediaRelay.
        virtual void mediaReceived(CallingConnection *connection, const QByteArray &frame) = 0;
        // Called once when the socket is gone; the object deletes itself later.
        virtual void connectionClosed(CallingConnection *connection) = 0;

    protected:
        ~Handler() = default;
    };

    // Where a stand-in's traffic goes (NodeBridge).
    class RemoteLink
    {
    public:
        virtual void deliver(CallingConnection *standIn, const QString &text) = 0;
        virtual void deliverMedia(CallingConnection *standIn, const QByteArray &frame) = 0;

    protected:
        ~RemoteLink() = default;
    };

    // Takes ownership of the socket (already size-limited by the listener), whose
    // send queue is held to `limits`.
    CallingConnection(QWebSocket *socket, Handler *handler, const SendQueueLimits &limits,
                      QObject *parent = nullptr);
    // A stand-in for (user, device) connected to `node`: authenticated, calling.
    CallingConnection(RemoteLink *link, const QString &user, const QString &device,
                      const QString &node, QObject *parent = nullptr);
    bool isRemote() const { return m_remote != nullptr; }
    QString node() const { return m_node; } // a stand-in's node; empty for a socket
    // The handler is going away: nothing is reported to it any more.
    void detachHandler() { m_handler = nullptr; }
    ~CallingConnection() override;

    bool isAuthenticated() const { return !m_user.isEmpty(); }
    QString user() const { return m_user; }
    QString device() const { return m_device; }
    protocol::Capabilities capabilities() const { return m_capabilities; }
    QString peer() const;             // address:port, for logs
    QHostAddress peerAddress() const; // null for a stand-in of another node

    // After the service verified the hello's token.
    void authenticate(const QString &user, const QString &device,
                      const protocol::Capabilities &capabilities, const QDateTime &tokenExpiry);
    void setTokenExpiry(const QDateTime &expiry);

    void send(const QJsonObject &message);
    void sendError(protocol::ErrorCode code, const QString &message, const QString &re = {});
    // One media frame (binary) to the client; see MediaRelay.
    void sendMedia(const QByteArray &frame);
    // Close with a code and reason; the socket is aborted if the peer does not
    // finish the closing handshake within a few seconds (see keepalive()).
    void close(quint16 code, const QString &reason);
    bool isClosing() const { return m_closing; }

    // Called about once a second by the service: sends pings, drops silent
    // peers, enforces the auth timeout (no hello within authTimeout: 4408) and
    // the token expiry. The service reads the wall clock and passes it in.
    void keepalive(qint64 nowUtcMs, std::chrono::milliseconds authTimeout);

private:
    void onText(const QString &text);
    void onBinary(const QByteArray &data);
    bool admit(); // rate limit; false when the frame must be dropped
    void onDisconnected();
    // Back-pressure (SendQueue.h): false when the frame must not be queued.
    bool mayQueue(qint64 size, bool droppable);

    QWebSocket *m_socket;
    Handler *m_handler;
    RemoteLink *m_remote = nullptr;
    QString m_node;
    RateLimiter m_rate;
    SendQueueLimits m_sendQueue;
    quint64 m_mediaDropped = 0;
    QElapsedTimer m_sinceConnect;
    QElapsedTimer m_sinceHeard;
    QElapsedTimer m_sincePing;
    QElapsedTimer m_sinceClose;
    QString m_user;
    QString m_device;
    protocol::Capabilities m_capabilities;
    qint64 m_tokenExpiryMs = 0; // ms since the epoch, 0: none
    bool m_expiryNoticeSent = false;
    bool m_closing = false;
    bool m_closedEmitted = false;
};

} // namespace softphone::server::calling
