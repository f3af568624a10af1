#include "RedisServer.h"

#include "Processes.h"

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

#include <csignal>

namespace softphone::test {

namespace {
const QString kServer = QStringLiteral("/usr/bin/redis-server");
} // namespace

RedisServer::RedisServer() = default;

RedisServer::~RedisServer()
{
    kill();
}

bool RedisServer::available()
{
    return QFileInfo::exists(kServer);
}

QString RedisServer::url() const
{
    return QStringLiteral("redis://127.0.0.1:%1").arg(m_port);
}

bool RedisServer::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

bool RedisServer::start(int timeoutMs)
{
    if (isRunning())
        return true;
    if (!available()) {
        m_lastError = QStringLiteral("redis-server is not installed (packaging/install-deps.sh)");
        return false;
    }
    if (m_port == 0) {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0)) {
            m_lastError = QStringLiteral("no free loopback port");
            return false;
        }
        m_port = probe.serverPort();
    }
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setWorkingDirectory(m_dir.path());
    dieWithTest(*m_process);
    m_process->start(kServer,
                     {QStringLiteral("--port"), QString::number(m_port), QStringLiteral("--bind"),
                      QStringLiteral("127.0.0.1"), QStringLiteral("--save"), QString(),
                      QStringLiteral("--appendonly"), QStringLiteral("no"), QStringLiteral("--dir"),
                      m_dir.path(), QStringLiteral("--daemonize"), QStringLiteral("no")});
    if (!m_process->waitForStarted(5000)) {
        m_lastError = QStringLiteral("redis-server did not start: ") + m_process->errorString();
        return false;
    }
    // Ready when it answers PING (bounded by the deadline).
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired() && isRunning()) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_port);
        if (socket.waitForConnected(500)) {
            socket.write("PING\r\n");
            if (socket.waitForReadyRead(500) && socket.readAll().startsWith("+PONG"))
                return true;
        }
        QThread::msleep(50);
    }
    m_lastError = QStringLiteral("redis-server did not answer: ") +
                  QString::fromLocal8Bit(m_process->readAll().right(2000));
    kill();
    return false;
}

void RedisServer::kill()
{
    if (!m_process)
        return;
    resume(); // a stopped process dies of SIGKILL too, but its pipes wait
    if (m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
    m_process.reset();
}

void RedisServer::pause()
{
    if (isRunning())
        ::kill(pid_t(m_process->processId()), SIGSTOP);
}

void RedisServer::resume()
{
    if (isRunning())
        ::kill(pid_t(m_process->processId()), SIGCONT);
}

QString RedisServer::cli(const QStringList &args)
{
    QProcess process;
    process.start(QStringLiteral("redis-cli"),
                  QStringList{QStringLiteral("-p"), QString::number(m_port)} + args);
    if (!process.waitForFinished(5000) || process.exitCode() != 0)
        return {};
    return QString::fromUtf8(process.readAllStandardOutput()).trimmed();
}

} // namespace softphone::test
