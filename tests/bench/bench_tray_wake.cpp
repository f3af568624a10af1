// The wake path through the tray agent (figures only, never pass/fail; see
// docs/benchmarks.md "Tray agent", "Wake path (tray agent, cold start)"):
//   bench_tray_wake [N=50]
// Every part real, as in tests/integration/tray/tst_tray_push.cpp: one
// softphone-server (all roles) on loopback; the softphone-tray executable signed
// in as bob (password on stdin, push subscription in the session keychain: run
// under tests/desktop-session) with its own HOME and runtime dir, offscreen;
// no softphone process. Each call: a caller (an in-process SoftphoneClient with
// PushPairSender attached, posting its push pairs to /v1/push) dials bob; the
// agent gets the push, starts the real softphone executable (offscreen,
// --minimized), relays the push over its socket, and the softphone connects and
// claims the call: the caller's call turns Progressing (= bob's softphone
// rings). Measured: dial -> Progressing. The caller then hangs up; once the
// agent has handled the cancel push (its "Missed call" notification), the
// softphone is ended (SIGTERM, by pid) so that the next call is a cold start
// again. This process is also the desktop's notification service on the
// session bus, so the agent's "Incoming call" notification marks when the push
// reached the agent; the softphone's start time comes from /proc.
#include "support/TrayTestSupport.h"

#include <QCoreApplication>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusContext>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QPointer>
#include <QTimer>
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <functional>
#include <unistd.h>
#include <vector>

using namespace traytest;

namespace {

QElapsedTimer &benchClock()
{
    static QElapsedTimer clock;
    return clock;
}

qint64 nowUs()
{
    return benchClock().nsecsElapsed() / 1000;
}

// Runs the event loop until done() or the timeout; blocks between events (no
// spinning on a 2-core machine), the ticker only bounds how late the timeout is seen.
bool waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    QTimer ticker;
    ticker.start(10);
    while (!done() && timer.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    return done();
}

QString summarize(std::vector<qint64> us)
{
    if (us.empty())
        return QStringLiteral("no samples");
    std::sort(us.begin(), us.end());
    auto at = [&](double q) {
        return double(us[std::min(us.size() - 1, size_t(q * double(us.size())))]) / 1000.0;
    };
    return QStringLiteral("p50 %1 ms  p95 %2 ms  max %3 ms  (n=%4)")
        .arg(at(0.50), 0, 'f', 1)
        .arg(at(0.95), 0, 'f', 1)
        .arg(double(us.back()) / 1000.0, 0, 'f', 1)
        .arg(us.size());
}

// CLOCK_BOOTTIME in microseconds: the clock /proc/PID/stat's start time counts in.
qint64 bootUs()
{
    timespec ts{};
    clock_gettime(CLOCK_BOOTTIME, &ts);
    return qint64(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

// When a process started, on CLOCK_BOOTTIME in microseconds (clock-tick
// resolution, 10 ms here); -1 when it is gone.
qint64 processStartUs(qint64 pid)
{
    QFile file(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray stat = file.readAll();
    // Fields after the ")" of comm start with state (field 3); starttime is field 22.
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    bool ok = false;
    const qint64 ticks = fields.value(19).toLongLong(&ok);
    return ok ? ticks * 1000000 / sysconf(_SC_CLK_TCK) : -1;
}

// Ends the softphones of this HOME (SIGTERM by pid, SIGKILL after 10 s) and
// waits until they are gone; false if one is still there.
bool endSoftphones(const QString &home)
{
    for (qint64 pid : softphonesOf(home))
        ::kill(pid_t(pid), SIGTERM);
    if (!waitUntil([&] { return softphonesOf(home).isEmpty(); }, 10000)) {
        for (qint64 pid : softphonesOf(home))
            ::kill(pid_t(pid), SIGKILL);
        waitUntil([&] { return softphonesOf(home).isEmpty(); }, 5000);
    }
    return softphonesOf(home).isEmpty();
}

} // namespace

// The desktop's notification service (org.freedesktop.Notifications): records
// when each of the agent's notifications arrived.
class Notifications : public QObject, protected QDBusContext
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")

public:
    qint64 from = 0; // the agent's pid: other processes' notifications are answered, not recorded
    struct Shown
    {
        qint64 atUs = 0;
        QString summary;
        QString body;
    };
    QList<Shown> shown;

    const Shown *find(const QString &summary, const QString &bodyPart) const
    {
        for (const Shown &s : shown)
            if (s.summary == summary && s.body.contains(bodyPart))
                return &s;
        return nullptr;
    }

public slots:
    QStringList GetCapabilities() { return {QStringLiteral("body"), QStringLiteral("actions")}; }
    QString GetServerInformation(QString &vendor, QString &version, QString &specVersion)
    {
        vendor = QStringLiteral("softphone bench");
        version = QStringLiteral("1");
        specVersion = QStringLiteral("1.2");
        return QStringLiteral("bench_tray_wake");
    }
    uint Notify(const QString &, uint, const QString &, const QString &summary, const QString &body,
                const QStringList &, const QVariantMap &, int)
    {
        const qint64 at = nowUs();
        const QString sender = message().service();
        if (!m_pids.contains(sender))
            m_pids.insert(sender, connection().interface()->servicePid(sender).value());
        if (from == 0 || m_pids.value(sender) == uint(from))
            shown.append({at, summary, body});
        return ++m_lastId;
    }
    void CloseNotification(uint) {}

private:
    QHash<QString, uint> m_pids; // unique bus name -> pid
    uint m_lastId = 0;
};

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    benchClock().start();
    const int calls = argc > 1 ? QByteArray(argv[1]).toInt() : 50;
    if (calls <= 0) {
        std::fprintf(stderr, "usage: bench_tray_wake [N=50]\n");
        return 2;
    }
    // The agent and the softphone it starts inherit this environment.
    softphone::test::useThisBuildsBinaries();
    // Per-call info logs of the three processes would time the terminal.
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        qputenv("QT_LOGGING_RULES", "softphone.*.info=false");
    QLoggingCategory::setFilterRules(qEnvironmentVariable("QT_LOGGING_RULES"));

    Notifications notifications;
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected()) {
        std::fprintf(stderr, "no session bus: run under tests/desktop-session\n");
        return 1;
    }
    if (!bus.registerObject(QStringLiteral("/org/freedesktop/Notifications"), &notifications,
                            QDBusConnection::ExportAllSlots) ||
        !bus.registerService(QStringLiteral("org.freedesktop.Notifications"))) {
        std::fprintf(stderr, "org.freedesktop.Notifications is taken on this session bus\n");
        return 1;
    }

