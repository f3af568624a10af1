#pragma once
// A softphone-cli process for the tests of calls (voice, namespaces), its
// JSON event lines collected as they arrive.

#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QStringList>
#include <QTimer>
#include <QUrl>

namespace softphone::test {

class CliProcess
{
public:
    // `launcher` runs the CLI through another program, e.g. {"ip", "netns",
    // "exec", NAME} to run it inside a network namespace.
    CliProcess(const QUrl &server, const QString &user, const QString &password,
               const QStringList &command, const QStringList &launcher = {});
    // server: a service address as --server takes it (several URLs: comma-separated).
    CliProcess(const QString &server, const QString &user, const QString &password,
               const QStringList &command, const QStringList &launcher = {});
    ~CliProcess();
    CliProcess(const CliProcess &) = delete;
    CliProcess &operator=(const CliProcess &) = delete;

    bool waitForEvent(const QString &name, int timeoutMs = 30000);
    bool finished(int timeoutMs = 60000);
    // SIGTERM, as Ctrl-C: the CLI hangs up its calls (each prints its `media` line)
    // and signs out; finished() then waits for it.
    void interrupt() { m_process.terminate(); }
    int exitCode() const { return m_process.exitCode(); }
    qint64 processId() const { return m_process.processId(); }
    // The first event named `name`, or an empty object.
    QJsonObject event(const QString &name) const;
    // Every event named `name` so far, oldest first.
    QList<QJsonObject> events(const QString &name) const;
    QString transcript() const; // every line, for failure messages
    // Its CPU time and the time it waited for a CPU while runnable (the kernel's
    // run-queue wait, /proc/<pid>/schedstat), in ms, as last sampled (every
    // 200 ms and at each output line): whether the machine ran it in time, for
    // judging its audio under load. -1 when never read.
    double cpuRunMs() const { return m_cpuRunNs < 0 ? -1 : double(m_cpuRunNs) / 1e6; }
    double cpuWaitMs() const { return m_cpuWaitNs < 0 ? -1 : double(m_cpuWaitNs) / 1e6; }

private:
    void sampleCpu();

    QProcess m_process;
    QTimer m_cpuSampler;
    qint64 m_cpuRunNs = -1;
    qint64 m_cpuWaitNs = -1;
    QByteArray m_buffer;
    QList<QJsonObject> m_events;
};

} // namespace softphone::test
