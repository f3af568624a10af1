// Issue #11 item 17, http:// to another machine: softphone, softphone-tray and
// softphone-cli sent the password and tokens to any http:// server. Now only
// loopback (127.0.0.0/8, ::1, "localhost") may be plain http://; any other
// host needs --allow-insecure, else the process says so and sends nothing.
//
// "Another machine" without leaving this one: loopbackAlias() (see there).
#include "support/LoopbackAlias.h"
#include "support/ServerProcess.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using softphone::test::loopbackAlias;
using softphone::test::ServerProcess;

namespace {

struct Run
{
    explicit Run(const QTemporaryDir &home)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), home.path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), home.filePath(QStringLiteral("run")));
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        QDir().mkpath(home.filePath(QStringLiteral("run")));
        QFile::setPermissions(home.filePath(QStringLiteral("run")),
                              QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        process.setProcessEnvironment(env);
    }
    ~Run()
    {
        if (process.state() != QProcess::NotRunning) {
            process.terminate();
            if (!process.waitForFinished(10000))
                process.kill();
            process.waitForFinished(5000);
        }
    }
    void start(const char *binVar, const QStringList &args, const QByteArray &password)
    {
        process.start(qEnvironmentVariable(binVar), args);
        process.write(password + '\n');
        process.closeWriteChannel();
    }
    // Waits for the process to end or for `marker` on stdout, whichever first.
    bool endsOrSays(const QByteArray &marker, int timeoutMs)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            out += process.readAllStandardOutput();
            if (out.contains(marker) || process.state() == QProcess::NotRunning)
                return true;
            process.waitForReadyRead(100);
        }
        return false;
    }
    QProcess process;
    QByteArray out;
};

} // namespace

class TstDesktopInsecureServer : public QObject
{
    Q_OBJECT

private:
    ServerProcess m_server;
    QString m_alias;

    QString insecureUrl() const
    {
        QUrl url = m_server.appServerUrl();
        url.setHost(m_alias);
        return url.toString();
    }
    static QStringList signInArgs(const QString &server)
    {
        return {QStringLiteral("--server"), server, QStringLiteral("--user"), QStringLiteral("bob"),
                QStringLiteral("--password-stdin")};
    }
    void expectRefusal(Run &run, const QByteArray &signedInMarker)
    {
        QVERIFY(run.endsOrSays(signedInMarker, 60000));
        QVERIFY2(!run.out.contains(signedInMarker), "signed in over http:// to another host");
        QVERIFY(run.process.state() == QProcess::NotRunning);
        const QByteArray err = run.process.readAllStandardError();
        QCOMPARE(run.process.exitCode(), 2);
        QVERIFY2(err.contains("refusing http://" + m_alias.toLatin1()) &&
                     err.contains("--allow-insecure"),
                 err.constData());
    }

private slots:
    void initTestCase()
    {
        m_alias = loopbackAlias();
        if (m_alias.isEmpty())
            QSKIP("no name other than localhost points at 127.0.0.1 in /etc/hosts");
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        QVERIFY(m_server.addUser(QStringLiteral("bob"), QStringLiteral("password-bob")));
    }

    // Each executable signs bob in at the alias; what it prints once signed in.
    void refusesWithoutTheOption_data()
    {
        QTest::addColumn<QByteArray>("binVar");
        QTest::addColumn<QString>("extra");
        QTest::addColumn<QByteArray>("signedIn");
        QTest::newRow("softphone-cli")
            << QByteArray("SOFTPHONE_CLI_BIN") << "listen" << QByteArray("\"signed_in\"");
        QTest::newRow("softphone-tray") << QByteArray("SOFTPHONE_TRAY_BIN") << "--report-state"
                                        << QByteArray("\"state\":\"online\"");
        QTest::newRow("softphone")
            << QByteArray("SOFTPHONE_BIN") << "--report-startup" << QByteArray("\"signedIn\":true");
    }

    void refusesWithoutTheOption()
    {
        QFETCH(QByteArray, binVar);
        QFETCH(QString, extra);
        QFETCH(QByteArray, signedIn);
        QTemporaryDir home;
        Run run(home);
        run.start(binVar.constData(), signInArgs(insecureUrl()) << extra, "password-bob");
        expectRefusal(run, signedIn);
    }

    void cliSignsInWithTheOption()
    {
        QTemporaryDir home;
        Run run(home);
        run.start("SOFTPHONE_CLI_BIN",
                  signInArgs(insecureUrl())
                      << QStringLiteral("--allow-insecure") << QStringLiteral("listen"),
                  "password-bob");
        QVERIFY(run.endsOrSays("\"signed_in\"", 60000));
        QVERIFY2(run.out.contains("\"signed_in\""), run.process.readAllStandardError().constData());
    }

    // Loopback stays plain http:// without the option (what every test uses).
    void loopbackNeedsNoOption()
    {
        QTemporaryDir home;
        Run run(home);
        run.start("SOFTPHONE_CLI_BIN",
                  signInArgs(m_server.appServerUrl().toString()) << QStringLiteral("listen"),
                  "password-bob");
        QVERIFY(run.endsOrSays("\"signed_in\"", 60000));
        QVERIFY(run.out.contains("\"signed_in\""));
    }
};

QTEST_GUILESS_MAIN(TstDesktopInsecureServer)
#include "tst_desktop_insecure_server.moc"
