#include "PresenceFeed.h"

#include "CallingConnection.h"
#include "Presence.h"
#include "PresenceBus.h"
#include "protocol/Builders.h"
#include "protocol/Limits.h"
#include "softphone-server/common/ServerLogging.h"

namespace softphone::server::calling {

using protocol::PresenceStatus;

PresenceFeed::PresenceFeed(const Presence &connections, QObject *parent)
    : QObject(parent)
    , m_connections(connections)
{
    m_flush.setSingleShot(true);
    connect(&m_flush, &QTimer::timeout, this, &PresenceFeed::flush);
}

PresenceFeed::~PresenceFeed() = default;

bool PresenceFeed::handles(protocol::MessageType type)
{
    return type == protocol::MessageType::PresenceSubscribe ||
           type == protocol::MessageType::PresenceSet;
}

void PresenceFeed::handle(CallingConnection *from, const protocol::Message &message)
{
    if (message.type == protocol::MessageType::PresenceSubscribe)
        subscribe(from, message);
    else
        setStatus(from, message);
}

void PresenceFeed::subscribe(CallingConnection *from, const protocol::Message &message)
{
    const QString re = message.requestId();
    Subscription &subscription = m_subscriptions[from];
    if (!subscription.window.isValid() || subscription.window.elapsed() > 60'000) {
        subscription.window.start();
        subscription.requests = 0;
    }
    if (++subscription.requests > protocol::kPresenceSubscribesPerMinute) {
        from->sendError(protocol::ErrorCode::RateLimited,
                        QStringLiteral("more than %1 presence subscriptions a minute")
                            .arg(protocol::kPresenceSubscribesPerMinute),
                        re);
        return;
    }
    // The decoder checked the list: at most kMaxPresenceUsers distinct user ids.
    // Replace, not append: users left out are no longer watched.
    const QStringList users = message.userList(QLatin1StringView("users"));
    const QStringList previous = std::exchange(subscription.users, users);
    for (const QString &user : users) {
        QSet<CallingConnection *> &watchers = m_watchers[user];
        if (watchers.isEmpty() && m_bus)
            m_bus->watch(user);
        watchers.insert(from);
    }
    // Users still in the list stay watched (their status is not asked again).
    const QSet<QString> kept(users.cbegin(), users.cend());
    QStringList dropped;
    for (const QString &user : previous)
        if (!kept.contains(user))
            dropped.append(user);
    unwatch(from, dropped);
    from->send(protocol::makeOk(re));
    // The users who are not offline; the others are offline until an event says
    // otherwise. A user already watched gets what the other watchers were told
    // (a change still pending reaches everyone alike with the next flush).
    for (const QString &user : users) {
        auto sent = m_sent.find(user);
        if (sent == m_sent.end())
            sent = m_sent.insert(user, status(user));
        if (*sent != PresenceStatus::Offline)
            from->send(protocol::makePresence(user, *sent));
    }
}

void PresenceFeed::setStatus(CallingConnection *from, const protocol::Message &message)
{
    const QString re = message.requestId();
    if (!from->capabilities().calling) {
        from->sendError(protocol::ErrorCode::Capability,
                        QStringLiteral("presence_set needs capability 'calling': only a device "
                                       "that takes calls has a presence"),
                        re);
        return;
    }
    const bool dnd = message.presenceStatus() == PresenceStatus::DoNotDisturb;
    const bool changed = dnd ? !m_doNotDisturb.contains(from) : m_doNotDisturb.contains(from);
    if (dnd)
        m_doNotDisturb.insert(from);
    else
        m_doNotDisturb.remove(from);
    from->send(protocol::makeOk(re));
    if (changed)
        statusMayHaveChanged(from->user(), true);
}

void PresenceFeed::connectionClosed(CallingConnection *connection)
{
    m_doNotDisturb.remove(connection);
    const auto subscription = m_subscriptions.constFind(connection);
    if (subscription != m_subscriptions.cend()) {
        unwatch(connection, subscription->users);
        m_subscriptions.erase(subscription);
    }
    statusMayHaveChanged(connection->user(), true);
}

void PresenceFeed::unwatch(CallingConnection *connection, const QStringList &users)
{
    for (const QString &user : users) {
        auto watchers = m_watchers.find(user);
        if (watchers == m_watchers.end())
            continue;
        watchers->remove(connection);
        if (watchers->isEmpty()) {
            m_watchers.erase(watchers);
            m_sent.remove(user);
            if (m_bus)
                m_bus->unwatch(user);
        }
    }
}

PresenceStatus PresenceFeed::statusHere(const QString &user) const
{
    PresenceStatus result = PresenceStatus::Offline;
    for (CallingConnection *connection : m_connections.devices(user)) {
        if (Presence::isAgent(connection))
            continue; // the tray agent takes no calls
        if (!m_doNotDisturb.contains(connection))
            return PresenceStatus::Online;
        result = PresenceStatus::DoNotDisturb;
    }
    return result;
}

PresenceStatus PresenceFeed::status(const QString &user) const
{
    const PresenceStatus here = statusHere(user);
    return m_bus ? strongest(here, m_bus->elsewhere(user)) : here;
}

void PresenceFeed::statusMayHaveChanged(const QString &user, bool here)
{
    // Without watchers here and without a bus, nobody needs to know.
    if (!m_watchers.contains(user) && !(m_bus && here))
        return;
    m_pending.insert(user);
    if (here)
        m_pendingHere.insert(user);
    if (m_flush.isActive())
        return;
    // The first change after a quiet second goes out at once; later ones wait
    // for the second to pass and are folded into one event.
    const qint64 since =
        m_sinceFlush.isValid() ? m_sinceFlush.elapsed() : protocol::kPresenceCoalesceMs;
    m_flush.start(int(qMax<qint64>(0, protocol::kPresenceCoalesceMs - since)));
}

void PresenceFeed::flush()
{
    m_sinceFlush.start();
    const QSet<QString> pending = std::exchange(m_pending, {});
    const QSet<QString> pendingHere = std::exchange(m_pendingHere, {});
    if (m_bus)
        for (const QString &user : pendingHere)
            m_bus->publish(user, statusHere(user));
    for (const QString &user : pending) {
        const auto watchers = m_watchers.constFind(user);
        if (watchers == m_watchers.cend())
            continue;
        const PresenceStatus now = status(user);
        if (m_sent.value(user, PresenceStatus::Offline) == now)
            continue;
        m_sent.insert(user, now);
        const QJsonObject event = protocol::makePresence(user, now);
        for (CallingConnection *watcher : *watchers)
            watcher->send(event);
    }
}

} // namespace softphone::server::calling
