#pragma once
// What the event loop queued to PushWriter that is not committed yet, per device:
// acks. Their messages are still in the push store until the delete commits, and
// a connection reading the store meanwhile (a reconnect) must not send them again.
// Owner's (event loop) thread only.

#include <QHash>
#include <QSet>
#include <QString>

namespace softphone::server::push {

class PendingWrites
{
public:
    void ackQueued(const QString &uaid, const QString &version) { m_acks[uaid].insert(version); }
    void ackSettled(const QString &uaid, const QString &version)
    {
        const auto it = m_acks.find(uaid);
        if (it != m_acks.end() && it->remove(version) && it->isEmpty())
            m_acks.erase(it);
    }
    // Acks of the device not committed yet: a reader of the store reads past as many.
    int ackCount(const QString &uaid) const { return int(m_acks.value(uaid).size()); }
    bool isAcked(const QString &uaid, const QString &version) const
    {
        const auto it = m_acks.constFind(uaid);
        return it != m_acks.constEnd() && it->contains(version);
    }

private:
    QHash<QString, QSet<QString>> m_acks;
};

} // namespace softphone::server::push
