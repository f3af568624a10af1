#pragma once
// The presence of the user's contacts and of this device (docs/protocol.md
// "Presence"), a child of SoftphoneClient (SoftphoneClient::presence()), like
// PushRegistration and Messaging. The app says whom to watch (its contacts)
// and whether this device is in do not disturb; both are kept and stated
// again after every reconnect. The latest status of each watched user comes
// out of statusChanged; while the connection is down they are unknown.

#include "protocol/PresenceStatus.h"

#include <QHash>
#include <QObject>
#include <QStringList>
#include <QTimer>
#include <optional>

namespace softphone::protocol {
struct Message;
}

namespace softphone::client {

class SoftphoneClient;

class Presence : public QObject
{
    Q_OBJECT
public:
    // Replaces the watched users (invalid ids and repeats dropped, at most
    // kMaxPresenceUsers kept). Sent now or after the next welcome; a change
    // while a subscription is in flight is sent when its reply came.
    void subscribe(const QStringList &users);
    QStringList users() const { return m_users; }
    // The latest status of a watched user; nullopt while unknown (not
    // connected, subscription not yet answered, or not watched).
    std::optional<protocol::PresenceStatus> status(const QString &user) const;

    // This device's own status for its watchers: do not disturb, or online.
    // Needs capability `calling`; kept across reconnects.
    void setDoNotDisturb(bool on);
    bool doNotDisturb() const { return m_doNotDisturb; }

signals:
    // A watched user's status changed, or became unknown (status() is then nullopt).
    void statusChanged(const QString &user);
    void subscriptionFailed(const QString &error);

private:
    friend class SoftphoneClient;
    explicit Presence(SoftphoneClient *client);

    // From SoftphoneClient: a new session was welcomed; the connection was
    // lost; a reply (`ok`/`error`, true if it was ours); a `presence` event.
    void afterWelcome();
    void connectionLost();
    bool handleReply(const protocol::Message &message);
    void handleEvent(const protocol::Message &message);
    void sendSubscription();
    void sendStatus();
    void setStatus(const QString &user, std::optional<protocol::PresenceStatus> status);

    SoftphoneClient *m_client;
    QStringList m_users;    // the list the app wants watched
    QStringList m_inFlight; // the list of the subscription awaiting its reply
    QString m_subscribeId;  // request id of that subscription
    bool m_dirty = false;   // m_users changed while a subscription was in flight
    QHash<QString, protocol::PresenceStatus> m_statuses; // known statuses
    bool m_doNotDisturb = false;
    QString m_statusId; // the presence_set in flight
    QTimer m_retry;     // a refused (rate_limited) subscription goes again
};

} // namespace softphone::client
