#include "PostgresServer.h"

#include "Processes.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTcpServer>
#include <csignal>
#include <grp.h>
#include <pwd.h>
#include <unistd.h>

namespace softphone::test {

namespace {
const QString kBinDir = QStringLiteral("/usr/lib/postgresql/15/bin");
const QString kRole = QStringLiteral("softphone");

quint16 freeLoopbackPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}
} // namespace

PostgresServer::PostgresServer() = default;

PostgresServer::~PostgresServer()
{
    stop();
}

void PostgresServer::startProgram(QProcess &process, const QString &program,
                                  const QStringList &args, bool ownProcessGroup)
{
    process.setWorkingDirectory(m_dir->path());
    dieWithTest(process, ownProcessGroup);
    if (::geteuid() == 0)
        process.start(QStringLiteral("setpriv"),
                      QStringList{QStringLiteral("--reuid=nobody"),
                                  QStringLiteral("--regid=nogroup"),
                                  QStringLiteral("--clear-groups"),
                                  // The change of user clears dieWithTest's signal.
                                  kBinDir + u'/' + program} +
                          args);
    else
        process.start(kBinDir + u'/' + program, args);
}

bool PostgresServer::available()
{
    return QFileInfo::exists(kBinDir + QStringLiteral("/postgres"));
}

bool PostgresServer::requestedByEnvironment()
{
    return qEnvironmentVariable("SOFTPHONE_TEST_DATABASE") == u"postgresql";
}

QString PostgresServer::dataDir() const
{
    return m_dir->filePath(QStringLiteral("data"));
}

QString PostgresServer::socketDir() const
{
    return m_dir->path();
}

QString PostgresServer::url() const
{
    return QStringLiteral("postgresql://%1@127.0.0.1:%2/%1").arg(kRole).arg(m_port);
}

QString PostgresServer::socketUrl() const
{
    return QStringLiteral("postgresql://%1@/%1?host=%2&port=%3")
        .arg(kRole, socketDir())
        .arg(m_port);
}

int PostgresServer::run(const QString &program, const QStringList &args, int timeoutMs,
                        QByteArray *out)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    startProgram(process, program, args);
    if (!process.waitForStarted(10000)) {
        m_lastError = program + QStringLiteral(" did not start: ") + process.errorString();
        return -1;
    }
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        m_lastError = program + QStringLiteral(" did not finish in time");
        return -1;
    }
    const QByteArray output = process.readAll();
    if (out)
        *out = output;
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        m_lastError = program + QStringLiteral(" failed: ") + QString::fromLocal8Bit(output);
        return process.exitCode() == 0 ? -1 : process.exitCode();
    }
    return 0;
}

bool PostgresServer::start(int timeoutMs)
{
    if (m_running)
        return true;
    if (!available()) {
        m_lastError = QStringLiteral("PostgreSQL 15 is not installed (postgresql-15)");
        return false;
    }
    if (!m_dir) {
        // Under /tmp, which nobody can reach (a build tree's TMPDIR may not be).
        m_dir = std::make_unique<QTemporaryDir>(QStringLiteral("/tmp/softphone-pg-XXXXXX"));
        if (!m_dir->isValid()) {
            m_lastError = QStringLiteral("no temporary folder");
            return false;
        }
        if (::geteuid() == 0) {
            const passwd *nobody = ::getpwnam("nobody");
            const group *nogroup = ::getgrnam("nogroup");
            if (!nobody || !nogroup ||
                ::chown(QFile::encodeName(m_dir->path()).constData(), nobody->pw_uid,
                        nogroup->gr_gid) != 0) {
                m_lastError = QStringLiteral("cannot give the folder to nobody");
                return false;
            }
        }
    }
    if (!m_initialised) {
        m_fromTemplate = !m_isTemplate && copyTemplate(timeoutMs);
        if (!m_fromTemplate &&
            run(QStringLiteral("initdb"),
                {QStringLiteral("-D"), dataDir(), QStringLiteral("-U"), kRole,
                 QStringLiteral("--auth=trust"), QStringLiteral("--no-sync"), QStringLiteral("-E"),
                 QStringLiteral("UTF8"), QStringLiteral("--locale=C")},
                timeoutMs) != 0)
            return false;
        m_port = freeLoopbackPort();
    }
    // A few tries: the port chosen may be taken by someone else meanwhile.
    for (int attempt = 0; attempt < 3 && !m_running; ++attempt) {
        if (attempt > 0 && !m_initialised)
            m_port = freeLoopbackPort();
        m_running = launchPostmaster(timeoutMs);
    }
    if (!m_running)
        return false;
    if (!m_initialised && !m_fromTemplate) {
        if (run(QStringLiteral("createdb"),
                {QStringLiteral("-h"), socketDir(), QStringLiteral("-p"), QString::number(m_port),
                 QStringLiteral("-U"), kRole, kRole},
                timeoutMs) != 0) {
            stop();
            return false;
        }
    }
    m_initialised = true;
    return true;
}

