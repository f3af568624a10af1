#include "Processes.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>

#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>

namespace softphone::test {

void stopProcess(QProcess &process, int graceMs)
{
    if (process.state() == QProcess::NotRunning)
        return;
    process.terminate();
    if (!process.waitForFinished(graceMs)) {
        process.kill();
        process.waitForFinished(graceMs);
    }
}

void dieWithTest(QProcess &process, bool ownProcessGroup)
{
    const pid_t test = ::getpid();
    // In the child, between fork and exec: async-signal-safe calls only.
    process.setChildProcessModifier([test, ownProcessGroup] {
        if (ownProcessGroup)
            ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != test) // the test died before the line above
            ::_exit(127);
    });
}

QString thisBuildsFile(const QString &relativePath)
{
    QDir dir = QFileInfo(QFileInfo(QStringLiteral("/proc/self/exe")).symLinkTarget()).dir();
    for (int up = 0; up < 8; ++up) { // tests/integration/security/desktop is 4 deep
        if (dir.exists(QStringLiteral("CMakeCache.txt")))
            return dir.filePath(relativePath);
        if (!dir.cdUp())
            break;
    }
    return {};
}

void useThisBuildsBinaries()
{
    for (const char *name : {"softphone-server", "softphone-cli", "softphone-tray", "softphone"}) {
        // softphone-server -> SOFTPHONE_SERVER_BIN; each executable has its folder under app/.
        const QString executable = QString::fromLatin1(name);
        const QByteArray variable = executable.toUpper().replace(u'-', u'_').toLatin1() + "_BIN";
        const QString path = thisBuildsFile(QStringLiteral("app/%1/%1").arg(executable));
        if (qEnvironmentVariableIsEmpty(variable.constData()) && QFileInfo(path).isExecutable())
            qputenv(variable.constData(), QFile::encodeName(path));
    }
}

} // namespace softphone::test
