#include "DeviceLocations.h"

#include "softphone-server/bus/RedisClient.h"
#include "softphone-server/common/ServerLogging.h"

#include <QDateTime>

namespace softphone::server::calling {

namespace {

using Reply = bus::RedisClient::Reply;

QString entryKey(const QString &user, const QString &device)
{
    return user + u'\n' + device;
}

// HDEL the field only while its value still names this node (its second word:
// a device that reconnected elsewhere keeps its new entry).
const QByteArray kRemoveIfMine =
    QByteArrayLiteral("local v = redis.call('HGET', KEYS[1], ARGV[1]) "
                      "if v and string.match(v, '^%S+ (%S+)') == ARGV[2] then "
                      "return redis.call('HDEL', KEYS[1], ARGV[1]) end return 0");

} // namespace

DeviceLocations::DeviceLocations(bus::RedisClient &redis, const QString &node,
                                 std::chrono::milliseconds ttl, QObject *parent)
    : QObject(parent)
    , m_redis(redis)
    , m_node(node)
    , m_ttl(ttl)
{
    connect(&m_redis, &bus::RedisClient::up, this, &DeviceLocations::rewriteAll);
}

QByteArray DeviceLocations::key(const QString &user)
{
    return QByteArrayLiteral("softphone:loc:") + user.toUtf8();
}

void DeviceLocations::add(const QString &user, const QString &device, bool messaging)
{
    write(user, device, messaging);
}

void DeviceLocations::write(const QString &user, const QString &device, bool messaging)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_written.insert(entryKey(user, device), {now, messaging});
    if (!m_redis.isUp())
        return; // written by rewriteAll() when Redis is back
    const QByteArray value = QByteArray::number(now + m_ttl.count()) + ' ' + m_node.toUtf8() +
                             (messaging ? QByteArrayLiteral(" m") : QByteArrayLiteral(" -"));
    m_redis.command({"HSET", key(user), device.toUtf8(), value});
    m_redis.command({"PEXPIRE", key(user), QByteArray::number(qint64(m_ttl.count()))});
}

void DeviceLocations::remove(const QString &user, const QString &device)
{
    if (m_written.remove(entryKey(user, device)) == 0 || !m_redis.isUp())
        return;
    m_redis.command({"EVAL", kRemoveIfMine, "1", key(user), device.toUtf8(), m_node.toUtf8()});
}

void DeviceLocations::keepalive(const QString &user, const QString &device)
{
    const auto it = m_written.constFind(entryKey(user, device));
    if (it == m_written.cend())
        return;
    if (QDateTime::currentMSecsSinceEpoch() - it->atMs >= m_ttl.count() / 3)
        write(user, device, it->messaging);
}

QByteArray DeviceLocations::doNotDisturbField() const
{
    return QByteArrayLiteral("dnd:") + m_node.toUtf8();
}

void DeviceLocations::setDoNotDisturb(const QString &user, bool doNotDisturb)
{
    if (doNotDisturb)
        m_doNotDisturb.insert(user);
    else
        m_doNotDisturb.remove(user);
    if (m_redis.isUp())
        writeDoNotDisturb(user, doNotDisturb);
}

void DeviceLocations::writeDoNotDisturb(const QString &user, bool doNotDisturb)
{
    // Always written, not only on a change: a field left by a lost HDEL heals.
    if (doNotDisturb)
        m_redis.command({"HSET", key(user), doNotDisturbField(), "1"});
    else
        m_redis.command({"HDEL", key(user), doNotDisturbField()});
}

void DeviceLocations::rewriteAll()
{
    const QHash<QString, Written> entries = m_written;
    if (!entries.isEmpty())
        qCInfo(lcServerBus) << "writing the locations of" << entries.size()
                            << "device(s) of this node";
    for (auto it = entries.cbegin(); it != entries.cend(); ++it) {
        const qsizetype cut = it.key().indexOf(u'\n');
        write(it.key().left(cut), it.key().mid(cut + 1), it->messaging);
    }
    for (const QString &user : std::as_const(m_doNotDisturb))
        writeDoNotDisturb(user, true);
}

void DeviceLocations::lookup(const QString &user, QObject *context, Found found)
{
    m_redis.command({"HGETALL", key(user)}, context, [found = std::move(found)](const Reply &r) {
        QList<Location> locations;
        if (!r.ok() || r.type != Reply::Type::Array) {
            found(locations, false);
            return;
        }
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QSet<QString> doNotDisturb; // nodes
        for (qsizetype i = 0; i + 1 < r.elements.size(); i += 2)
            if (r.elements[i].string.startsWith("dnd:"))
                doNotDisturb.insert(QString::fromUtf8(r.elements[i].string.mid(4)));
        for (qsizetype i = 0; i + 1 < r.elements.size(); i += 2) {
            // "<expires> <node> <flags>" (older entries: no flags).
            const QList<QByteArray> words = r.elements[i + 1].string.split(' ');
            bool ok = false;
            const qint64 expires = words.value(0).toLongLong(&ok);
            if (words.size() < 2 || words[1].isEmpty() || !ok || expires < now)
                continue; // stale (its node stopped refreshing it), or a dnd field
            const QString node = QString::fromUtf8(words[1]);
            locations.append({QString::fromUtf8(r.elements[i].string), node, expires,
                              doNotDisturb.contains(node), words.value(2).contains('m')});
        }
        found(locations, true);
    });
}

} // namespace softphone::server::calling
