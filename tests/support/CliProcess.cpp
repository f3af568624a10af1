#include "CliProcess.h"

#include "Processes.h"

#include <QFile>
#include <QJsonDocument>
#include <QTest>

namespace softphone::test {

CliProcess::CliProcess(const QUrl &server, const QString &user, const QString &password,
                       const QStringList &command, const QStringList &launcher)
    : CliProcess(server.toString(), user, password, command, launcher)
{}

CliProcess::CliProcess(const QString &server, const QString &user, const QString &password,
                       const QStringList &command, const QStringList &launcher)
{
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process, [this] {
        sampleCpu(); // its last line (the call's `media`) comes just before it exits
        m_buffer += m_process.readAllStandardOutput();
        qsizetype nl;
        while ((nl = m_buffer.indexOf('\n')) >= 0) {
            const QJsonDocument doc = QJsonDocument::fromJson(m_buffer.left(nl));
            m_buffer.remove(0, nl + 1);
            if (doc.isObject())
                m_events << doc.object();
        }
    });
    const QStringList cli = QStringList{qEnvironmentVariable("SOFTPHONE_CLI_BIN"),
                                        QStringLiteral("--server"),
                                        server,
                                        QStringLiteral("--user"),
                                        user,
                                        QStringLiteral("--password-stdin")} +
                            command;
    const QStringList all = launcher + cli;
    dieWithTest(m_process);
    m_process.start(all.first(), all.mid(1));
    m_process.write(password.toUtf8() + '\n');
    m_process.closeWriteChannel();
    m_cpuSampler.setInterval(200);
    QObject::connect(&m_cpuSampler, &QTimer::timeout, &m_process, [this] { sampleCpu(); });
    m_cpuSampler.start();
}

void CliProcess::sampleCpu()
{
    const qint64 pid = m_process.processId();
    if (pid <= 0)
        return;
    QFile file(QStringLiteral("/proc/%1/schedstat").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return;
    const QList<QByteArray> fields = file.readAll().simplified().split(' ');
    bool run = false, wait = false;
    const qint64 runNs = fields.value(0).toLongLong(&run);
    const qint64 waitNs = fields.value(1).toLongLong(&wait);
    if (run && wait) {
        m_cpuRunNs = runNs;
        m_cpuWaitNs = waitNs;
    }
}

CliProcess::~CliProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished();
    }
}

bool CliProcess::waitForEvent(const QString &name, int timeoutMs)
{
    return QTest::qWaitFor([&] { return !event(name).isEmpty(); }, timeoutMs);
}

bool CliProcess::finished(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_process.state() == QProcess::NotRunning; }, timeoutMs);
}

QJsonObject CliProcess::event(const QString &name) const
{
    for (const QJsonObject &e : m_events)
        if (e.value(QLatin1StringView("event")).toString() == name)
            return e;
    return {};
}

QList<QJsonObject> CliProcess::events(const QString &name) const
{
    QList<QJsonObject> found;
    for (const QJsonObject &e : m_events)
        if (e.value(QLatin1StringView("event")).toString() == name)
            found << e;
    return found;
}

QString CliProcess::transcript() const
{
    QStringList lines;
    for (const QJsonObject &e : m_events)
        lines << QString::fromUtf8(QJsonDocument(e).toJson(QJsonDocument::Compact));
    return lines.join(QLatin1Char('\n'));
}

} // namespace softphone::test
