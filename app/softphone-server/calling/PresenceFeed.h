#pragma once
// User-visible presence (docs/protocol.md "Presence"): each user's status
// (online, offline, do not disturb) as the contacts of that user see it, and
// the connections subscribed to it. Presence (the connection registry) says
// which calling connections a user has; this class adds what those devices
// published (`presence_set dnd`) and who watches whom (`presence_subscribe`),
// and sends `presence` events, at most one per watched user per
// kPresenceCoalesceMs, so a flapping device cannot flood its watchers.
//
// Across nodes a PresenceBus (setBus) carries the statuses; without one, this
// node's connections are the whole truth.

#include "protocol/Message.h"
#include "protocol/PresenceStatus.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <QTimer>

namespace softphone::server::calling {

class CallingConnection;
class Presence;
class PresenceBus;

class PresenceFeed : public QObject
{
    Q_OBJECT
public:
    explicit PresenceFeed(const Presence &connections, QObject *parent = nullptr);
    ~PresenceFeed() override;

    // Not owned; nullptr: this node only.
    void setBus(PresenceBus *bus) { m_bus = bus; }
    // The bus: another node's status of `user` changed.
    void changedElsewhere(const QString &user) { statusMayHaveChanged(user, false); }

    static bool handles(protocol::MessageType type);
    // presence_subscribe / presence_set from an authenticated connection.
    void handle(CallingConnection *from, const protocol::Message &message);

    // The service: a connection of `user` was registered or removed from Presence.
    void connectionsChanged(const QString &user) { statusMayHaveChanged(user, true); }
    // The service: the connection is gone; its subscription and status go with it.
    void connectionClosed(CallingConnection *connection);

    // The user's status now: this node combined with the bus.
    protocol::PresenceStatus status(const QString &user) const;

private:
    struct Subscription
    {
        QStringList users;
        QElapsedTimer window; // the minute kPresenceSubscribesPerMinute counts in
        int requests = 0;
    };

    void subscribe(CallingConnection *from, const protocol::Message &message);
    void setStatus(CallingConnection *from, const protocol::Message &message);
    void unwatch(CallingConnection *connection, const QStringList &users);
    protocol::PresenceStatus statusHere(const QString &user) const;
    void statusMayHaveChanged(const QString &user, bool here);
    void flush();

    const Presence &m_connections;
    PresenceBus *m_bus = nullptr;
    QSet<CallingConnection *> m_doNotDisturb;                 // calling connections in dnd
    QHash<CallingConnection *, Subscription> m_subscriptions; // only connections that subscribed
    QHash<QString, QSet<CallingConnection *>> m_watchers;     // watched user -> connections
    QHash<QString, protocol::PresenceStatus> m_sent;          // last status sent, watched users
    QSet<QString> m_pending;                                  // may have changed, not yet sent
    QSet<QString> m_pendingHere;                              // ... of which by this node
    QTimer m_flush;
    QElapsedTimer m_sinceFlush;
};

} // namespace softphone::server::calling
