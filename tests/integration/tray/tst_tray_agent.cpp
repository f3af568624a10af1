// The tray agent as a user meets it: the real softphone-tray executable with its
// own HOME and runtime dir, against a real softphone-server on loopback and the
// session's real keychain. State is read from its --report-state lines (the
// tooltip and icon it shows).
#include "support/TrayTestSupport.h"

using namespace traytest;

class TstTrayAgent : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(QFileInfo(qEnvironmentVariable("SOFTPHONE_TRAY_BIN")).isExecutable(),
                 "SOFTPHONE_TRAY_BIN not set");
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
        QVERIFY2(tray.waitForState(QStringLiteral("signed_out"), 30000),
                 qPrintable(QJsonDocument(tray.lastState).toJson()));
        const QJsonObject state = tray.lastState;
        QVERIFY(state.value(QStringLiteral("toolTip")).toString().contains("signed out"));
        QCOMPARE(state.value(QStringLiteral("icon")).toString(),
                 QStringLiteral("softphone-tray-offline"));
    }

    void withoutAKeychainItSaysSo()
    {
        // A saved account to continue, and no keychain to read its sign-in from:
        // the session bus (where the Secret Service would be) leads nowhere.
        QTemporaryDir home;
        Tray tray(home);
        QProcessEnvironment env = tray.process.processEnvironment();
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                   QStringLiteral("unix:path=") + home.filePath(QStringLiteral("no-bus")));
        tray.process.setProcessEnvironment(env);
        tray.start({QStringLiteral("--server"), QStringLiteral("http://127.0.0.1:9"),
                    QStringLiteral("--user"), QStringLiteral("alice")});
        QVERIFY2(tray.waitForState(QStringLiteral("signed_out"), 60000),
                 qPrintable(QJsonDocument(tray.lastState).toJson()));
        // The keychain's own reason, not the helper's (which did its work).
        const QString reason = tray.lastState.value(QStringLiteral("reason")).toString();
        QVERIFY2(reason.startsWith(QLatin1String("The keychain is not available: ")) &&
                     reason.size() > 32 && !reason.contains(QLatin1String("helper")),
                 qPrintable(reason));
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
        QVERIFY(tray.waitForState(QStringLiteral("signed_out"), 30000));
        const QJsonObject state = tray.lastState;
        QVERIFY2(state.value(QStringLiteral("reason")).toString().contains("password"),
                 qPrintable(QJsonDocument(state).toJson()));
    }
};

QTEST_GUILESS_MAIN(TstTrayAgent)
#include "tst_tray_agent.moc"
