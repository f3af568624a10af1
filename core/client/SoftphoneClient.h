#pragma once
// One user on one device talking to the calling service (docs/protocol.md,
// WebSocket /v1/calling): the call facade of the seed's API. Signals out,
// commands in; nothing blocks.
//
// Lifecycle: setConfig() -> setAccessToken() -> start() -> ... -> terminate().
// The connection is a net::KeptAliveSocket (ping every 20 s, dead after 45 s
// without any frame, jittered backoff, at once when the network is back); each
// reconnect is a fresh session: calls that were active when the connection
// dropped have ended with Failure/network.
//
// Push (capability `push`, docs/protocol.md "Push registration"): the device's
// push data is kept by pushRegistration() (registerPushNotificationData is the
// seed's name for it). A device that was pushed relays the payload
// (relayRemotePushNotificationPayload): verified with the service's payload key,
// then the client starts if needed and claims the call, which arrives through
// incomingCall like any other (SoftphoneClientRelay.cpp). Messages (capability
// `messaging`) go through messaging().

#include "Call.h"
#include "ClientConfig.h"
#include "ClientError.h"
#include "IceServerNames.h"
#include "InstantMessage.h"
#include "Messaging.h"
#include "NotificationResult.h"
#include "Presence.h"
#include "PushRegistration.h"
#include "common/RecentIds.h"
#include "crypto/EcKey.h"
#include "net/KeptAliveSocket.h"
#include "protocol/Message.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

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
    // Voice over UDP (ICE servers, TURN credentials; docs/media.md "UDP
    // media"): used by calls placed or answered from now on.
    void setUdpMedia(const UdpMediaSettings &settings) { m_udpMedia = settings; }
    UdpMediaSettings udpMedia() const { return m_udpMedia; }
    // How calls get their voice (CallVoice::create in the apps that take
    // calls): used by calls placed or answered from now on. None (the
    // default, softphone-tray): calls are signalled without media.
    void setCallMedia(CallMediaFactory factory) { m_callMedia = factory; }
    CallMediaFactory callMedia() const { return m_callMedia; }
    // The STUN/TURN servers of a login or token refresh reply (LoginResult::ice):
    // numeric ones at once, named ones once resolved (IceServerNames).
    void setIceServers(const QJsonObject &ice);

    // The service's node changed (ServiceFailover, after the node in use was
    // lost): from now on the client connects to serviceUrl, at once when it is
    // not connected; a live connection is kept until it drops. The only part of
    // the config that may change after start(); refused (false, logMessage)
    // when the URL would not pass ClientConfig::validate().
    bool moveTo(const QUrl &serviceUrl);

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
    // Follows a blind transfer (Call::transferRequested): calls `to` with the
    // header `referred-by: by` and hangs `call` up. The new call, as callUser().
    // An attended transfer (`replaces` set) adds the header `replaces`, keeps
    // `call` until the new call is answered (then reports and hangs up) or
    // fails (then reports, and `call` goes on: the transferor may resume it).
    Call *followTransfer(Call *call, const QString &to, const QString &by,
                         const QString &replaces = {});
    // From the WebSocket ping/pong (every ping interval, and at each established call); -1 unknown.
    double roundTripMs() const { return m_socket.roundTripMs(); }

    // The token of the current session, for the app's calls to its application
    // server (e.g. posting push pairs, PushPairSender).
    QString accessToken() const { return m_token; }

    // Children with their own signals: the device's push registration and messages.
    PushRegistration *pushRegistration() const { return m_pushRegistration; }
    Messaging *messaging() const { return m_messaging; }
    // The contacts' presence and this device's do not disturb.
    Presence *presence() const { return m_presence; }

    // The seed's names for pushRegistration()->registerData()/unregisterData()/data().
    bool registerPushNotificationData(const QByteArray &data)
    {
        return m_pushRegistration->registerData(data);
    }
    bool unregisterPushNotificationData() { return m_pushRegistration->unregisterData(); }
    QByteArray pushNotificationData() const { return m_pushRegistration->data(); }

    // The service's push-payload public key (SPKI PEM). The welcome brings it
    // (payloadKeyChanged: cache it); a process started BY a push sets it first,
    // from its cache or GET /v1/keys (ServiceKeysClient), so the relay can
    // verify before any connection exists. False for a key that does not parse.
    bool setPayloadKey(const QByteArray &pem);
    QByteArray payloadKey() const { return m_payloadKeyPem; }

    // Verifies the payload and returns what it is at once. For a live call the
    // client starts (if it was not) and claims the call: the service then sends
    // it as incomingCall, or relayedCallEnded if it is already over. A payload
    // relayed again claims nothing more. A message payload starts the client;
    // stored messages then arrive through
    // messaging()'s incomingMessage.
    NotificationResult relayRemotePushNotificationPayload(const QString &payload);

    // For tests of keepalive: the ping interval and the silence after which the
    // connection is considered dead (defaults 20 s / 45 s from docs/protocol.md).
    void setKeepAliveIntervals(std::chrono::milliseconds ping, std::chrono::milliseconds dead);

    // Relayed payloads and incoming messages remembered to hide repeats; a push
    // is repeated within minutes, so a few hundred is plenty.
    static constexpr int kRememberedIds = 256;

