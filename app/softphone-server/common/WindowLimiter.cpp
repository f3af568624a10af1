#include "WindowLimiter.h"

namespace softphone::server {

namespace {
// Past this many keys, a new one first sweeps the keys whose window is empty.
constexpr qsizetype kSweepAbove = 10000;
} // namespace

WindowLimiter::WindowLimiter(int limit, std::chrono::seconds window)
    : m_limit(limit)
    , m_window(window)
{}

void WindowLimiter::setLimit(int limit, std::chrono::seconds window)
{
    QMutexLocker lock(&m_mutex);
    m_limit = limit;
    m_window = window;
}

int WindowLimiter::limit() const
{
    QMutexLocker lock(&m_mutex);
    return m_limit;
}

void WindowLimiter::prune(const QString &key, Clock::time_point now)
{
    auto it = m_events.find(key);
    if (it == m_events.end())
        return;
    const Clock::time_point cutoff = now - m_window;
    while (!it->isEmpty() && it->first() <= cutoff)
        it->removeFirst();
    if (it->isEmpty())
        m_events.erase(it);
}

bool WindowLimiter::tryAdd(const QString &key, Clock::time_point now)
{
    QMutexLocker lock(&m_mutex);
    prune(key, now);
    // Sweeping costs a pass over every key: only when the table doubled since the
    // last sweep, so each event pays O(1) on average and memory stays within twice
    // the keys still in their window.
    if (m_events.size() > std::max(kSweepAbove, 2 * m_keysAfterSweep) && !m_events.contains(key)) {
        const QStringList keys = m_events.keys();
        for (const QString &other : keys)
            prune(other, now);
        m_keysAfterSweep = m_events.size();
    }
    QList<Clock::time_point> &events = m_events[key];
    if (events.size() >= m_limit) {
        if (events.isEmpty())
            m_events.remove(key); // limit 0: nothing to keep
        return false;
    }
    events.append(now);
    return true;
}

void WindowLimiter::takeBack(const QString &key)
{
    QMutexLocker lock(&m_mutex);
    auto it = m_events.find(key);
    if (it == m_events.end())
        return;
    it->removeLast();
    if (it->isEmpty())
        m_events.erase(it);
}

int WindowLimiter::retryAfterSeconds(const QString &key, Clock::time_point now) const
{
    QMutexLocker lock(&m_mutex);
    const QList<Clock::time_point> events = m_events.value(key);
    if (events.size() < m_limit)
        return 0;
    if (events.isEmpty()) // limit 0: never
        return int(m_window.count());
    const auto wait = std::chrono::ceil<std::chrono::seconds>(events.first() + m_window - now);
    return int(std::max<qint64>(1, wait.count()));
}

} // namespace softphone::server
