#pragma once
// One client's WebSocket to the calling service: decodes and rate-limits its
// frames, answers protocol errors itself, and hands valid messages to the
// service. It holds no call state; the service and the router do.

#include "Message.h"
#include "RateLimiter.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>

class QWebSocket;

namespace softphone::server::calling {

class CallingConnection : public QObject
{
    Q_OBJECT
public:
    // Takes ownership of the socket (already size-limited by the listener).
    explicit CallingConnection(QWebSocket *socket, QObject *parent = nullptr);
    ~CallingConnection() override;

    bool isAuthenticated() const { return !m_user.isEmpty(); }
    QString user() const { return m_user; }
    QString device() const { return m_device; }
    protocol::Capabilities capabilities() const { return m_capabilities; }
    QDateTime tokenExpiry() const { return m_tokenExpiry; }
    QString peer() const; // address:port, for logs

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
    // peers, enforces the auth timeout and the token expiry.
    void keepalive();

Q_SIGNALS:
    void helloReceived(const softphone::protocol::Message &hello);
    // Any valid message other than hello, from an authenticated connection.
    void messageReceived(const softphone::protocol::Message &message);
    // Emitted once when the socket is gone; the object deletes itself later.
    void closed();
    // A binary frame (media) from an authenticated connection, for MediaRelay.
    void mediaReceived(const QByteArray &frame);

private:
    void onText(const QString &text);
    void onBinary(const QByteArray &data);
    bool admit(); // rate limit; false when the frame must be dropped
    void onDisconnected();

    QWebSocket *m_socket;
    RateLimiter m_rate;
    QElapsedTimer m_sinceConnect;
    QElapsedTimer m_sinceHeard;
    QElapsedTimer m_sincePing;
    QElapsedTimer m_sinceClose;
    QString m_user;
    QString m_device;
    protocol::Capabilities m_capabilities;
    QDateTime m_tokenExpiry;
    bool m_expiryNoticeSent = false;
    bool m_closing = false;
    bool m_closedEmitted = false;
};

} // namespace softphone::server::calling