bool PostgresServer::copyTemplate(int timeoutMs)
{
    // The template: in the desktop session's folder, shared by every test of the run;
    // outside one, this process's own.
    static std::unique_ptr<QTemporaryDir> ownFolder;
    QString path;
    if (const QString session = qEnvironmentVariable("SOFTPHONE_SESSION_DIR"); !session.isEmpty()) {
        path = session + QStringLiteral("/postgres-template");
    } else {
        if (!ownFolder)
            ownFolder = std::make_unique<QTemporaryDir>(
                QStringLiteral("/tmp/softphone-pg-template-XXXXXX"));
        if (!ownFolder->isValid())
            return false;
        path = ownFolder->filePath(QStringLiteral("data"));
    }
    if (!QFileInfo::exists(path + QStringLiteral("/PG_VERSION"))) {
        // Made whole, then renamed into place: a test that raced us to it uses
        // whichever rename won.
        PostgresServer maker;
        maker.m_isTemplate = true;
        if (!maker.start(timeoutMs))
            return false;
        maker.stop();
        if (!QDir().rename(maker.dataDir(), path) &&
            !QFileInfo::exists(path + QStringLiteral("/PG_VERSION")))
            return false;
    }
    // As the caller (root keeps nobody's ownership of the files: -a).
    QProcess cp;
    cp.start(QStringLiteral("cp"), {QStringLiteral("-a"), path, dataDir()});
    if (!cp.waitForFinished(timeoutMs) || cp.exitStatus() != QProcess::NormalExit ||
        cp.exitCode() != 0) {
        cp.kill();
        cp.waitForFinished(5000);
        QDir(dataDir()).removeRecursively();
        return false;
    }
    return true;
}

