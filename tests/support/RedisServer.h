#pragma once
// A real Redis 7 for tests (redis-server from Debian): on a free loopback port,
// no persistence, its working folder temporary; stopped at the end. kill()
// and start() again on the same port play a Redis that crashed and came back
// empty; pause() plays one that hangs. Test code only (waits).

#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <memory>

namespace softphone::test {

class RedisServer
{
public:
    RedisServer();
    ~RedisServer();
    RedisServer(const RedisServer &) = delete;
    RedisServer &operator=(const RedisServer &) = delete;

    // /usr/bin/redis-server (redis-server) is installed.
    static bool available();

    // Starts (on the same port after a kill()); false with lastError() if it did
    // not accept connections within timeoutMs.
    bool start(int timeoutMs = 10000);
    // SIGKILL: a crash; everything it held is gone.
    void kill();
    // SIGSTOP / SIGCONT: a Redis that hangs (connections stay open, no replies).
    void pause();
    void resume();
    bool isRunning() const;

    quint16 port() const { return m_port; }
    qint64 pid() const { return isRunning() ? m_process->processId() : 0; }
    QString url() const; // redis://127.0.0.1:PORT
    // Runs one command with redis-cli; its output (raw), empty on failure.
    QString cli(const QStringList &args);
    QString lastError() const { return m_lastError; }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    QString m_lastError;
};

} // namespace softphone::test
