#pragma once
// Which node holds each connected device, for the whole cluster (--bus): the
// cross-node view beside Presence, which stays this node's own registry of
// connections. Kept in Redis as one hash per user:
//   softphone:loc:<user>   field <device>   value "<expires ms since epoch> <node> <flags>"
// flags: "m" when the connection takes messages (capability `messaging`), else
// "-"; a value without flags (written before they existed) reads as "-".
// A device's entry is written when its calling connection signs in, refreshed
// by the keepalive every ttl/3, and removed when it disconnects (only if it is
// still this node's: a device that moved on keeps its new entry). The key's
// own TTL is refreshed with it; readers skip fields past their expiry, so a
// node that died leaves nothing usable behind once its entries expire. When
// Redis comes back (after a restart it holds nothing), every device of this
// node is written again.
//
// Only calling connections are located (agents take no calls).
//
// The same hash carries each node's presence of the user beyond "a device is
// here" (ClusterPresence): field `dnd:<node>` = "1" while every device of the
// user on that node is in do-not-disturb (device ids are URL-safe, so no
// device is named like that). It lives and is rewritten with the devices.

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
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
        qint64 expiresMs = 0;      // ms since epoch: stale past this unless refreshed
        bool doNotDisturb = false; // its node said every device of the user there is in dnd
        bool messaging = false;    // the connection takes messages (delivered by its node)
    };
    using Found = std::function<void(const QList<Location> &locations, bool reachable)>;

    DeviceLocations(bus::RedisClient &redis, const QString &node, std::chrono::milliseconds ttl,
                    QObject *parent = nullptr);

    static QByteArray key(const QString &user);

    // messaging: the connection declared capability `messaging`.
    void add(const QString &user, const QString &device, bool messaging);
    void remove(const QString &user, const QString &device);
    // About once a second per device (the service's keepalive sweep): writes the
    // entry again when a third of the TTL has passed.
    void keepalive(const QString &user, const QString &device);
    // Whether every device of `user` on this node is in do-not-disturb; kept
    // here and written again when Redis returns.
    void setDoNotDisturb(const QString &user, bool doNotDisturb);
    // The user's devices on every node (this one included) whose entries are
    // current; reachable false when Redis did not answer (then the list is empty).
    void lookup(const QString &user, QObject *context, Found found);

    qsizetype localCount() const { return m_written.size(); }

private:
    void write(const QString &user, const QString &device, bool messaging);
    void writeDoNotDisturb(const QString &user, bool doNotDisturb);
    void rewriteAll();
    QByteArray doNotDisturbField() const;

    bus::RedisClient &m_redis;
    const QString m_node;
    const std::chrono::milliseconds m_ttl;
    struct Written
    {
        qint64 atMs = 0; // when last written (ms since epoch)
        bool messaging = false;
    };
    // This node's located devices ("user\ndevice").
    QHash<QString, Written> m_written;
    QSet<QString> m_doNotDisturb; // users whose devices here are all in dnd
};

} // namespace softphone::server::calling
