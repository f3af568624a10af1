#include "Processes.h"

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

} // namespace softphone::test
