#pragma once
// Ending a process a test started, the one way every test does it: SIGTERM,
// then SIGKILL when it has not ended within graceMs (bounded either way).
// And children that die with their test: a test killed by ctest at its timeout
// (SIGKILL, no destructor runs) must not leave a server, agent or daemon
// behind on the machine, holding ports and the shared session.

class QProcess;
class QString;

namespace softphone::test {

void stopProcess(QProcess &process, int graceMs = 10000);

// Before process.start(): the child gets SIGKILL when this test process dies,
// however it dies (Linux PR_SET_PDEATHSIG, set in the child before exec). The
// signal follows the thread that started the child, so start long-lived
// children from the test's main thread. A change of user (`setpriv`) clears
// it, and a child may drop it itself: postgres does both, so PostgresServer
// adds a watchdog that kills its process group (its short-lived initdb/psql
// runs are bounded by their own timeouts instead). With
// ownProcessGroup the child leads a new process group, to be killed whole.
void dieWithTest(QProcess &process, bool ownProcessGroup = false);

// A file of the build tree this executable belongs to (the nearest folder above
// it holding CMakeCache.txt), e.g. "tests/bench/bench_calling_fleet"; empty if
// there is none. No absolute path is compiled in, so objects are the same in every
// checkout and ccache reuses them (docs/testing.md "Time budget").
QString thisBuildsFile(const QString &relativePath);

// For programs run by hand (benchmarks): SOFTPHONE_SERVER_BIN, SOFTPHONE_CLI_BIN,
// SOFTPHONE_TRAY_BIN and SOFTPHONE_BIN name this build tree's executables unless
// the environment already names others (ctest sets them for tests). Safe before
// QCoreApplication exists.
void useThisBuildsBinaries();

} // namespace softphone::test
