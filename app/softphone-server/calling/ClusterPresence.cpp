#include "ClusterPresence.h"

#include "DeviceLocations.h"
#include "softphone-server/bus/RedisClient.h"
#include "softphone-server/common/ServerLogging.h"

#include <QDateTime>

namespace softphone::server::calling {

using protocol::PresenceStatus;

namespace {
// An entry is read again this long after its expiry: its node refreshes it a
// third of the TTL before, so a live node's entry is always found renewed.
constexpr qint64 kExpiryMarginMs = 500;
} // namespace

ClusterPresence::ClusterPresence(bus::RedisClient &redis, DeviceLocations &locations,
                                 const QString &node,
                                 std::function<void(const QString &user)> changed, QObject *parent)
    : QObject(parent)
    , m_redis(redis)
    , m_locations(locations)
    , m_node(node)
    , m_changed(std::move(changed))
{
    connect(&m_redis, &bus::RedisClient::message, this, &ClusterPresence::onBusMessage);
    // After DeviceLocations' own rewrite (connected first): the notice follows it.
    connect(&m_redis, &bus::RedisClient::up, this, &ClusterPresence::onRedisUp);
    m_redis.subscribe(channel());
    m_expiryCheck.setInterval(std::chrono::seconds(1));
    connect(&m_expiryCheck, &QTimer::timeout, this, &ClusterPresence::recheckExpired);
    m_expiryCheck.start();
}

ClusterPresence::~ClusterPresence() = default;

QByteArray ClusterPresence::channel()
{
    return QByteArrayLiteral("softphone:presence");
}

void ClusterPresence::publish(const QString &user, PresenceStatus onThisNode)
{
    m_locations.setDoNotDisturb(user, onThisNode == PresenceStatus::DoNotDisturb);
    if (!m_redis.isUp())
        return; // the notice after Redis's return covers it
    // After the location's own commands on the same connection: a node that
    // reads on this notice sees the change.
    m_redis.command({"PUBLISH", channel(), m_node.toUtf8() + '\n' + user.toUtf8()});
}

PresenceStatus ClusterPresence::elsewhere(const QString &user) const
{
    const auto it = m_watched.constFind(user);
    if (it == m_watched.cend())
        return PresenceStatus::Offline;
    // While Redis is away no node can refresh anything: what was last known
    // stands until Redis is back and every watched user is read again.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const bool current = m_redis.isUp();
    PresenceStatus result = PresenceStatus::Offline;
    for (const NodeStatus &entry : *it)
        if (entry.expiresMs > now || !current)
            result = strongest(result, entry.status);
    return result;
}

void ClusterPresence::watch(const QString &user)
{
    m_watched.insert(user, {});
    read(user);
}

void ClusterPresence::unwatch(const QString &user)
{
    m_watched.remove(user); // its expiries are skipped when they come
}

void ClusterPresence::read(const QString &user)
{
    m_locations.lookup(
        user, this,
        [this, user](const QList<DeviceLocations::Location> &locations, bool reachable) {
            const auto watched = m_watched.find(user);
            if (watched == m_watched.end())
                return; // no longer watched
            if (!reachable)
                return; // kept as they are; read again when Redis is back (onRedisUp)
            // One status per other node: online if any of its devices is there,
            // dnd when that node said so; the latest expiry of its devices.
            QHash<QString, NodeStatus> byNode;
            for (const DeviceLocations::Location &location : locations) {
                if (location.node == m_node)
                    continue; // this node's own view is the feed's
                NodeStatus &entry = byNode[location.node];
                entry.node = location.node;
                entry.status =
                    location.doNotDisturb ? PresenceStatus::DoNotDisturb : PresenceStatus::Online;
                entry.expiresMs = std::max(entry.expiresMs, location.expiresMs);
            }
            *watched = byNode.values();
            qint64 earliest = 0;
            for (const NodeStatus &entry : std::as_const(*watched))
                if (earliest == 0 || entry.expiresMs < earliest)
                    earliest = entry.expiresMs;
            if (earliest > 0)
                m_expiries.insert(earliest + kExpiryMarginMs, user);
            m_changed(user); // the feed sends an event only if what it shows changed
        });
}

void ClusterPresence::recheckExpired()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSet<QString> due;
    while (!m_expiries.isEmpty() && m_expiries.firstKey() <= now)
        due.insert(m_expiries.take(m_expiries.firstKey()));
    for (const QString &user : std::as_const(due))
        if (m_watched.contains(user))
            read(user);
}

void ClusterPresence::readAll()
{
    const QStringList users = m_watched.keys();
    for (const QString &user : users)
        read(user);
}

void ClusterPresence::onRedisUp()
{
    // Others may have changed meanwhile, and they may have missed this
    // node's changes: read every watched user, and say "read mine again".
    readAll();
    m_redis.command({"PUBLISH", channel(), m_node.toUtf8() + '\n'});
}

void ClusterPresence::onBusMessage(const QByteArray &channelName, const QByteArray &payload)
{
    if (channelName != channel())
        return;
    const qsizetype cut = payload.indexOf('\n');
    if (cut <= 0) {
        qCWarning(lcServerBus) << "dropped a malformed presence notice of" << payload.size()
                               << "bytes";
        return;
    }
    if (QString::fromUtf8(payload.left(cut)) == m_node)
        return;
    const QString user = QString::fromUtf8(payload.mid(cut + 1));
    if (user.isEmpty())
        readAll();
    else if (m_watched.contains(user))
        read(user);
}

} // namespace softphone::server::calling
