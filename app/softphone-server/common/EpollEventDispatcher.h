#pragma once
// An event dispatcher for the server's threads built on Linux epoll.
//
// Qt's own dispatchers on Linux (glib and the plain Unix one) rebuild a poll()
// array of every socket notifier on each loop iteration, so the cost of one
// event grows with the number of open connections: at 10k-20k idle WebSockets
// the loop spends most of its time walking sockets that have nothing to say.
// This dispatcher keeps the notifiers registered in one epoll set, so an
// iteration costs what its ready sockets and due timers cost, whatever the
// number of idle ones; timers live in an ordered set (O(log n) per change).
//
// Semantics follow QAbstractEventDispatcher: level-triggered socket
// notifiers, posted events sent at the start of every iteration, wakeUp() and
// interrupt() callable from any thread, timers never re-entered while their
// handler runs. Timer ids are allocated and released by Qt (QObject, QTimer,
// QBasicTimer); the dispatcher only schedules them.

#include <QAbstractEventDispatcher>
#include <QHash>
#include <QList>
#include <QMultiHash>

#include <atomic>
#include <set>
#include <utility>
#include <vector>

namespace softphone::server {

class EpollEventDispatcher : public QAbstractEventDispatcher
{
    Q_OBJECT
public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    // False if epoll or eventfd could not be created (then the caller should
    // keep Qt's default dispatcher); the reason goes to the log.
    bool isValid() const { return m_epoll >= 0 && m_wake >= 0; }

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                       QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

    // Figures for tests and diagnostics.
    int socketNotifierCount() const;
    int timerCount() const { return int(m_timers.size()); }

private:
    struct Watch
    {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
        QSocketNotifier *exception = nullptr;
        bool pollable = true; // false: a regular file, epoll refuses it; always ready
    };
    struct Timer
    {
        QObject *object = nullptr;
        qint64 intervalNs = 0;
        Qt::TimerType type = Qt::CoarseTimer;
        qint64 deadlineNs = 0;
        bool running = false; // its QTimerEvent is being handled
    };
    using Deadline = std::pair<qint64, int>; // (deadline ns, timer id)

    static qint64 nowNs();
    quint32 epollEventsFor(const Watch &watch) const;
    void updateWatch(int fd, Watch &watch, bool wasRegistered);
    int waitTimeoutMs(bool canWait) const;
    bool activateSocketNotifiers(int ready);
    bool activateTimers();
    void drainWakeUp();

    int m_epoll = -1;
    int m_wake = -1;
    std::atomic<bool> m_interrupt{false};
    QHash<int, Watch> m_watches;
    int m_unpollable = 0;
    QHash<int, Timer> m_timers;
    std::set<Deadline> m_deadlines;
    QMultiHash<QObject *, int> m_timersByObject;
    // Activations collected from one epoll_wait, sent one by one; a notifier
    // unregistered meanwhile is cleared here so it is never sent an event.
    std::vector<QSocketNotifier *> m_pending;
    int m_activationDepth = 0;
    std::vector<char> m_events; // struct epoll_event storage
};

} // namespace softphone::server
