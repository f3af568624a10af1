// The servers the test support starts die with their test: ctest kills a test
// at its timeout with SIGKILL (no destructor runs), and a PostgreSQL, Redis or
// softphone-server left behind holds its port and memory for the rest of the
// run. Each row starts one from a helper (this executable again, with
// SOFTPHONE_TEST_HELPER_SERVER set), SIGKILLs the helper, and checks that the
// server's port closes and its processes (postgres: its backends and workers
// too) are gone within a few seconds.

#include "support/PostgresServer.h"
#include "support/RedisServer.h"
#include "support/ServerProcess.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QScopeGuard>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QUrl>
#include <QUrlQuery>
#include <csignal>

using namespace softphone::test;

namespace {

const char *const kHelperVariable = "SOFTPHONE_TEST_HELPER_SERVER";

// The helper: starts the server, prints {"port", "pid", "folder"} and waits to be killed
// (at most two minutes).
int runHelper(const QByteArray &which)
{
    QJsonObject line;
    std::unique_ptr<PostgresServer> postgres;
    std::unique_ptr<RedisServer> redis;
    std::unique_ptr<ServerProcess> server;
    if (which == "postgresql") {
        postgres = std::make_unique<PostgresServer>();
        if (!postgres->start()) {
            qCritical().noquote() << postgres->lastError();
            return 1;
        }
        line = {{"port", QUrl(postgres->url()).port()},
                {"pid", postgres->pid()},
                {"folder", QUrlQuery(QUrl(postgres->socketUrl())).queryItemValue("host")}};
    } else if (which == "redis") {
        redis = std::make_unique<RedisServer>();
        if (!redis->start()) {
            qCritical().noquote() << redis->lastError();
            return 1;
        }
        line = {{"port", redis->port()}, {"pid", redis->pid()}};
    } else {
        server = std::make_unique<ServerProcess>();
        if (!server->start()) {
            qCritical().noquote() << server->lastError();
            return 1;
        }
        line = {{"port", server->appServerUrl().port()}, {"pid", server->pid()}};
    }
    QFile out;
    if (!out.open(stdout, QIODevice::WriteOnly))
        return 1;
    out.write(QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n');
    out.flush();
    for (int i = 0; i < 1200; ++i)
        QThread::msleep(100);
    return 2;
}

bool acceptsConnections(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    return socket.waitForConnected(500);
}

// /proc/<pid>/stat: the state (a zombie is gone, just not reaped) and the parent.
bool alive(qint64 pid, qint64 *parent = nullptr)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray text = stat.readAll();
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    if (parent)
        *parent = fields.value(1).toLongLong();
    return !fields.isEmpty() && fields.first() != "Z" && fields.first() != "X";
}

QList<qint64> childrenOf(qint64 pid)
{
    QList<qint64> children;
    for (const QString &entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        bool number = false;
        const qint64 candidate = entry.toLongLong(&number);
        qint64 parent = 0;
        if (number && alive(candidate, &parent) && parent == pid)
            children << candidate;
    }
    return children;
}

} // namespace

class TstTestServersDie : public QObject
{
    Q_OBJECT

private slots:
    void serverDiesWithItsTest_data()
    {
        QTest::addColumn<QString>("which");
        QTest::newRow("postgresql") << QStringLiteral("postgresql");
        QTest::newRow("redis") << QStringLiteral("redis");
        QTest::newRow("softphone-server") << QStringLiteral("softphone-server");
    }
    void serverDiesWithItsTest()
    {
        QFETCH(QString, which);
        if (which == u"postgresql" && !PostgresServer::available())
            QSKIP("postgresql-15 is not installed");
        if (which == u"redis" && !RedisServer::available())
            QSKIP("redis-server is not installed");
        // The helper's temporary folders (its destructors never run) inside one of ours;
        // PostgreSQL's, always under /tmp, by name.
        QTemporaryDir helperTemp;
        QVERIFY(helperTemp.isValid());
        QString postgresFolder;
        QList<qint64> serverProcesses; // killed at the end if the test failed
        const auto cleanUp = qScopeGuard([&] {
            for (qint64 pid : serverProcesses)
                if (alive(pid))
                    ::kill(pid_t(pid), SIGKILL);
            if (postgresFolder.startsWith(QStringLiteral("/tmp/softphone-pg-")))
                QDir(postgresFolder).removeRecursively();
        });
        QProcess helper;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QString::fromLatin1(kHelperVariable), which);
        env.insert(QStringLiteral("TMPDIR"), helperTemp.path());
        env.remove(QStringLiteral("SOFTPHONE_TEST_DATABASE")); // its softphone-server on SQLite
        helper.setProcessEnvironment(env);
        helper.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        helper.start(QCoreApplication::applicationFilePath(), {});
        QVERIFY(helper.waitForStarted(10000));
        QVERIFY2(QTest::qWaitFor(
                     [&] { return helper.canReadLine() || helper.state() == QProcess::NotRunning; },
                     90000),
                 "the helper did not start its server in time");
        const QJsonObject line = QJsonDocument::fromJson(helper.readLine()).object();
        const auto port = quint16(line.value(u"port").toInt());
        const qint64 pid = line.value(u"pid").toInteger();
        postgresFolder = line.value(u"folder").toString();
        QVERIFY2(port != 0 && pid != 0, "the helper's server did not start");
        QVERIFY(acceptsConnections(port));
        // postgres: its workers (checkpointer, background writer, ...) must go too.
        const QList<qint64> workers = childrenOf(pid);
        serverProcesses << pid << workers;
        if (which == u"postgresql")
            QVERIFY2(!workers.isEmpty(), "no postgres workers found");

        ::kill(pid_t(helper.processId()), SIGKILL);
        QVERIFY(helper.waitForFinished(10000));
        QTRY_VERIFY_WITH_TIMEOUT(!alive(pid), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(!acceptsConnections(port), 5000);
        for (qint64 worker : workers)
            QTRY_VERIFY2_WITH_TIMEOUT(!alive(worker), qPrintable(QString::number(worker)), 5000);
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (const QByteArray which = qgetenv(kHelperVariable); !which.isEmpty())
        return runHelper(which);
    TstTestServersDie test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_test_servers_die.moc"
