#pragma once
// The device side of the desktop push channel: one WebSocket to a push service
// speaking autopush's protocol (hello/register/unregister/notification/ack).
// It keeps the subscriptions (one key pair and auth secret each, the secrets in
// a PushSecretStore), decrypts each push (RFC 8291), hides duplicates, and acks
// only after the application took the message (PushMessage::accept/reject).
// The connection is a net::KeptAliveSocket: it finds a dead connection itself
// (WebSocket pings) and reconnects with jittered backoff, at once when the
// network comes back.

#include "PushChannelState.h"
#include "PushMessage.h"
#include "PushSubscription.h"
#include "common/Backoff.h"
#include "crypto/EcKey.h"
#include "net/KeptAliveSocket.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QUrl>
#include <chrono>
#include <optional>

namespace softphone::push {

class PushSecretStore;

class PushChannel : public QObject
{
    Q_OBJECT
    Q_PROPERTY(Status status READ status NOTIFY statusChanged)
public:
    enum class Status {
        Stopped,    // not started, stopped, or replaced by another connection with our uaid
        Loading,    // reading the state file and the secrets
        Connecting, // WebSocket handshake and hello under way
        Connected,  // hello answered: pushes flow
        Waiting,    // connection lost; the next attempt is scheduled
    };
    Q_ENUM(Status)

    // Carrier NATs may drop idle mappings after 60 s; autopush's 300 s is too
    // long for them. Dead after 70 s without any frame: 10 s after a ping that
    // went unanswered, as before the socket was shared.
    static constexpr net::KeptAliveSocket::Keepalive kKeepalive{std::chrono::seconds(60),
                                                                std::chrono::seconds(70)};

    static constexpr int kMaxFrameSize = 65536;
    static constexpr int kCloseReplaced = 4409;
    static constexpr int kCloseBackOff = 4774;

    // secrets must outlive the channel. The state file is <stateDir>/push-channel.json.
    PushChannel(const QString &stateDir, PushSecretStore *secrets, QObject *parent = nullptr);
    ~PushChannel() override;

    // A running channel drops its connection and dials a new URL at once.
    // Another URL than a previous one (another node of the service): after the
    // next hello every subscription is registered again (same channelID and
    // key), so its endpoint names the node now in use (endpointChanged when it
    // differs); the service keeps its token, so pushes to either endpoint arrive.
    void setServiceUrl(const QUrl &url);
    QUrl serviceUrl() const { return m_url; }
    void setKeepalive(net::KeptAliveSocket::Keepalive keepalive)
    {
        m_socket.setKeepalive(keepalive);
    }
    void setBackoffPolicy(Backoff::Policy policy) { m_socket.setBackoffPolicy(policy); }

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

    Status status() const { return m_status; }
    QString uaid() const { return m_state.uaid; }

signals:
    void statusChanged(softphone::push::PushChannel::Status status);
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

    void setStatus(Status status);
    void saveState();
    void connectNow();
    void onDisconnected(int closeCode, const QString &reason);
    void onText(const QString &text);
    void onHello(const QJsonObject &msg);
    void onRegister(const QJsonObject &msg);
    void onNotification(const QJsonObject &msg);
    void send(const QJsonObject &msg);
    void sendAck(const QString &channelId, const QString &version, int code);
    void createKeys(const QString &name);
    // again: also a subscription that has an endpoint (its node changed).
    void registerIfReady(const PushChannelState::Entry &entry, bool again = false);
    void complete(const QString &channelId, const QString &version, bool accepted);
    std::optional<PushSubscription> subscriptionOf(const PushChannelState::Entry &entry) const;

    QString m_statePath;
    PushSecretStore *m_secrets;
    QUrl m_url;
    net::KeptAliveSocket m_socket;

    Status m_status = Status::Stopped;
    PushChannelState m_state;
    QHash<QString, Secret> m_secretsByChannel;
    QString m_loadError;
    QSet<QString> m_writing;         // channelIDs whose secrets are being written
    QSet<QString> m_registerSent;    // channelIDs with a register in flight on this connection
    bool m_confirmEndpoints = false; // the service URL changed: register again after hello
    QSet<QString> m_pendingVersions; // handed to the application, not yet accepted/rejected
    int m_generation = 0; // bumps on stop(): late async answers of an old run are ignored
    int m_loadsLeft = 0;
};

} // namespace softphone::push
