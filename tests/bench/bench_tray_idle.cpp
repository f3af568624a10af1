// The tray agent at rest (figures only, never pass/fail; see docs/benchmarks.md
// "Tray agent"):
//   [SOFTPHONE_TRAY_BIN=path] [BENCH_TRAY_FACE=none|sni|xembed] [BENCH_TRAY_MAPPINGS=24]
//   bench_tray_idle [SECONDS=60]
// Every part real: one softphone-server (all roles) on loopback, the
// softphone-tray executable signed in (password on stdin) with its own HOME and
// runtime dir, push subscription in the session keychain (run under
// tests/desktop-session). The face (BENCH_TRAY_FACE): none (default) offscreen
// with no tray host (the agent headless); sni with lxqt-panel as the session's
// StatusNotifierWatcher (the agent's item registered there); xembed with
// trayer and the agent on the X display (xcb, its icon embedded: the XEmbed
// plugin). Once the agent reports "online" (and its icon is shown) it gets
// 10 s to settle, then it is left alone for SECONDS while this process sleeps
// in its event loop; /proc is read at the start and the end of that window
// (and RSS every second): CPU seconds (utime+stime), RSS (now and peak), and
// wakeups as context switches summed over the agent's threads (voluntary =
// the agent went to sleep again after being woken; involuntary = preempted).
#include "support/DesktopShell.h"
#include "support/Processes.h"
#include "support/ServerProcess.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <functional>
#include <unistd.h>

using softphone::test::ServerProcess;
using softphone::test::StatusNotifierHost;
using softphone::test::TrayHost;

