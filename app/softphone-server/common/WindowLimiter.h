#pragma once
// Counts events per key in a sliding window and refuses the one past the limit:
// failed logins per user name (appserver), new push devices per source address
// (push). The event is counted when it is admitted, before the work it stands
// for, so parallel requests cannot all slip in under the limit; an attempt that
// turned out fine can be taken back. Thread-safe. Keys with nothing left in the
// window are swept when the table doubles, so many keys cost memory only for one window.

#include <QHash>
#include <QList>
#include <QMutex>
#include <QString>
#include <chrono>

namespace softphone::server {

class WindowLimiter
{
public:
    using Clock = std::chrono::steady_clock;

    WindowLimiter(int limit, std::chrono::seconds window);
    void setLimit(int limit, std::chrono::seconds window);
    int limit() const;

    // Counts one event for key and returns true, unless key already has `limit`
    // events in the window: then nothing is counted and it returns false.
    bool tryAdd(const QString &key, Clock::time_point now = Clock::now());
    // Takes back the newest event counted for key (the attempt it stood for was fine).
    void takeBack(const QString &key);
    // Whole seconds (>= 1) until key may add again; 0 if it may now.
    int retryAfterSeconds(const QString &key, Clock::time_point now = Clock::now()) const;

private:
    void prune(const QString &key, Clock::time_point now);

    int m_limit;
    std::chrono::seconds m_window;
    QHash<QString, QList<Clock::time_point>> m_events; // oldest first, at most m_limit
    qsizetype m_keysAfterSweep = 0;
    mutable QMutex m_mutex;
};

} // namespace softphone::server
