#pragma once
// Which node holds each connected device, for the whole cluster (--bus): the
// cross-node view beside Presence, which stays this node's own registry of
// connections. Kept in Redis as one hash per user:
//   softphone:loc:<user>   field <device>   value "<expires ms since epoch> <node>"
// A device's entry is written when its calling connection signs in, refreshed
// by the keepalive every ttl/3, and removed when it disconnects (only if it is
// still this node's: a device that moved on keeps its new entry). The key's
// own TTL is refreshed with it; readers skip fields past their expiry, so a
// node that died leaves nothing usable behind once its entries expire. When
// Redis comes back (after a restart it holds nothing), every device of this
// node is written again.
//
// Only calling connections are located (agents take no calls).

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <chrono>
#include <functional>

namespace softphone::server::bus {
class RedisClient;
}

namespace softphone::server::calling {

class DeviceLocations : public QObject
{
    Q_OBJECT
public:
    struct Location
    {
        QString device;
        QString node;
    };
    using Found = std::function<void(const QList<Location> &locations, bool reachable)>;

    DeviceLocations(bus::RedisClient &redis, const QString &node, std::chrono::milliseconds ttl,
                    QObject *parent = nullptr);

    static QByteArray key(const QString &user);

    void add(const QString &user, const QString &device);
    void remove(const QString &user, const QString &device);
    // About once a second per device (the service's keepalive sweep): writes the
    // entry again when a third of the TTL has passed.
    void keepalive(const QString &user, const QString &device);
    // The user's devices on every node (this one included) whose entries are
    // current; reachable false when Redis did not answer (then the list is empty).
    void lookup(const QString &user, QObject *context, Found found);

    qsizetype localCount() const { return m_written.size(); }

private:
    void write(const QString &user, const QString &device);
    void rewriteAll();

    bus::RedisClient &m_redis;
    const QString m_node;
    const std::chrono::milliseconds m_ttl;
    // This node's located devices ("user\ndevice") -> when last written (ms since epoch).
    QHash<QString, qint64> m_written;
};

} // namespace softphone::server::calling
