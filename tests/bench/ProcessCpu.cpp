#include "ProcessCpu.h"

#include <QDir>
#include <QFile>
#include <QStringList>
#include <algorithm>
#include <unistd.h>
#include <vector>

namespace softphone::bench {

double statCpuSeconds(const QString &path, QString *name)
{
    QFile stat(path);
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray line = stat.readAll();
    // Fields after the command (in parentheses, may hold spaces): state is field 3.
    const qsizetype close = line.lastIndexOf(')');
    const QList<QByteArray> fields = line.mid(close + 2).split(' ');
    if (close < 0 || fields.size() < 13)
        return -1;
    if (name)
        *name = QString::fromUtf8(line.mid(line.indexOf('(') + 1, close - line.indexOf('(') - 1));
    return double(fields[11].toLongLong() + fields[12].toLongLong()) / double(sysconf(_SC_CLK_TCK));
}

double cpuSeconds(qint64 pid)
{
    return pid <= 0 ? -1 : statCpuSeconds(QStringLiteral("/proc/%1/stat").arg(pid));
}

qint64 contextSwitches(const QString &statusPath)
{
    QFile status(statusPath);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    qint64 switches = 0;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("voluntary_ctxt_switches:") ||
            line.startsWith("nonvoluntary_ctxt_switches:"))
            switches += line.mid(line.indexOf(':') + 1).trimmed().toLongLong();
    return switches;
}

QMap<QString, ThreadUse> threadUse(qint64 pid)
{
    QMap<QString, ThreadUse> byName;
    const QString tasks = QStringLiteral("/proc/%1/task").arg(pid);
    for (const QString &tid : QDir(tasks).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QString name;
        const QString dir = tasks + u'/' + tid;
        const double seconds = statCpuSeconds(dir + QStringLiteral("/stat"), &name);
        const qint64 switches = contextSwitches(dir + QStringLiteral("/status"));
        if (seconds >= 0) {
            byName[name].cpuSeconds += seconds;
            byName[name].switches += std::max<qint64>(0, switches);
        }
    }
    return byName;
}

QString busiestThreads(const QMap<QString, ThreadUse> &before,
                       const QMap<QString, ThreadUse> &after, double wall)
{
    struct Used
    {
        double percent;
        double switchesPerSecond;
        QString name;
    };
    std::vector<Used> used;
    for (auto it = after.begin(); it != after.end(); ++it) {
        const ThreadUse was = before.value(it.key());
        used.push_back({100.0 * (it.value().cpuSeconds - was.cpuSeconds) / wall,
                        double(it.value().switches - was.switches) / wall, it.key()});
    }
    std::sort(used.begin(), used.end(),
              [](const Used &a, const Used &b) { return a.percent > b.percent; });
    QStringList parts;
    double allSwitches = 0;
    for (const Used &u : used)
        allSwitches += u.switchesPerSecond;
    for (size_t i = 0; i < used.size() && i < 5 && used[i].percent > 0; ++i)
        parts << QStringLiteral("%1 %2 % %3/s")
                     .arg(used[i].name)
                     .arg(used[i].percent, 0, 'f', 2)
                     .arg(used[i].switchesPerSecond, 0, 'f', 0);
    return parts.join(QStringLiteral(", ")) +
           QStringLiteral("; context switches %1/s in all").arg(allSwitches, 0, 'f', 0);
}

double switchesPerSecond(const QMap<QString, ThreadUse> &before,
                         const QMap<QString, ThreadUse> &after, double wall)
{
    if (wall <= 0)
        return -1;
    qint64 switches = 0;
    for (auto it = after.begin(); it != after.end(); ++it)
        switches += it.value().switches - before.value(it.key()).switches;
    return double(switches) / wall;
}

} // namespace softphone::bench
