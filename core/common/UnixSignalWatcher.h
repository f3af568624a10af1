#pragma once
// Unix signals (SIGINT, SIGTERM, SIGHUP...) delivered into the event loop, so
// a process can hang up its calls or close its databases instead of dying in
// the middle: the handler only writes the signal number to a socketpair (the
// self-pipe; async-signal-safe) and a QSocketNotifier reads it on the thread
// that owns the watcher. One instance per process at a time (the handler has
// one place to write to); destroying it restores the default dispositions.
// Used by softphone-cli (hang up, sign out) and softphone-server (quit the
// event loop so the roles close normally).

#include <QList>
#include <QObject>

#include <csignal>

class QSocketNotifier;

namespace softphone {

class UnixSignalWatcher : public QObject
{
    Q_OBJECT

public:
    explicit UnixSignalWatcher(const QList<int> &signalNumbers = {SIGINT, SIGTERM},
                               QObject *parent = nullptr);
    ~UnixSignalWatcher() override;

    // false if the self-pipe could not be made (then no handler is installed).
    bool isValid() const { return m_notifier != nullptr; }

signals:
    // One of the watched signals arrived (the handler ran in between: a second
    // identical signal before the loop runs may be merged by a full pipe).
    void received(int signalNumber);

private:
    QList<int> m_signals;
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace softphone