namespace {

struct Task
{
    qint64 voluntary = 0;
    qint64 involuntary = 0;
    qint64 cpuNs = 0; // schedstat: time on a CPU
};

struct Sample
{
    double cpuSeconds = 0; // utime + stime of the process (exited threads included)
    qint64 rssKb = 0;
    qint64 hwmKb = 0;
    qint64 anonKb = 0; // RssAnon: the agent's own heap and stacks
    qint64 fileKb = 0; // RssFile: mapped code of Qt, OpenSSL, ... (shared with other processes)
    qint64 pssKb = 0;  // smaps_rollup Pss: each shared page divided by the processes mapping it
    qint64 ussKb = 0;  // Private_Clean + Private_Dirty: the pages only the agent has
    QHash<QString, Task> tasks; // by thread id
};

qint64 statusField(const QByteArray &status, const QByteArray &name)
{
    for (const QByteArray &line : status.split('\n'))
        if (line.startsWith(name + ':'))
            return line.mid(name.size() + 1).trimmed().split(' ').value(0).toLongLong();
    return 0;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

Sample sample(qint64 pid)
{
    Sample s;
    const QString proc = QStringLiteral("/proc/%1").arg(pid);
    const QByteArray status = readAll(proc + QStringLiteral("/status"));
    s.rssKb = statusField(status, "VmRSS");
    s.hwmKb = statusField(status, "VmHWM");
    s.anonKb = statusField(status, "RssAnon");
    s.fileKb = statusField(status, "RssFile");
    const QByteArray rollup = readAll(proc + QStringLiteral("/smaps_rollup"));
    s.pssKb = statusField(rollup, "Pss");
    s.ussKb = statusField(rollup, "Private_Clean") + statusField(rollup, "Private_Dirty");
    // Fields after the ")" of comm: state is field 3, utime 14, stime 15.
    const QByteArray stat = readAll(proc + QStringLiteral("/stat"));
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    const double tick = double(sysconf(_SC_CLK_TCK));
    s.cpuSeconds = (fields.value(11).toLongLong() + fields.value(12).toLongLong()) / tick;
    const QStringList tasks =
        QDir(proc + QStringLiteral("/task")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &task : tasks) {
        const QString dir = proc + QStringLiteral("/task/") + task;
        const QByteArray t = readAll(dir + QStringLiteral("/status"));
        Task &entry = s.tasks[task];
        entry.voluntary = statusField(t, "voluntary_ctxt_switches");
        entry.involuntary = statusField(t, "nonvoluntary_ctxt_switches");
        entry.cpuNs = readAll(dir + QStringLiteral("/schedstat")).split(' ').value(0).toLongLong();
    }
    return s;
}

// What the threads alive at the end did since the start (a thread born in
// between counts from zero; one that ended in between is lost, so the
// figures are a lower bound then - the thread counts show whether it happened).
Task delta(const Sample &start, const Sample &end)
{
    Task d;
    for (auto it = end.tasks.begin(); it != end.tasks.end(); ++it) {
        const Task before = start.tasks.value(it.key());
        d.voluntary += it->voluntary - before.voluntary;
        d.involuntary += it->involuntary - before.involuntary;
        d.cpuNs += it->cpuNs - before.cpuNs;
    }
    return d;
}

// Where the RSS is: /proc/<pid>/smaps summed per mapped file ("[anon]" for
// the rest), the largest `count` first, as "name kB" lines.
QList<std::pair<qint64, QString>> rssByMapping(qint64 pid, int count)
{
    QHash<QString, qint64> kb;
    QString current;
    const QByteArray smaps = readAll(QStringLiteral("/proc/%1/smaps").arg(pid));
    for (const QByteArray &line : smaps.split('\n')) {
        const QList<QByteArray> fields = line.simplified().split(' ');
        if (fields.size() >= 5 && fields[0].contains('-') && !line.endsWith(':')) {
            current = fields.size() >= 6 ? QString::fromUtf8(fields[5]).section(u'/', -1)
                                         : QStringLiteral("[anon]");
        } else if (fields.value(0) == "Rss:") {
            kb[current] += fields.value(1).toLongLong();
        }
    }
    QList<std::pair<qint64, QString>> sorted;
    for (auto it = kb.cbegin(); it != kb.cend(); ++it)
        sorted.append({it.value(), it.key()});
    std::sort(sorted.begin(), sorted.end(), std::greater<>());
    return sorted.mid(0, count);
}

// Event loop until done() or the timeout; sleeps between events (no spinning).
bool waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    QTimer ticker;
    ticker.start(100);
    while (!done() && timer.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    return done();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int seconds = argc > 1 ? QByteArray(argv[1]).toInt() : 60;
    if (seconds <= 0) {
        std::fprintf(stderr, "usage: bench_tray_idle [SECONDS=60]\n");
        return 2;
    }
    softphone::test::useThisBuildsBinaries();
    const QString face = qEnvironmentVariable("BENCH_TRAY_FACE", QStringLiteral("none"));
    if (face != QLatin1String("none") && face != QLatin1String("sni") &&
        face != QLatin1String("xembed")) {
        std::fprintf(stderr, "BENCH_TRAY_FACE: none, sni or xembed\n");
        return 2;
    }
    // The tray host first: the agent picks its face at start.
    StatusNotifierHost sniHost;
    TrayHost xembedHost;
    QString why;
    if ((face == QLatin1String("sni") && !sniHost.start(&why)) ||
        (face == QLatin1String("xembed") && !xembedHost.start(&why))) {
        std::fprintf(stderr, "tray host: %s\n", qPrintable(why));
        return 1;
    }

    ServerProcess server;
    if (!server.start() || !server.addUser(QStringLiteral("bob"), QStringLiteral("password-bob"))) {
        std::fprintf(stderr, "server: %s\n", qPrintable(server.lastError()));
        return 1;
    }
    QTemporaryDir home;
    QDir().mkpath(home.path() + QStringLiteral("/run"));
    QFile::setPermissions(home.path() + QStringLiteral("/run"),
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), home.path());
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.path() + QStringLiteral("/config"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home.path() + QStringLiteral("/data"));
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), home.path() + QStringLiteral("/run"));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), face == QLatin1String("xembed")
                                                      ? QStringLiteral("xcb")
                                                      : QStringLiteral("offscreen"));
    env.insert(QStringLiteral("SOFTPHONE_BIN"), QStringLiteral("/bin/false"));
    QProcess tray;
    tray.setProcessEnvironment(env);
    tray.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    // SOFTPHONE_TRAY_BIN in the environment measures another build's agent
    // (e.g. a release softphone-tray with this bench and the server of an ASan tree).
    const QString trayBin = qEnvironmentVariable("SOFTPHONE_TRAY_BIN");
    std::printf("agent: %s; face: %s\n", qPrintable(trayBin), qPrintable(face));
    QElapsedTimer sinceStart;
    sinceStart.start();
    qint64 onlineAfterMs = -1;
    tray.start(trayBin, {QStringLiteral("--server"), server.appServerUrl().toString(),
                         QStringLiteral("--user"), QStringLiteral("bob"),
                         QStringLiteral("--password-stdin"), QStringLiteral("--report-state")});
    tray.write("password-bob\n");
    tray.closeWriteChannel();
    bool online = false;
    QObject::connect(&tray, &QProcess::readyReadStandardOutput, [&] {
        while (tray.canReadLine()) {
            const QJsonObject line = QJsonDocument::fromJson(tray.readLine()).object();
            if (line.value(QStringLiteral("state")).toString() == QLatin1String("online") &&
                !online) {
                online = true;
                onlineAfterMs = sinceStart.elapsed();
            }
        }
    });
    if (!waitUntil([&] { return online; }, 60000)) {
        std::fprintf(stderr, "the agent never came online\n");
        return 1;
    }
    const qint64 pid = tray.processId();
    if (face == QLatin1String("sni") && sniHost.waitForItemOf(pid, 30000).isEmpty()) {
        std::fprintf(stderr, "the agent registered no item with lxqt-panel\n");
        return 1;
    }
    if (face == QLatin1String("xembed") &&
        softphone::test::waitForWindow(pid, {}, 30000, true).isEmpty()) {
        std::fprintf(stderr, "trayer embedded no icon of the agent\n");
        return 1;
    }
    waitUntil([] { return false; }, 10000); // settle: keychain, first keepalives
    const Sample start = sample(pid);
    qint64 maxRss = start.rssKb;
    QTimer rss;
    QObject::connect(&rss, &QTimer::timeout, [&] { maxRss = std::max(maxRss, sample(pid).rssKb); });
    rss.start(1000);
    QElapsedTimer window;
    window.start();
    waitUntil([] { return false; }, seconds * 1000);
    const double elapsed = double(window.elapsed()) / 1000.0;
    const Sample end = sample(pid);
    maxRss = std::max(maxRss, end.rssKb);
    const double cpu = end.cpuSeconds - start.cpuSeconds;
    const Task d = delta(start, end);
    int common = 0;
    for (auto it = start.tasks.begin(); it != start.tasks.end(); ++it)
        common += end.tasks.contains(it.key()) ? 1 : 0;
    // The agent's child processes now (its keychain helper lives only while used).
    QStringList children;
    for (const QString &task : QDir(QStringLiteral("/proc/%1/task").arg(pid))
                                   .entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        for (const QByteArray &child :
             readAll(QStringLiteral("/proc/%1/task/%2/children").arg(pid).arg(task)).split(' '))
            if (!child.trimmed().isEmpty())
                children << QString::fromLatin1(
                    readAll(
                        QStringLiteral("/proc/%1/comm").arg(QString::fromLatin1(child.trimmed())))
                        .trimmed());
    std::printf("online %lld ms after the agent was started (signed in with a password, push "
                "subscription made); child processes at the end: %s\n",
                static_cast<long long>(onlineAfterMs),
                children.isEmpty() ? "none" : qPrintable(children.join(QStringLiteral(", "))));
    std::printf("tray agent idle for %.1f s (after online + 10 s); threads: %lld at the start, "
                "%lld at the end, %d in both\n",
                elapsed, static_cast<long long>(start.tasks.size()),
                static_cast<long long>(end.tasks.size()), common);
    std::printf("RSS: start %lld kB, end %lld kB, max sampled %lld kB, VmHWM %lld kB\n",
                static_cast<long long>(start.rssKb), static_cast<long long>(end.rssKb),
                static_cast<long long>(maxRss), static_cast<long long>(end.hwmKb));
    std::printf("RSS at the end: %lld kB anonymous + %lld kB file-backed (shared libraries)\n",
                static_cast<long long>(end.anonKb), static_cast<long long>(end.fileKb));
    std::printf("PSS at the end: %lld kB; private (USS): %lld kB\n",
                static_cast<long long>(end.pssKb), static_cast<long long>(end.ussKb));
    std::printf("CPU: utime+stime %.2f s, on-CPU (schedstat) %.4f s in the window = %.2f "
                "CPU-s per hour\n",
                cpu, double(d.cpuNs) / 1e9, double(d.cpuNs) / 1e9 * 3600.0 / elapsed);
    std::printf("wakeups: %lld voluntary + %lld involuntary context switches = %.3f/s "
                "(%.0f per hour)\n",
                static_cast<long long>(d.voluntary), static_cast<long long>(d.involuntary),
                double(d.voluntary + d.involuntary) / elapsed,
                double(d.voluntary + d.involuntary) * 3600.0 / elapsed);
    QStringList qt;
    for (const QByteArray &line : readAll(QStringLiteral("/proc/%1/maps").arg(pid)).split('\n')) {
        const QString file = QString::fromUtf8(line.mid(line.lastIndexOf('/') + 1));
        if (file.startsWith(QLatin1String("libQt6")) && !qt.contains(file))
            qt << file;
    }
    std::printf("Qt libraries mapped: %s\n", qPrintable(qt.join(QStringLiteral(", "))));
    std::printf("RSS by mapping at the end (kB):");
    // BENCH_TRAY_MAPPINGS: how many (default 24).
    const int mappings = qEnvironmentVariableIntValue("BENCH_TRAY_MAPPINGS");
    for (const auto &[kb, name] : rssByMapping(tray.processId(), mappings > 0 ? mappings : 24))
        std::printf(" %s %lld;", qPrintable(name), static_cast<long long>(kb));
    std::printf("\n");
    std::fflush(stdout);
    tray.terminate();
    tray.waitForFinished(10000);
    return 0;
}