signals:
    void started();
    void startedChanged(bool started);
    void failed(const softphone::client::ClientError &error);
    void credentialsRequired();
    void logMessage(QtMsgType type, const QString &message);
    void connectionStateChanged(softphone::client::SoftphoneClient::ConnectionState state);
    void incomingCall(softphone::client::Call *call);
    // The same as Call::shouldSendPushNotification, for every outgoing call:
    // lets one helper (PushPairSender::attach) serve all calls.
    void callShouldSendPushNotification(softphone::client::Call *call,
                                        const QList<softphone::protocol::PushPair> &pairs);

    void payloadKeyChanged(const QByteArray &pem);
    // A relayed call that was already over when claimed (canceled, no_answer,
    // other_device_answered, denied, hung_up), or that the service no longer
    // knows (Failure): a missed call for the app, never a ringing one.
    void relayedCallEnded(const QString &callId, softphone::client::EndCause cause);

private:
    friend class Call;
    friend class PushRegistration;
    friend class Messaging;
    friend class Presence;
    bool sendCallMessage(const QJsonObject &message);
    // One binary frame (DTLS, SRTP, SRTCP) of the established call (m_mediaCall only).
    bool sendMedia(const Call *call, const QByteArray &frame);

    void connectNow();
    void onConnected();
    void onTextMessage(const QString &text);
    void onBinaryMessage(const QByteArray &frame);
    void onDisconnected(int closeCode, const QString &reason);
    void handleMessage(const protocol::Message &message);
    void handleWelcome(const protocol::Message &message);
    void handleError(const protocol::Message &message);
    void handleIncoming(const protocol::Message &message);
    void handleEnded(const protocol::Message &message);
    void handlePush(const protocol::Message &message, Call *call);
    void endAllCalls(EndCause cause, const std::optional<CallError> &error);
    void endCall(Call *call, EndCause cause, const std::optional<CallError> &error);
    void failCallLater(Call *call, const CallError &error);
    void setState(ConnectionState state);
    void emitFailed(ClientError::Type type, const QString &message);
    void log(QtMsgType type, const QString &message);
    QString nextRequestId();
    bool send(const QJsonObject &message);
    // "message (code)" of an `error` reply; empty for `ok`.
    static QString replyError(const protocol::Message &message);
    // SoftphoneClientRelay.cpp
    void afterWelcome();
    bool handleClaimReply(const protocol::Message &message);
    void handleClaimEnded(const QString &callId, EndCause cause);
    void sendClaim(const QString &callId);
    void requeueClaims();
    // SoftphoneClientTransfer.cpp
    bool sendTransfer(Call *call, const QString &to, const QString &replaces);
    bool handleTransferReply(const protocol::Message &message);
    void handleTransferMessage(const protocol::Message &message, Call *call);
    void takeOverReplacedCall(Call *incoming);

    void applyIceServers(const QJsonObject &ice);

    ClientConfig m_config;
    UdpMediaSettings m_udpMedia;
    CallMediaFactory m_callMedia = nullptr;
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
    net::KeptAliveSocket m_socket;
    int m_requestCounter = 0;

    // The one call whose media uses the connection (the latest established).
    QPointer<Call> m_mediaCall;
    QHash<QString, QPointer<Call>> m_activeCalls;  // by call id
    QHash<QString, QString> m_pendingCallRequests; // request id -> call id
    QList<QPointer<Call>> m_endedCalls;            // oldest first, trimmed
    QHash<QString, QString> m_transferRequests;    // attended transfers: request id -> call id

    PushRegistration *m_pushRegistration; // child
    Messaging *m_messaging;               // child
    Presence *m_presence;                 // child
    IceServerNames *m_iceNames;           // child: named STUN/TURN servers resolved

    // Relaying pushed payloads (SoftphoneClientRelay.cpp).
    QByteArray m_payloadKeyPem;
    crypto::EcKey m_payloadKey;
    QStringList m_pendingClaims;             // call ids to claim once connected
    QHash<QString, QString> m_claimRequests; // request id -> call id
    QSet<QString> m_claimedCalls;            // claimed, until the call is known or ended
    RecentIds m_relayedIds{kRememberedIds};  // relayed call/message ids (dedup)
};

} // namespace softphone::client
