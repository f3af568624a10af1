#pragma once
// What a process (and each of its threads) used of the CPU, read from /proc:
// for benchmarks that print a call's cost per client (bench_loss_paths,
// bench_call_cpu).

#include <QMap>
#include <QString>

namespace softphone::bench {

// CPU seconds (user + system) from a /proc stat file (a process's or a
// thread's) and the command name in it; -1 if it is gone.
double statCpuSeconds(const QString &path, QString *name = nullptr);
// CPU seconds so far of process `pid`; -1 if it is gone.
double cpuSeconds(qint64 pid);
// Context switches so far of one thread (voluntary: it slept and was woken;
// involuntary: preempted), from its /proc status file; -1 if it is gone.
qint64 contextSwitches(const QString &statusPath);

// What each thread name of a process used so far (threads of one name added up).
struct ThreadUse
{
    double cpuSeconds = 0;
    qint64 switches = 0; // context switches: about one per wakeup
};
QMap<QString, ThreadUse> threadUse(qint64 pid);
// "name 2.1 % 310/s, ..." for the threads that used the most over `wall`
// seconds: CPU and context switches a second (its wakeups).
QString busiestThreads(const QMap<QString, ThreadUse> &before,
                       const QMap<QString, ThreadUse> &after, double wall);
// Context switches a second of all threads over `wall` seconds.
double switchesPerSecond(const QMap<QString, ThreadUse> &before,
                         const QMap<QString, ThreadUse> &after, double wall);

// A process's CPU from a starting point: percent(cpuSeconds(pid), wall seconds).
struct CpuWindow
{
    qint64 pid = 0;
    double start = -1;
    static CpuWindow startingNow(qint64 pid) { return {pid, cpuSeconds(pid)}; }
    double percent(double seconds, double wall) const
    {
        return start < 0 || seconds < 0 || wall <= 0 ? -1 : 100.0 * (seconds - start) / wall;
    }
    double percentNow(double wall) const { return percent(cpuSeconds(pid), wall); }
};

} // namespace softphone::bench
