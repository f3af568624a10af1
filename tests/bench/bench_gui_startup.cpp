// Cold start of the softphone executable to a usable main window: wall time
// from launching the process to its {"event":"ready"} line (--report-startup),
// for a first start (sign-in page) and a start that signs in (--password-stdin
// against a real softphone-server). Prints p50/p95; never fails on a figure.
// Usage: bench_gui_startup [runs]   (QT_QPA_PLATFORM as for any Qt app)
#include "support/Processes.h"
#include "support/ServerProcess.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cstdio>

namespace {

struct Figures
{
    QList<double> ms;
    double percentile(double p) const
    {
        QList<double> sorted = ms;
        std::sort(sorted.begin(), sorted.end());
        return sorted.isEmpty()
                   ? 0
                   : sorted[std::min<qsizetype>(sorted.size() - 1, qsizetype(p * sorted.size()))];
    }
};

// One cold start in a fresh HOME; -1 when no ready line came.
double startOnce(const QStringList &args, const QByteArray &stdinData, bool expectSignedIn)
{
    QTemporaryDir home;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), home.path());
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
    QDir().mkpath(home.filePath(QStringLiteral("run")));
    QFile::setPermissions(home.filePath(QStringLiteral("run")),
                          QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), home.filePath(QStringLiteral("run")));
    if (env.value(QStringLiteral("DISPLAY")).isEmpty() &&
        env.value(QStringLiteral("QT_QPA_PLATFORM")).isEmpty())
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    QProcess process;
    process.setProcessEnvironment(env);
    process.setProcessChannelMode(QProcess::SeparateChannels);
    QElapsedTimer timer;
    timer.start();
    process.start(qEnvironmentVariable("SOFTPHONE_BIN"),
                  QStringList{QStringLiteral("--report-startup")} + args);
    if (!stdinData.isEmpty()) {
        process.write(stdinData);
        process.closeWriteChannel();
    }
    QByteArray out;
    const QByteArray wanted = expectSignedIn ? "\"signedIn\":true" : "\"signedIn\":false";
    const bool ready = QTest::qWaitFor(
        [&] {
            out += process.readAllStandardOutput();
            return out.contains(wanted) || process.state() == QProcess::NotRunning;
        },
        60000);
    const double ms = timer.nsecsElapsed() / 1e6;
    process.terminate();
    if (!process.waitForFinished(10000))
        process.kill();
    return ready && out.contains(wanted) ? ms : -1;
}

void report(const char *what, const Figures &f, int failures)
{
    std::printf("%-44s runs %3lld  p50 %8.1f ms  p95 %8.1f ms  failed %d\n", what,
                (long long)f.ms.size(), f.percentile(0.5), f.percentile(0.95), failures);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int runs = argc > 1 ? std::max(1, atoi(argv[1])) : 15;
    softphone::test::useThisBuildsBinaries();

    Figures signInPage;
    int failed = 0;
    for (int i = 0; i < runs; ++i) {
        const double ms = startOnce({}, {}, false);
        ms < 0 ? ++failed : (signInPage.ms.append(ms), 0);
    }
    report("cold start -> sign-in page ready", signInPage, failed);

    softphone::test::ServerProcess server;
    if (!server.start() || !server.addUser(QStringLiteral("alice"), QStringLiteral("bench-pw"))) {
        std::printf("no server: %s\n", qPrintable(server.lastError()));
        return 0;
    }
    Figures signedIn;
    failed = 0;
    for (int i = 0; i < runs; ++i) {
        const double ms = startOnce({QStringLiteral("--server"), server.appServerUrl().toString(),
                                     QStringLiteral("--user"), QStringLiteral("alice"),
                                     QStringLiteral("--password-stdin")},
                                    "bench-pw\n", true);
        ms < 0 ? ++failed : (signedIn.ms.append(ms), 0);
    }
    report("cold start -> signed in, main window ready", signedIn, failed);
    return 0;
}
