#include "ServerProcess.h"

#include "Processes.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>
#include <QTimer>

namespace softphone::test {

ServerProcess::ServerProcess(QStringList extraArgs)
    : m_extraArgs(std::move(extraArgs))
{}

ServerProcess::~ServerProcess()
{
    stop();
}

bool ServerProcess::databaseArgs(QStringList *args)
{
    if (const qsizetype given = m_extraArgs.indexOf(QStringLiteral("--database")); given >= 0) {
        if (!args->contains(QStringLiteral("--database"))) // commands: not in their args yet
            *args << m_extraArgs.mid(given, 2);
        return true;
    }
    if (!PostgresServer::requestedByEnvironment())
        return true;
    if (!m_postgres)
        m_postgres = std::make_unique<PostgresServer>();
    if (!m_postgres->isRunning() && !m_postgres->start()) {
        m_lastError = QStringLiteral("PostgreSQL did not start: ") + m_postgres->lastError();
        return false;
    }
    *args << QStringLiteral("--database") << m_postgres->url();
    return true;
}

QString ServerProcess::serverBinary()
{
    return qEnvironmentVariable("SOFTPHONE_SERVER_BIN");
}

void ServerProcess::setErrorLog(const QString &path)
{
    m_errorLog = path;
}

void ServerProcess::keepErrorLog()
{
    if (!m_logDir)
        m_logDir = std::make_unique<QTemporaryDir>();
    setErrorLog(m_logDir->filePath(QStringLiteral("server.log")));
}

QString ServerProcess::errorLogText() const
{
    QFile file(m_errorLog);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

int ServerProcess::relayedMediaFrames(const QString &callId, int timeoutMs) const
{
    const QRegularExpression line(
        QStringLiteral("call %1 ended: (\\d+) media frames relayed").arg(callId));
    QRegularExpressionMatch match;
    const bool found = QTest::qWaitFor(
        [&] {
            match = line.match(errorLogText());
            return match.hasMatch();
        },
        timeoutMs);
    return found ? match.captured(1).toInt() : -1;
}

QString ServerProcess::dataDir() const
{
    return m_dir.path();
}

qint64 ServerProcess::pid() const
{
    return isRunning() ? m_process->processId() : 0;
}

qint64 ServerProcess::rssKiB() const
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid()));
    if (pid() == 0 || !status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

bool ServerProcess::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

bool ServerProcess::start(int timeoutMs)
{
    return launch({QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")}, timeoutMs);
}

bool ServerProcess::startOn(const QString &host, const QStringList &launcher, int timeoutMs)
{
    m_launcher = launcher;
    return launch({QStringLiteral("--listen"), host + QStringLiteral(":0")}, timeoutMs);
}

bool ServerProcess::restart(int timeoutMs)
{
    stop();
    if (m_wsPort == 0 || m_httpPort == 0)
        return start(timeoutMs);
    // Listen arguments go last so they win over any in extraArgs: the clients'
    // URLs must stay valid across the restart.
    return launch({QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(m_wsPort),
                   QStringLiteral("--http-listen"), QStringLiteral("127.0.0.1:%1").arg(m_httpPort)},
                  timeoutMs);
}

bool ServerProcess::launch(const QStringList &listenArgs, int timeoutMs)
{
    if (isRunning()) {
        m_lastError = QStringLiteral("already running");
        return false;
    }
    if (serverBinary().isEmpty() || !m_dir.isValid()) {
        m_lastError = QStringLiteral("SOFTPHONE_SERVER_BIN is not set or no temporary dir");
        return false;
    }
    m_startLine = {};
    m_exitCode = -1;
    m_process = std::make_unique<QProcess>();
    if (m_errorLog.isEmpty())
        m_process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    else
        m_process->setStandardErrorFile(m_errorLog, QIODevice::Append);
    const bool restartingOnSamePorts = listenArgs.contains(QStringLiteral("--http-listen"));
    QStringList args{QStringLiteral("serve"), QStringLiteral("--data-dir"), m_dir.path()};
    if (restartingOnSamePorts)
        args << m_extraArgs << listenArgs;
    else
        args << listenArgs << m_extraArgs;
    if (!m_extraArgs.contains(hashCostArgs().constLast()))
        args << hashCostArgs();
    if (!databaseArgs(&args))
        return false;
    const QStringList command = m_launcher + QStringList{serverBinary()} + args;
    dieWithTest(*m_process);
    m_process->start(command.first(), command.mid(1));

    QEventLoop loop;
    QByteArray buffer;
    bool done = false;
    auto readLines = [&] {
        buffer += m_process->readAllStandardOutput();
        qsizetype nl;
        while (!done && (nl = buffer.indexOf('\n')) >= 0) {
            const QByteArray line = buffer.left(nl).trimmed();
            buffer.remove(0, nl + 1);
            const QJsonDocument doc = QJsonDocument::fromJson(line);
            if (doc.isObject() && doc.object().value("event").toString() == u"listening") {
                m_startLine = doc.object();
                done = true;
                loop.quit();
            }
        }
    };
    QObject::connect(m_process.get(), &QProcess::readyReadStandardOutput, &loop, readLines);
    QObject::connect(m_process.get(), &QProcess::finished, &loop, [&] { loop.quit(); });
    QObject::connect(m_process.get(), &QProcess::errorOccurred, &loop,
                     [&](QProcess::ProcessError) { loop.quit(); });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    if (m_process->state() != QProcess::NotRunning)
        loop.exec();
    if (!done) {
        m_lastError = m_process->state() == QProcess::NotRunning
                          ? QStringLiteral("the server exited (code %1): %2")
                                .arg(m_process->exitCode())
                                .arg(m_process->errorString())
                          : QStringLiteral("no start line within %1 ms").arg(timeoutMs);
        kill();
        return false;
    }
    m_wsPort = quint16(callingUrl().port());
    m_httpPort = quint16(appServerUrl().port());
    return true;
}

void ServerProcess::kill()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(10000);
    }
    m_exitCode = m_process->exitCode();
}

void ServerProcess::stop()
{
    if (!m_process)
        return;
    stopProcess(*m_process);
    m_exitCode = m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
}

QUrl ServerProcess::callingUrl() const
{
    return QUrl(m_startLine.value("calling").toString());
}

QUrl ServerProcess::pushWsUrl() const
{
    return QUrl(m_startLine.value("push_ws").toString());
}

QUrl ServerProcess::appServerUrl() const
{
    return QUrl(m_startLine.value("appserver").toString());
}

QUrl ServerProcess::appServerUrl(const QString &path) const
{
    QUrl url = appServerUrl();
    url.setPath(path);
    return url;
}

QUrl ServerProcess::pushHttpUrl() const
{
    return QUrl(m_startLine.value("push_http").toString());
}

int ServerProcess::runCommand(const QStringList &args, const QByteArray &input, QByteArray *out,
                              QByteArray *err)
{
    QProcess process;
    QStringList all = QStringList(args) << QStringLiteral("--data-dir") << m_dir.path();
    if (args.value(0) == u"user")
        all << hashCostArgs(); // `user add` hashes as the suite's servers do
    if (!databaseArgs(&all))
        return -1;
    process.start(serverBinary(), all);
    if (!process.waitForStarted(10000))
        return -1;
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
        return -1;
    }
    if (out)
        *out = process.readAllStandardOutput();
    if (err)
        *err = process.readAllStandardError();
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

QStringList ServerProcess::hashCostArgs() const
{
    for (const QString &arg : m_extraArgs)
        if (arg.startsWith(QLatin1String("appserver.scrypt_log2n=")))
            return {QStringLiteral("--set"), arg};
    return {QStringLiteral("--set"), QStringLiteral("appserver.scrypt_log2n=10")};
}

bool ServerProcess::copyKeysFrom(const ServerProcess &first)
{
    const QDir from(first.dataDir() + QStringLiteral("/keys"));
    const QString to = dataDir() + QStringLiteral("/keys");
    if (!QDir().mkpath(to) ||
        !QFile::setPermissions(to, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner))
        return false;
    for (const QString &file : from.entryList(QDir::Files)) {
        if (!QFile::copy(from.filePath(file), to + u'/' + file))
            return false;
    }
    return true;
}

bool ServerProcess::addUser(const QString &name, const QString &password)
{
    return runCommand({QStringLiteral("user"), QStringLiteral("add"), name},
                      password.toUtf8() + '\n') == 0;
}

HttpReply ServerProcess::loginReply(const QString &user, const QString &password,
                                    const QString &device)
{
    return m_http.postJson(appServerUrl(QStringLiteral("/v1/login")),
                           QJsonObject{{"user", user}, {"password", password}, {"device", device}});
}

QString ServerProcess::login(const QString &user, const QString &password, const QString &device)
{
    const HttpReply reply = loginReply(user, password, device);
    return reply.status == 200 ? reply.json.value("accessToken").toString() : QString();
}

} // namespace softphone::test
