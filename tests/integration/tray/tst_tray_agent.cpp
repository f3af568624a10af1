// The tray agent as a user meets it: the real softphone-tray executable with its
// own HOME and runtime dir, against a real softphone-server on loopback and the
// session's real keychain. State is read from its --report-state lines (the
// tooltip and icon it shows).
#include "ServerProcess.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using softphone::test::ServerProcess;

namespace {

QString trayBinary()
{
    return qEnvironmentVariable("SOFTPHONE_TRAY_BIN");
}

class Tray
{
public:
    explicit Tray(const QTemporaryDir &home)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), home.path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.path() + QStringLiteral("/config"));
        env.insert(QStringLiteral("XDG_DATA_HOME"), home.path() + QStringLiteral("/data"));
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), home.path() + QStringLiteral("/run"));
        QDir().mkpath(home.path() + QStringLiteral("/run"));
        QFile::setPermissions(home.path() + QStringLiteral("/run"), QFileDevice::ReadOwner |
                                                                        QFileDevice::WriteOwner |
                                                                        QFileDevice::ExeOwner);
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        process.setProcessEnvironment(env);
    }
    ~Tray()
    {
        if (process.state() != QProcess::NotRunning) {
            process.terminate();
            if (!process.waitForFinished(10000))
                process.kill();
            process.waitForFinished(5000);
        }
    }
    void start(const QStringList &args, const QByteArray &input = {})
    {
        process.start(trayBinary(), QStringList(args) << QStringLiteral("--report-state"));
        if (!input.isEmpty())
            process.write(input);
        process.closeWriteChannel();
    }
    // Waits for a state line with this state; the last line seen in *last.
    bool waitForState(const QString &state, int timeoutMs, QJsonObject *last = nullptr)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            while (process.canReadLine()) {
                const QJsonObject line =
                    QJsonDocument::fromJson(process.readLine().trimmed()).object();
                if (line.value(QStringLiteral("event")) != QLatin1String("state"))
                    continue;
                lastState = line;
                if (last)
                    *last = line;
                if (line.value(QStringLiteral("state")).toString() == state)
                    return true;
            }
            if (process.state() == QProcess::NotRunning)
                return false;
            process.waitForReadyRead(200);
        }
        return false;
    }
    QProcess process;
    QJsonObject lastState;
};

} // namespace

class TstTrayAgent : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(QFileInfo(trayBinary()).isExecutable(), "SOFTPHONE_TRAY_BIN not set");
    }

    void badArgumentsSayWhy()
    {
        QTemporaryDir home;
        Tray tray(home);
        tray.start({QStringLiteral("--server"), QStringLiteral("ftp://x"), QStringLiteral("--user"),
                    QStringLiteral("a")});
        QVERIFY(tray.process.waitForFinished(20000));
        QCOMPARE(tray.process.exitCode(), 2);
        QVERIFY(tray.process.readAllStandardError().contains("not an http(s) URL"));
    }

    void withoutCredentialItIsSignedOut()
    {
        QTemporaryDir home;
        Tray tray(home);
        tray.start({});
        QJsonObject state;
        QVERIFY2(tray.waitForState(QStringLiteral("signed_out"), 30000, &state),
                 qPrintable(QJsonDocument(tray.lastState).toJson()));
        QVERIFY(state.value(QStringLiteral("toolTip")).toString().contains("signed out"));
        QCOMPARE(state.value(QStringLiteral("icon")).toString(),
                 QStringLiteral("softphone-tray-offline"));
    }

    void onlyOneAgentPerUser()
    {
        QTemporaryDir home;
        Tray first(home);
        first.start({});
        QVERIFY(first.waitForState(QStringLiteral("signed_out"), 30000));
        Tray second(home);
        second.start({});
        QVERIFY(second.process.waitForFinished(20000));
        QCOMPARE(second.process.exitCode(), 0);
        QVERIFY(second.process.readAllStandardError().contains("already running"));
        QCOMPARE(first.process.state(), QProcess::Running);
    }

    void wrongPasswordIsSignedOutWithReason()
    {
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        QVERIFY(server.addUser(QStringLiteral("alice"), QStringLiteral("right-password")));
        QTemporaryDir home;
        Tray tray(home);
        tray.start({QStringLiteral("--server"), server.appServerUrl().toString(),
                    QStringLiteral("--user"), QStringLiteral("alice"),
                    QStringLiteral("--password-stdin")},
                   "wrong-password\n");
        QJsonObject state;
        QVERIFY(tray.waitForState(QStringLiteral("signed_out"), 30000, &state));
        QVERIFY2(state.value(QStringLiteral("reason")).toString().contains("password"),
                 qPrintable(QJsonDocument(state).toJson()));
    }
};

QTEST_GUILESS_MAIN(TstTrayAgent)
#include "tst_tray_agent.moc"
