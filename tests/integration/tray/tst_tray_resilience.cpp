// The tray agent keeps working when the services around it change, every part
// real (see TrayTestSupport.h): the push service forgets the device (new uaid,
// new endpoint) and the agent registers the new endpoint; the services die and
// come back on the same ports and the agent reconnects by itself. After each,
// a call reaches the agent's user.
#include "TrayTestSupport.h"

using namespace traytest;

class TstTrayResilience : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        const QString missing = missingBinaries();
        QVERIFY2(missing.isEmpty(), qPrintable(missing));
    }

    // The push service forgets the device (its data is gone: a new uaid): the
    // agent subscribes again, registers the NEW endpoint with the calling
    // service, and the next call reaches bob.
    void endpointChangeIsRegisteredAgain()
    {
        ServerProcess server;
        QTemporaryDir home;
        Tray tray(home);
        const QString problem = startWithBobOnline(server, tray);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        const QString before = registeredEndpoint(server, QStringLiteral("bob"));
        QVERIFY(!before.isEmpty());
        QCOMPARE(agentEndpoint(tray.home()), before);

        server.kill();
        for (const QString &file : {QStringLiteral("push.db"), QStringLiteral("push.db-wal"),
                                    QStringLiteral("push.db-shm")})
            QFile::remove(QDir(server.dataDir()).filePath(file));
        QVERIFY2(server.restart(), qPrintable(server.lastError()));

        // (Between the new uaid and the new subscription the agent holds none.)
        QString after;
        QTRY_VERIFY2_WITH_TIMEOUT((after = agentEndpoint(tray.home()), !after.isEmpty()) &&
                                      after != before,
                                  "the agent never subscribed again", 90000);
        QTRY_COMPARE_WITH_TIMEOUT(registeredEndpoint(server, QStringLiteral("bob")), after, 60000);

        const QString rang = aliceRingsBobThroughPush(server);
        QVERIFY2(rang.isEmpty(), qPrintable(rang));
    }

    // The push service and the calling service die (SIGKILL) and come back on
    // the same ports with their data: the agent reconnects by itself and the
    // next call reaches bob.
    void agentSurvivesAServiceRestart()
    {
        ServerProcess server;
        QTemporaryDir home;
        Tray tray(home);
        const QString problem = startWithBobOnline(server, tray);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        const QString endpoint = agentEndpoint(tray.home());

        server.kill();
        QVERIFY2(tray.waitForState(QStringLiteral("offline"), 60000),
                 qPrintable(QJsonDocument(tray.lastState).toJson()));
        QVERIFY2(server.restart(), qPrintable(server.lastError()));
        QVERIFY2(tray.waitForState(QStringLiteral("online"), 90000),
                 qPrintable(QJsonDocument(tray.lastState).toJson()));
        QCOMPARE(agentEndpoint(tray.home()), endpoint); // resumed, not resubscribed

        const QString rang = aliceRingsBobThroughPush(server);
        QVERIFY2(rang.isEmpty(), qPrintable(rang));
        QCOMPARE(tray.process.state(), QProcess::Running);
    }
};

QTEST_GUILESS_MAIN(TstTrayResilience)
#include "tst_tray_resilience.moc"