    // The application server admits 30 push requests a minute per caller
    // (PushFanout::kRequestsPerMinute) and a call takes ~0.5 s here: callers take
    // turns so none comes near it.
    constexpr int kCallers = 8;
    ServerProcess server;
    if (!server.start() || !server.addUser(QStringLiteral("bob"), QStringLiteral("password-bob"))) {
        std::fprintf(stderr, "server: %s\n", qPrintable(server.lastError()));
        return 1;
    }
    QStringList callerNames;
    for (int c = 0; c < kCallers; ++c) {
        callerNames << QStringLiteral("caller%1").arg(c);
        if (!server.addUser(callerNames.last(), QStringLiteral("password-") + callerNames.last())) {
            std::fprintf(stderr, "cannot add %s\n", qPrintable(callerNames.last()));
            return 1;
        }
    }

    QTemporaryDir home;
    Tray tray(home);
    // Its warnings (and the softphone's, which inherits the stream) go to ours;
    // an unread pipe would fill up over the run and stall the agent.
    tray.process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    tray.signIn(server, QStringLiteral("bob"));
    notifications.from = tray.process.processId();
    if (!tray.waitForState(QStringLiteral("online"), 60000)) {
        std::fprintf(stderr, "the agent never came online: %s\n",
                     QJsonDocument(tray.lastState).toJson(QJsonDocument::Compact).constData());
        return 1;
    }
    if (!endSoftphones(tray.home())) {
        std::fprintf(stderr, "a softphone of this HOME is running and does not end\n");
        return 1;
    }
    std::vector<std::unique_ptr<Caller>> callers;
    for (const QString &name : std::as_const(callerNames)) {
        callers.push_back(std::make_unique<Caller>(server, name));
        if (!callers.back()->start()) {
            std::fprintf(stderr, "%s did not come up\n", qPrintable(name));
            return 1;
        }
    }
    std::printf("agent online, %d callers up; %d calls to bob, each a cold start of %s\n", kCallers,
                calls, qPrintable(softphoneBinary()));
    std::fflush(stdout);

