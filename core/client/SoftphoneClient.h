#pragma once
// One user on one device talking to the calling service (docs/protocol.md,
// WebSocket /v1/calling). Signals out, commands in; nothing blocks.
//
// Lifecycle: setConfig() -> setAccessToken() -> start() -> ... -> terminate().
// The client keeps its connection alive (ping every 20 s, a silent connection is
// dead after 45 s) and reconnects with jittered backoff; each reconnect is a fresh
// session: calls that were active when the connection dropped have ended with
// Failure/network.
//
// Seams for the next issues (not declared until they work): push support
// (registerPushNotificationData / unregister over push.register, and
// relayRemotePushNotificationPayload verifying the payload with the welcome's
// payloadKey and sending `claim`), and messaging (message / message.ack).
// Call::shouldSendPushNotification already delivers the service's push pairs.

#include "Backoff.h"
#include "Call.h"
#include "ClientConfig.h"
#include "ClientError.h"
#include "Message.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

class QWebSocket;

namespace softphone::client {

class SoftphoneClient : public QObject
{
    Q_OBJECT
    Q_PROPERTY(ConnectionState connectionState READ connectionState NOTIFY connectionStateChanged)
    Q_PROPERTY(bool started READ isStarted NOTIFY startedChanged)

public:
    enum class ConnectionState { Disconnected, Connecting, Connected, Reconnecting };
    Q_ENUM(ConnectionState)

    explicit SoftphoneClient(QObject *parent = nullptr);
    explicit SoftphoneClient(const ClientConfig &config, QObject *parent = nullptr);
    ~SoftphoneClient() override;

    // Refused once start() was called (false, and logMessage says why), so the
    // capabilities the service was told stay true for the client's life.
    bool setConfig(const ClientConfig &config);
    ClientConfig config() const { return m_config; }

    // The app's answer to credentialsRequired(): used for the next connect, and
    // sent as a `token` refresh on a live connection.
    void setAccessToken(const QString &token);

    // Connects and authenticates; started() once the service welcomed us.
    // Without a token, credentialsRequired() asks for one first. False (and
    // failed()) when the config is invalid or the client was terminated.
    bool start();
    // Final: ends every call (hangs up / declines), closes the connection; a
    // terminated client cannot start again.
    void terminate();

    ConnectionState connectionState() const { return m_state; }
    bool isStarted() const { return m_started; }
    bool isTerminated() const { return m_terminated; }
    QString serverUser() const { return m_serverUser; }

    // Always returns a Call (owned by this client). When the call cannot be
    // placed (not connected, invalid user id, headers over 1024 bytes, calling
    // not declared) it ends with Failure right after this returns, so the
    // caller's signal connections still see it.
    Call *callUser(const QString &userId, const protocol::Headers &headers = {});
    // Calls not yet ended.
    QList<Call *> activeCalls() const;

    // For tests of keepalive: the ping interval and the silence after which the
    // connection is considered dead (defaults 20 s / 45 s from docs/protocol.md).
    void setKeepAliveIntervals(std::chrono::milliseconds ping, std::chrono::milliseconds dead);

signals:
    void started();
    void startedChanged(bool started);
    void failed(const softphone::client::ClientError &error);
    void credentialsRequired();
    void logMessage(QtMsgType type, const QString &message);
    void connectionStateChanged(softphone::client::SoftphoneClient::ConnectionState state);
    void incomingCall(softphone::client::Call *call);

private:
    friend class Call;
    bool sendCallMessage(const QJsonObject &message);

    void connectNow();
    void scheduleReconnect();
    void onConnected();
    void onTextMessage(const QString &text);
    void onBinaryMessage();
    void onSocketGone(QWebSocket *socket);
    void onDeadTimeout();
    void handleMessage(const protocol::Message &message);
    void handleWelcome(const protocol::Message &message);
    void handleError(const protocol::Message &message);
    void handleIncoming(const protocol::Message &message);
    void handleEnded(const protocol::Message &message);
    void endAllCalls(EndCause cause, const std::optional<CallError> &error);
    void endCall(Call *call, EndCause cause, const std::optional<CallError> &error);
    void failCallLater(Call *call, const CallError &error);
    void setState(ConnectionState state);
    void emitFailed(ClientError::Type type, const QString &message);
    void log(QtMsgType type, const QString &message);
    QString nextRequestId();
    bool send(const QJsonObject &message);

    ClientConfig m_config;
    QString m_token;
    ConnectionState m_state = ConnectionState::Disconnected;
    bool m_running = false; // start() called, not terminated
    bool m_started = false; // started() was emitted
    bool m_terminated = false;
    bool m_authenticated = false;
    bool m_waitingForToken = false;
    bool m_networkFailureReported = false;
    bool m_tokenRejected = false;
    int m_rejectedTokens = 0; // in a row, without a welcome in between
    QString m_serverUser;
    QString m_helloRequestId;
    QPointer<QWebSocket> m_socket;
    QTimer m_pingTimer;
    QTimer m_deadTimer;
    QTimer m_reconnectTimer;
    Backoff m_backoff;
    int m_requestCounter = 0;

    QHash<QString, QPointer<Call>> m_activeCalls;  // by call id
    QHash<QString, QString> m_pendingCallRequests; // request id -> call id
    QList<QPointer<Call>> m_endedCalls;            // oldest first, trimmed
};

} // namespace softphone::client
