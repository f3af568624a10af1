#pragma once
// Presence across the nodes of a cluster (--bus): the PresenceBus that tells
// PresenceFeed what the other nodes see of a user. No store of its own: a
// user's devices are in the device-location hash (DeviceLocations: which node
// holds which device, with an expiry the keepalive refreshes), and a node
// whose devices of the user are all in do-not-disturb adds its `dnd:<node>`
// field there. So a node's presence of a user lives exactly as long as its
// devices' locations: a node that dies stops refreshing them and its users
// turn offline elsewhere when they expire.
//
// Changes are announced on one channel, `softphone:presence`, as
// "<node>\n<user>" (that node's status of the user changed) or "<node>\n"
// (that node rewrote everything after Redis returned). A node keeps the other
// nodes' view of the users watched on it only: on a notice, or when a cached
// entry reaches its expiry, it reads the user's hash again (one HGETALL) and
// tells the feed, which sends an event only if the status it shows changed.

#include "PresenceBus.h"

#include <QHash>
#include <QList>
#include <QMultiMap>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>
#include <functional>

namespace softphone::server::bus {
class RedisClient;
}

namespace softphone::server::calling {

class DeviceLocations;

class ClusterPresence : public QObject, public PresenceBus
{
    Q_OBJECT
public:
    // changed: another node's status of a watched user may have changed
    // (PresenceFeed::changedElsewhere).
    ClusterPresence(bus::RedisClient &redis, DeviceLocations &locations, const QString &node,
                    std::function<void(const QString &user)> changed, QObject *parent = nullptr);
    ~ClusterPresence() override;

    static QByteArray channel();

    // PresenceBus
    void publish(const QString &user, protocol::PresenceStatus onThisNode) override;
    protocol::PresenceStatus elsewhere(const QString &user) const override;
    void watch(const QString &user) override;
    void unwatch(const QString &user) override;

private:
    // One other node's status of a watched user, good until expiresMs.
    struct NodeStatus
    {
        QString node;
        protocol::PresenceStatus status = protocol::PresenceStatus::Offline;
        qint64 expiresMs = 0;
    };

    void read(const QString &user);
    void onBusMessage(const QByteArray &channel, const QByteArray &payload);
    void readAll();
    void recheckExpired();
    void onRedisUp();

    bus::RedisClient &m_redis;
    DeviceLocations &m_locations;
    const QString m_node;
    std::function<void(const QString &)> m_changed;
    QHash<QString, QList<NodeStatus>> m_watched; // watched user -> the other nodes' statuses
    QMultiMap<qint64, QString> m_expiries;       // when a watched user's entry runs out
    QTimer m_expiryCheck;
};

} // namespace softphone::server::calling
