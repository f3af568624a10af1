#include "LoginRateLimiter.h"

namespace softphone::server::appserver {

void LoginRateLimiter::prune(const QString &user, const QDateTime &now)
{
    auto it = m_failures.find(user);
    if (it == m_failures.end())
        return;
    const QDateTime cutoff = now.addSecs(-kWindowSeconds);
    while (!it->isEmpty() && it->first() <= cutoff)
        it->removeFirst();
    if (it->isEmpty())
        m_failures.erase(it);
}

bool LoginRateLimiter::isBlocked(const QString &user, const QDateTime &now)
{
    QMutexLocker lock(&m_mutex);
    prune(user, now);
    return m_failures.value(user).size() >= kMaxFailures;
}

void LoginRateLimiter::recordFailure(const QString &user, const QDateTime &now)
{
    QMutexLocker lock(&m_mutex);
    // Sweep every name now and then so the table cannot grow without bound.
    if (m_failures.size() > 10000) {
        const QStringList names = m_failures.keys();
        for (const QString &name : names)
            prune(name, now);
    }
    m_failures[user].append(now);
}

int LoginRateLimiter::retryAfterSeconds(const QString &user, const QDateTime &now) const
{
    QMutexLocker lock(&m_mutex);
    const QList<QDateTime> failures = m_failures.value(user);
    if (failures.isEmpty())
        return 0;
    return int(qMax<qint64>(1, now.secsTo(failures.first().addSecs(kWindowSeconds))));
}

} // namespace softphone::server::appserver