bool PostgresServer::launchPostmaster(int timeoutMs)
{
    // postgres itself, a child of the test in a process group of its own (not daemonised
    // by pg_ctl, which detaches it into a session of its own). postgres does not keep the
    // parent-death signal (dieWithTest), so a watchdog kills that group, its backends and
    // workers too, when the test ends without stop(). fsync=off: a commit
    // still reaches the kernel before it returns (a killed postgres loses nothing), it
    // just does not wait for the disk, which only a machine crash would need; on a shared
    // CI disk each fsync cost ~4 ms (300 commits 1.2 s -> 0.1 s).
    m_postmaster = std::make_unique<QProcess>();
    m_postmaster->setProcessChannelMode(QProcess::MergedChannels);
    m_postmaster->setStandardOutputFile(m_dir->filePath(QStringLiteral("postgres.log")),
                                        QIODevice::Append);
    startProgram(*m_postmaster, QStringLiteral("postgres"),
                 {QStringLiteral("-D"), dataDir(), QStringLiteral("-p"), QString::number(m_port),
                  QStringLiteral("-k"), socketDir(), QStringLiteral("-c"),
                  QStringLiteral("listen_addresses=127.0.0.1"), QStringLiteral("-c"),
                  QStringLiteral("max_connections=200"), QStringLiteral("-c"),
                  QStringLiteral("fsync=off")},
                 true);
    if (!m_postmaster->waitForStarted(10000) || m_postmaster->processId() <= 0) {
        m_lastError = QStringLiteral("postgres did not start: ") + m_postmaster->errorString();
        m_postmaster.reset();
        return false;
    }
    // The watchdog: a shell reading a pipe from this process. stop() writes "done"; when
    // this process dies instead (a ctest timeout's SIGKILL), the read ends and the shell
    // kills the group. Not dieWithTest: it must outlive the test by that moment.
    m_watchdog = std::make_unique<QProcess>();
    m_watchdog->setProcessChannelMode(QProcess::ForwardedChannels);
    m_watchdog->start(QStringLiteral("sh"),
                      {QStringLiteral("-c"),
                       QStringLiteral("read -r said; [ \"$said\" = done ] || kill -s KILL -- -%1")
                           .arg(m_postmaster->processId())});
    // Ready as pg_ctl -w sees it: postmaster.pid names this process and says "ready".
    const QDeadlineTimer deadline(timeoutMs);
    const QByteArray pid = QByteArray::number(m_postmaster->processId());
    while (m_postmaster->state() != QProcess::NotRunning && !deadline.hasExpired()) {
        QFile pidFile(dataDir() + QStringLiteral("/postmaster.pid"));
        if (pidFile.open(QIODevice::ReadOnly)) {
            const QList<QByteArray> lines = pidFile.readAll().split('\n');
            if (lines.size() > 7 && lines.at(0).trimmed() == pid &&
                lines.at(7).trimmed() == "ready")
                return true;
        }
        m_postmaster->waitForFinished(50);
    }
    m_lastError = QStringLiteral("postgres did not get ready");
    QFile log(m_dir->filePath(QStringLiteral("postgres.log")));
    if (log.open(QIODevice::ReadOnly))
        m_lastError += QStringLiteral("\n") + QString::fromLocal8Bit(log.readAll().right(2000));
    killPostmaster();
    return false;
}

void PostgresServer::killPostmaster()
{
    if (m_postmaster && m_postmaster->state() != QProcess::NotRunning) {
        ::kill(-pid_t(m_postmaster->processId()), SIGKILL); // its whole group
        m_postmaster->waitForFinished(10000);
    }
    m_postmaster.reset();
    if (m_watchdog) {
        m_watchdog->write("done\n");
        m_watchdog->closeWriteChannel();
        if (!m_watchdog->waitForFinished(5000)) {
            m_watchdog->kill();
            m_watchdog->waitForFinished(5000);
        }
        m_watchdog.reset();
    }
}

void PostgresServer::stop()
{
    if (!m_running)
        return;
    m_running = false;
    // Fast shutdown (SIGINT, as pg_ctl -m fast): connections are cut, the postmaster
    // waits for its children and exits; SIGKILL when it is not gone in 30 s.
    if (m_postmaster && m_postmaster->state() != QProcess::NotRunning) {
        ::kill(pid_t(m_postmaster->processId()), SIGINT);
        m_postmaster->waitForFinished(30000);
    }
    killPostmaster();
}

QString PostgresServer::query(const QString &sql, const QString &database)
{
    QByteArray out;
    if (!m_running ||
        run(QStringLiteral("psql"),
            {QStringLiteral("-X"), QStringLiteral("-A"), QStringLiteral("-t"), QStringLiteral("-h"),
             socketDir(), QStringLiteral("-p"), QString::number(m_port), QStringLiteral("-U"),
             kRole, QStringLiteral("-d"), database.isEmpty() ? kRole : database,
             QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-c"), sql},
            30000, &out) != 0)
        return {};
    return QString::fromUtf8(out).trimmed();
}

} // namespace softphone::test
