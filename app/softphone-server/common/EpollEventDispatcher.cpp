#include "EpollEventDispatcher.h"

#include "ServerLogging.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace softphone::server {

namespace {
constexpr int kMaxEventsPerWait = 512;
constexpr qint64 kNsPerMs = 1000 * 1000;

epoll_event *eventsOf(std::vector<char> &storage)
{
    return reinterpret_cast<epoll_event *>(storage.data());
}
} // namespace

EpollEventDispatcher::EpollEventDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent)
    , m_events(sizeof(epoll_event) * kMaxEventsPerWait)
{
    m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
    m_wake = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (m_epoll < 0 || m_wake < 0) {
        qCWarning(lcServerApp) << "epoll event dispatcher unavailable:" << std::strerror(errno);
        return;
    }
    epoll_event ev = {};
    ev.events = EPOLLIN;
    ev.data.fd = m_wake;
    if (::epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wake, &ev) != 0) {
        qCWarning(lcServerApp) << "epoll event dispatcher: cannot watch its eventfd:"
                               << std::strerror(errno);
        ::close(m_wake);
        m_wake = -1;
    }
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    if (m_wake >= 0)
        ::close(m_wake);
    if (m_epoll >= 0)
        ::close(m_epoll);
}

qint64 EpollEventDispatcher::nowNs()
{
    timespec ts;
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1000 * kNsPerMs + ts.tv_nsec;
}

int EpollEventDispatcher::socketNotifierCount() const
{
    int n = 0;
    for (const Watch &w : m_watches)
        n += (w.read != nullptr) + (w.write != nullptr) + (w.exception != nullptr);
    return n;
}

// ---- socket notifiers ----

quint32 EpollEventDispatcher::epollEventsFor(const Watch &watch) const
{
    quint32 events = 0;
    if (watch.read)
        events |= EPOLLIN;
    if (watch.write)
        events |= EPOLLOUT;
    if (watch.exception)
        events |= EPOLLPRI;
    return events;
}

void EpollEventDispatcher::updateWatch(int fd, Watch &watch, bool wasRegistered)
{
    const quint32 events = epollEventsFor(watch);
    if (events == 0) {
        if (watch.pollable)
            ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
        else
            --m_unpollable;
        m_watches.remove(fd);
        return;
    }
    if (!watch.pollable)
        return;
    epoll_event ev = {};
    ev.events = events;
    ev.data.fd = fd;
    if (::epoll_ctl(m_epoll, wasRegistered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev) == 0)
        return;
    if (errno == EPERM && !wasRegistered) {
        // A regular file: poll() would call it always ready, so do the same.
        watch.pollable = false;
        ++m_unpollable;
        return;
    }
    qCWarning(lcServerApp) << "epoll_ctl on descriptor" << fd << "failed:" << std::strerror(errno);
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    if (fd < 0 || notifier->thread() != thread())
        return;
    const bool wasRegistered = m_watches.contains(fd);
    Watch &watch = m_watches[fd];
    switch (notifier->type()) {
    case QSocketNotifier::Read:
        watch.read = notifier;
        break;
    case QSocketNotifier::Write:
        watch.write = notifier;
        break;
    case QSocketNotifier::Exception:
        watch.exception = notifier;
        break;
    }
    updateWatch(fd, watch, wasRegistered);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    std::replace(m_pending.begin(), m_pending.end(), notifier,
                 static_cast<QSocketNotifier *>(nullptr));
    const int fd = int(notifier->socket());
    const auto it = m_watches.find(fd);
    if (it == m_watches.end())
        return;
    Watch &watch = *it;
    QSocketNotifier **slot = nullptr;
    switch (notifier->type()) {
    case QSocketNotifier::Read:
        slot = &watch.read;
        break;
    case QSocketNotifier::Write:
        slot = &watch.write;
        break;
    case QSocketNotifier::Exception:
        slot = &watch.exception;
        break;
    }
    if (!slot || *slot != notifier)
        return;
    *slot = nullptr;
    updateWatch(fd, watch, true);
}

bool EpollEventDispatcher::activateSocketNotifiers(int ready)
{
    const epoll_event *events = eventsOf(m_events);
    for (int i = 0; i < ready; ++i) {
        const int fd = events[i].data.fd;
        if (fd == m_wake) {
            drainWakeUp();
            continue;
        }
        const auto it = m_watches.constFind(fd);
        if (it == m_watches.constEnd())
            continue;
        const quint32 revents = events[i].events;
        if (it->read && (revents & (EPOLLIN | EPOLLHUP | EPOLLERR)))
            m_pending.push_back(it->read);
        if (it->write && (revents & (EPOLLOUT | EPOLLERR)))
            m_pending.push_back(it->write);
        if (it->exception && (revents & EPOLLPRI))
            m_pending.push_back(it->exception);
    }
    if (m_unpollable > 0) {
        for (const Watch &w : std::as_const(m_watches)) {
            if (w.pollable)
                continue;
            for (QSocketNotifier *n : {w.read, w.write, w.exception})
                if (n)
                    m_pending.push_back(n);
        }
    }
    // Index, not iterator: a handler may run a nested loop that appends here
    // (and sends what is left of this list; every entry is sent once).
    bool activated = false;
    ++m_activationDepth;
    for (size_t i = 0; i < m_pending.size(); ++i) {
        QSocketNotifier *notifier = m_pending[i];
        if (!notifier)
            continue;
        m_pending[i] = nullptr;
        QEvent event(QEvent::SockAct);
        QCoreApplication::sendEvent(notifier, &event);
        activated = true;
    }
    if (--m_activationDepth == 0)
        m_pending.clear();
    return activated;
}

