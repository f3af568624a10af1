#pragma once
// Ending a process a test started, the one way every test does it: SIGTERM,
// then SIGKILL when it has not ended within graceMs (bounded either way).

class QProcess;

namespace softphone::test {

void stopProcess(QProcess &process, int graceMs = 10000);

} // namespace softphone::test
