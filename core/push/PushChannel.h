#pragma once
// The device side of the desktop push channel: one WebSocket to a push service
// speaking autopush's protocol (hello/register/unregister/notification/ack).
// It keeps the subscriptions (one key pair and auth secret each, the secrets in
// a PushSecretStore), decrypts each push (RFC 8291), hides duplicates, and acks
// only after the application took the message (PushMessage::accept/reject).
// It finds a dead connection itself (WebSocket pings) and reconnects with
// jittered backoff, sooner when the network comes back.

#include "Backoff.h"
#include "EcKey.h"
#include "PushChannelState.h"
#include "PushMessage.h"
#include "PushSubscription.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <QUrl>
#include <chrono>
#include <optional>

class QWebSocket;

namespace softphone::push {

class PushSecretStore;

class PushChannel : public QObject
{
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
public:
    enum class State {
        Stopped,    // not started, stopped, or replaced by another connection with our uaid
        Loading,    // reading the state file and the secrets
        Connecting, // WebSocket handshake and hello under way
        Connected,  // hello answered: pushes flow
        Waiting,    // connection lost; the next attempt is scheduled
    };
    Q_ENUM(State)

    struct Keepalive
    {
        // Carrier NATs may drop idle mappings after 60 s; autopush's 300 s is too long for them.
        std::chrono::milliseconds interval{60000};
        std::chrono::milliseconds timeout{10000};
    };

    static constexpr int kMaxFrameSize = 65536;
    static constexpr int kCloseReplaced = 4409;
    static constexpr int kCloseBackOff = 4774;

    // secrets must outlive the channel. The state file is <stateDir>/push-channel.json.
    PushChannel(const QString &stateDir, PushSecretStore *secrets, QObject *parent = nullptr);
    ~PushChannel() override;

    void setServiceUrl(const QUrl &url);
    QUrl serviceUrl() const { return m_url; }
    void setKeepalive(Keepalive keepalive) { m_keepalive = keepalive; }
    void setBackoffPolicy(Backoff::Policy policy) { m_backoff = Backoff(policy); }

    void start();
    void stop();
    // Drops the connection now and connects again at once (resume from suspend, network change).
    void reconnect();

    // Creates the subscription (or re-announces it when it exists with the same key);
    // endpointChanged or subscriptionFailed follows. vapidKey: raw 65-byte P-256 point or empty.
    void subscribe(const QString &name, const QByteArray &vapidKey = {});
    void unsubscribe(const QString &name);
    std::optional<PushSubscription> subscription(const QString &name) const;
    QStringList subscriptionNames() const;

    State state() const { return m_status; }
    QString uaid() const { return m_state.uaid; }

signals:
    void stateChanged(softphone::push::PushChannel::State state);
    void messageReceived(const softphone::push::PushMessage &message);
    void endpointChanged(const QString &name,
                         const softphone::push::PushSubscription &subscription);
    void subscriptionFailed(const QString &name, const QString &reason);
    // A message the application already took came again (its ack was lost); it was acked and
    // dropped.
    void duplicateDropped(const QString &version);
    void errorOccurred(const QString &message);

private:
    struct Secret
    {
        crypto::EcKey key;
        QByteArray auth;
    };

    void setStatus(State state);
    void saveState();
    void connectNow();
    void onSocketGone(QWebSocket *socket);
    void scheduleReconnect(std::chrono::milliseconds delay);
    void onText(const QString &text);
    void onHello(const QJsonObject &msg);
    void onRegister(const QJsonObject &msg);
    void onNotification(const QJsonObject &msg);
    void send(const QJsonObject &msg);
    void sendAck(const QString &channelId, const QString &version, int code);
    void createKeys(const QString &name);
    void registerIfReady(const PushChannelState::Entry &entry);
    void complete(const QString &channelId, const QString &version, bool accepted);
    std::optional<PushSubscription> subscriptionOf(const PushChannelState::Entry &entry) const;
    void watchNetwork();

    QString m_statePath;
    PushSecretStore *m_secrets;
    QUrl m_url;
    Keepalive m_keepalive;
    Backoff m_backoff{Backoff::Policy{std::chrono::milliseconds(1000), 1.6, 0.2,
                                      std::chrono::milliseconds(60000)}};

    State m_status = State::Stopped;
    PushChannelState m_state;
    QHash<QString, Secret> m_secretsByChannel;
    QString m_loadError;
    QSet<QString> m_writing;         // channelIDs whose secrets are being written
    QSet<QString> m_registerSent;    // channelIDs with a register in flight on this connection
    QSet<QString> m_pendingVersions; // handed to the application, not yet accepted/rejected
    int m_generation = 0; // bumps on stop(): late async answers of an old run are ignored
    int m_loadsLeft = 0;
    int m_lastCloseCode = 0;
    bool m_networkWatched = false;

    QPointer<QWebSocket> m_socket;
    QTimer m_pingTimer;
    QTimer m_pongTimer;
    QTimer m_retryTimer;
};

} // namespace softphone::push
