#pragma once
// Ending a process a test started, the one way every test does it: SIGTERM,
// then SIGKILL when it has not ended within graceMs (bounded either way).
// And children that die with their test: a test killed by ctest at its timeout
// (SIGKILL, no destructor runs) must not leave a server, agent or daemon
// behind on the machine, holding ports and the shared session.

class QProcess;

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

} // namespace softphone::test
