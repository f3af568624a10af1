#pragma once
// What the event loop queued to PushWriter that is not committed yet, per device:
// - pushes: a connection that has sent everything push.db holds is caught up only
//   if none of these is newer than what it sent; otherwise it reads push.db again
//   once they are committed;
// - acks: their messages are still in push.db until the delete commits, and a
//   connection reading push.db meanwhile (a reconnect) must not send them again.
// Owner's (event loop) thread only.

#include <QHash>
#include <QSet>
#include <QString>
#include <algorithm>

namespace softphone::server::push {

class PendingWrites
{
public:
    void pushQueued(const QString &uaid, qint64 seq)
    {
        Pushes &entry = m_pushes[uaid];
        entry.newest = std::max(entry.newest, seq);
        ++entry.count;
    }
    // Its transaction ended (committed or failed).
    void pushSettled(const QString &uaid)
    {
        const auto it = m_pushes.find(uaid);
        if (it != m_pushes.end() && --it->count <= 0)
            m_pushes.erase(it);
    }
    // The newest unsaved seq of the device, 0 if none.
    qint64 newestPush(const QString &uaid) const { return m_pushes.value(uaid).newest; }

    void ackQueued(const QString &uaid, const QString &version) { m_acks[uaid].insert(version); }
    void ackSettled(const QString &uaid, const QString &version)
    {
        const auto it = m_acks.find(uaid);
        if (it != m_acks.end() && it->remove(version) && it->isEmpty())
            m_acks.erase(it);
    }
    bool isAcked(const QString &uaid, const QString &version) const
    {
        const auto it = m_acks.constFind(uaid);
        return it != m_acks.constEnd() && it->contains(version);
    }

private:
    struct Pushes
    {
        qint64 newest = 0;
        int count = 0;
    };
    QHash<QString, Pushes> m_pushes;
    QHash<QString, QSet<QString>> m_acks;
};

} // namespace softphone::server::push
