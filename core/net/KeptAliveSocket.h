#pragma once
// One WebSocket that stays up: the one place where the desktop's long-lived
// connections (SoftphoneClient to the calling service, PushChannel to the push
// service) open, watch, drop and dial again. Its user speaks the protocol on
// top (hello, welcome, ...) and decides what a close means; this class does the
// rest:
// - open(url) keeps a connection to url until close(): after every loss it
//   dials again after a jittered Backoff delay (the user calls resetBackoff()
//   once its own handshake succeeded), and at once when NetworkWatch reports
//   the network back (watched from the first loss on) or the user calls
//   reconnectNow().
// - Liveness, one rule for both users: ping every Keepalive::ping; the
//   connection is dead when NOTHING (frame or pong) arrived for
//   Keepalive::silence, counted from the start of the opening handshake. This
//   was SoftphoneClient's rule; PushChannel's ("no answer within 10 s of a
//   ping") is the same rule with silence = ping + 10 s for a live connection,
//   but it left the TCP/TLS/WebSocket handshake unbounded, so a server that
//   accepts TCP and never answers (stopped, overloaded) stalled it forever.
//   Any inbound frame counts, so a lost pong on a busy connection is harmless.
// - Inbound frames and messages over maxInboundBytes are refused by Qt's
//   WebSocket layer before they reach memory (close 1009, then a reconnect).
// Log lines come out of logMessage(); the user forwards them to its category.

#include "common/Backoff.h"

#include <QAbstractSocket>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>
#include <QUrl>
#include <QWebSocketProtocol>
#include <chrono>

class QWebSocket;

namespace softphone::net {

class KeptAliveSocket : public QObject
{
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
public:
    enum class State {
        Idle,       // not opened, or closed
        Connecting, // TCP/TLS/WebSocket handshake under way
        Open,       // the WebSocket is up: the user's protocol runs
        Waiting,    // the connection was lost; the next attempt is scheduled
    };
    Q_ENUM(State)

    struct Keepalive
    {
        std::chrono::milliseconds ping{20000};
        std::chrono::milliseconds silence{45000}; // dead after this long without any frame
    };

    struct Options
    {
        QString peerName = QStringLiteral("the service"); // for log lines
        QString origin;                                   // the WebSocket Origin header
        QStringList subprotocols;
        qint64 maxInboundBytes = 65536; // per frame and per message
        Keepalive keepalive;
        Backoff::Policy backoff;
    };

    explicit KeptAliveSocket(Options options, QObject *parent = nullptr);
    // Drops a live connection quietly (no signals from a dying object).
    ~KeptAliveSocket() override;

    void setKeepalive(Keepalive keepalive);
    Keepalive keepalive() const { return m_options.keepalive; }
    void setBackoffPolicy(Backoff::Policy policy) { m_backoff = Backoff(policy); }
    void setOrigin(const QString &origin) { m_options.origin = origin; }

    // Connects now and keeps connecting until close(). A second open() with the
    // same URL while not Idle does nothing.
    void open(const QUrl &url);
    // Final until the next open(): a close frame (code, reason) on a live
    // connection, nothing more on the others; no disconnected() follows.
    void close(QWebSocketProtocol::CloseCode code = QWebSocketProtocol::CloseCodeNormal,
               const QString &reason = {});
    // Drops the connection (if any) and dials at once, the backoff reset
    // (resume from suspend, network change). Nothing while Idle.
    void reconnectNow();
    // Drops the connection as if it was lost (the peer broke the protocol):
    // disconnected() follows, then the next attempt after the backoff delay.
    void abort();
    // For a slot of disconnected(): the next attempt comes no sooner than
    // minimum, and a network return does not shorten that wait (the service
    // asked us to stay away).
    void holdOff(std::chrono::milliseconds minimum);
    // The user's handshake succeeded: the next delay starts from the initial one.
    void resetBackoff() { m_backoff.reset(); }

    // False (nothing sent) unless Open.
    bool sendText(const QString &text);
    bool sendBinary(const QByteArray &frame);
    // An extra ping now (the round trip is measured at a call's start, too).
    void ping();

    State state() const { return m_state; }
    bool isOpen() const { return m_state == State::Open; }
    QUrl url() const { return m_url; }
    // Attempts since the last resetBackoff().
    int attempts() const { return m_backoff.attempts(); }
    // From the latest pong; -1 unknown.
    double roundTripMs() const { return m_roundTripMs; }

signals:
    void stateChanged(softphone::net::KeptAliveSocket::State state);
    void connected();
    // The connection is gone (closed by the peer, failed, or found dead). The
    // next attempt is scheduled right after the slots return (state Waiting),
    // unless one of them called close() or reconnectNow(); holdOff() delays it.
    // reason is the peer's close reason, or the socket's error text.
    void disconnected(int closeCode, const QString &reason);
    void textMessageReceived(const QString &text);
    void binaryMessageReceived(const QByteArray &frame);
    void logMessage(QtMsgType type, const QString &message);

private:
    void connectNow();
    void onSocketGone(QWebSocket *socket);
    void onSilence();
    void alive();
    void dropSocket();
    void setState(State state);
    void watchNetwork(); // from the first loss on (NetworkWatch.h: what it costs)

    Options m_options;
    Backoff m_backoff;
    QUrl m_url;
    State m_state = State::Idle;
    QPointer<QWebSocket> m_socket;
    QTimer m_pingTimer;
    QTimer m_silenceTimer;
    QTimer m_retryTimer;
    std::chrono::milliseconds m_holdOff{0};
    bool m_heldOff = false; // the current wait was asked for by the service
    bool m_networkWatched = false;
    double m_roundTripMs = -1;
};

} // namespace softphone::net