    std::vector<qint64> total, toAgent, agentToRing, startToRing;
    std::vector<qint64> firstCall;
    int failures = 0;
    int cancelsUnseen = 0;
    for (int i = 0; i < calls; ++i) {
        const QString callerName = callerNames.at(i % kCallers);
        SoftphoneClient &caller = *callers[size_t(i % kCallers)]->client;
        notifications.shown.clear();
        qint64 progressAt = -1;
        const qint64 dialBoot = bootUs();
        const qint64 dialAt = nowUs();
        QPointer<Call> call = caller.callUser(QStringLiteral("bob"));
        // Disconnected at the end of the iteration: progressAt lives in it.
        QMetaObject::Connection watch;
        if (call)
            watch = QObject::connect(call, &Call::stateChanged, &app, [&](CallState state) {
                if (state == CallState::Progressing && progressAt < 0)
                    progressAt = nowUs();
            });
        const bool rang = waitUntil(
            [&] { return progressAt >= 0 || !call || call->state() == CallState::Ended; }, 30000);
        const QList<qint64> pids = softphonesOf(tray.home());
        const qint64 startedAt = pids.size() == 1 ? processStartUs(pids.first()) : -1;
        if (rang && progressAt >= 0 && startedAt >= dialBoot - 10000) {
            total.push_back(progressAt - dialAt);
            if (i == 0)
                firstCall.push_back(progressAt - dialAt);
            // The softphone's start on the dial's clock (10 ms ticks).
            const qint64 started = dialAt + (startedAt - dialBoot);
            startToRing.push_back(progressAt - started);
            const Notifications::Shown *incoming =
                notifications.find(QStringLiteral("Incoming call"), callerName);
            if (incoming) {
                toAgent.push_back(incoming->atUs - dialAt);
                agentToRing.push_back(progressAt - incoming->atUs);
            }
        } else {
            ++failures;
            QString why;
            if (progressAt >= 0)
                why = QStringLiteral("rang, but not in a softphone started for this call");
            else if (call)
                why = QStringLiteral("no ring within 30 s (call state %1, end cause %2)")
                          .arg(int(call->state()))
                          .arg(int(call->details().endCause));
            else
                why = QStringLiteral("callUser gave no call");
            std::printf("call %d: %s; softphones running: %lld\n", i, qPrintable(why),
                        static_cast<long long>(pids.size()));
        }
        // The caller gives up: the service ends the call on bob's softphone and
        // the application server pushes a cancel, which the agent relays to the
        // running softphone and shows as a missed call. Waited for, so it does
        // not fall into the next measurement.
        if (call && call->state() != CallState::Ended)
            call->hangup();
        waitUntil([&] { return !call || call->state() == CallState::Ended; }, 10000);
        QObject::disconnect(watch);
        if (progressAt >= 0 && !waitUntil(
                                   [&] {
                                       return notifications.find(QStringLiteral("Missed call"),
                                                                 callerName) != nullptr;
                                   },
                                   10000))
            ++cancelsUnseen;
        if (!endSoftphones(tray.home())) {
            std::printf("call %d: the softphone does not end; stopping\n", i);
            break;
        }
        // Let the service see the softphone's connection close before the next
        // dial, or that dial would ring it directly instead of pushing.
        waitUntil([] { return false; }, 200);
        if (tray.process.state() != QProcess::Running) {
            std::printf("the agent exited (code %d); stopping\n", tray.process.exitCode());
            break;
        }
        if ((i + 1) % 10 == 0)
            std::printf("%d/%d calls\n", i + 1, calls);
        std::fflush(stdout);
    }
    std::printf("wake path over %d calls (%d failed; cancel not seen at the agent after %d):\n",
                calls, failures, cancelsUnseen);
    std::printf("  dial -> caller's call Progressing (cold-started softphone rings): %s\n",
                qPrintable(summarize(total)));
    if (!firstCall.empty())
        std::printf("  of which the first call: %.1f ms\n", double(firstCall.front()) / 1000.0);
    std::printf("  dial -> push at the agent (its Incoming call notification): %s\n",
                qPrintable(summarize(toAgent)));
    std::printf("  push at the agent -> ring (start, connect, relay, claim): %s\n",
                qPrintable(summarize(agentToRing)));
    std::printf("  softphone process started -> ring (start from /proc in 10 ms ticks, so up to "
                "10 ms more): %s\n",
                qPrintable(summarize(startToRing)));
    bus.unregisterService(QStringLiteral("org.freedesktop.Notifications"));
    return failures == calls ? 1 : 0;
}

#include "bench_tray_wake.moc"
#include "support/Processes.h"