void EpollEventDispatcher::drainWakeUp()
{
    quint64 value = 0;
    while (::read(m_wake, &value, sizeof value) == sizeof value) {
    }
}

// ---- timers ----

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                         QObject *object)
{
    if (timerId < 1 || interval < 0 || !object)
        return;
    unregisterTimer(timerId); // defensive: an id is never scheduled twice
    Timer timer;
    timer.object = object;
    timer.intervalNs = interval * kNsPerMs;
    timer.type = timerType;
    timer.deadlineNs = nowNs() + timer.intervalNs;
    m_timers.insert(timerId, timer);
    m_deadlines.emplace(timer.deadlineNs, timerId);
    m_timersByObject.insert(object, timerId);
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return false;
    m_deadlines.erase({it->deadlineNs, timerId});
    m_timersByObject.remove(it->object, timerId);
    m_timers.erase(it);
    return true;
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    const QList<int> ids = m_timersByObject.values(object);
    for (int id : ids)
        unregisterTimer(id);
    return !ids.isEmpty();
}

QList<QAbstractEventDispatcher::TimerInfo>
EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> list;
    for (auto it = m_timersByObject.constFind(object);
         it != m_timersByObject.constEnd() && it.key() == object; ++it) {
        const Timer &timer = m_timers[it.value()];
        list.append(TimerInfo(it.value(), int(timer.intervalNs / kNsPerMs), timer.type));
    }
    return list;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const auto it = m_timers.constFind(timerId);
    if (it == m_timers.constEnd())
        return -1;
    const qint64 left = it->deadlineNs - nowNs();
    return left <= 0 ? 0 : int((left + kNsPerMs - 1) / kNsPerMs);
}

int EpollEventDispatcher::waitTimeoutMs(bool canWait) const
{
    if (!canWait || m_unpollable > 0)
        return 0;
    for (const Deadline &d : m_deadlines) {
        if (m_timers[d.second].running)
            continue; // its handler runs a nested loop; it cannot fire again now
        const qint64 left = d.first - nowNs();
        if (left <= 0)
            return 0;
        // Round up: waking a little late is fine, waking early would spin.
        const qint64 ms = (left + kNsPerMs - 1) / kNsPerMs;
        return int(std::min<qint64>(ms, 24 * 3600 * 1000));
    }
    return -1;
}

bool EpollEventDispatcher::activateTimers()
{
    if (m_deadlines.empty())
        return false;
    const qint64 now = nowNs();
    std::vector<int> due;
    for (const Deadline &d : m_deadlines) {
        if (d.first > now)
            break;
        due.push_back(d.second);
    }
    bool activated = false;
    for (int id : due) {
        auto it = m_timers.find(id);
        if (it == m_timers.end() || it->running || it->deadlineNs > now)
            continue; // killed, re-entered or restarted by an earlier handler
        m_deadlines.erase({it->deadlineNs, id});
        it->deadlineNs += it->intervalNs;
        if (it->deadlineNs <= now)
            it->deadlineNs = now + it->intervalNs; // fell behind: no burst of catch-ups
        m_deadlines.emplace(it->deadlineNs, id);
        it->running = true;
        QObject *object = it->object;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        activated = true;
        // The handler may have killed the timer, and its id may even belong to
        // a new timer now; either way nothing of it is running any more.
        it = m_timers.find(id);
        if (it != m_timers.end())
            it->running = false;
    }
    return activated;
}

// ---- the loop ----

void EpollEventDispatcher::wakeUp()
{
    const quint64 one = 1;
    [[maybe_unused]] const ssize_t n = ::write(m_wake, &one, sizeof one);
}

void EpollEventDispatcher::interrupt()
{
    m_interrupt.store(true);
    wakeUp();
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupt.store(false);
    Q_EMIT awake();
    QCoreApplication::sendPostedEvents();

    const bool canWait = !m_interrupt.load() && flags.testFlag(QEventLoop::WaitForMoreEvents);
    const int timeout = waitTimeoutMs(canWait);
    if (canWait)
        Q_EMIT aboutToBlock();
    int ready = ::epoll_wait(m_epoll, eventsOf(m_events), kMaxEventsPerWait, timeout);
    if (ready < 0) {
        if (errno != EINTR)
            qCWarning(lcServerApp) << "epoll_wait failed:" << std::strerror(errno);
        ready = 0;
    }
    if (m_interrupt.load())
        return false;

    bool processed = false;
    if (!flags.testFlag(QEventLoop::ExcludeSocketNotifiers)) {
        processed = activateSocketNotifiers(ready) || processed;
    } else {
        // Only take the wake-up; sockets stay ready (level-triggered) for later.
        const epoll_event *events = eventsOf(m_events);
        for (int i = 0; i < ready; ++i)
            if (events[i].data.fd == m_wake)
                drainWakeUp();
    }
    if (!flags.testFlag(QEventLoop::X11ExcludeTimers))
        processed = activateTimers() || processed;
    return processed;
}

} // namespace softphone::server
