// The tray agent keeps working when the services around it change, every part
// real (see TrayTestSupport.h): the push service forgets the device (new uaid,
// new endpoint) and the agent registers the new endpoint; the services die and
// come back on the same ports and the agent reconnects by itself. After each,
// a call reaches the agent's user.
#include "support/TrayTestSupport.h"

using namespace traytest;

class TstTrayResilience : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { requireBinaries(); }

    // The push service forgets the device (its data is gone: a new uaid): the
    // agent subscribes again, registers the NEW endpoint with the calling
    // service, and the next call reaches bob.
    void endpointChangeIsRegisteredAgain()
    {
        BobOnline bob;
        QVERIFY2(bob.start(), qPrintable(bob.problem));
        const QString before = registeredEndpoint(bob.server, QStringLiteral("bob"));
        QVERIFY(!before.isEmpty());
        QCOMPARE(agentEndpoint(bob.tray.home()), before);

        bob.server.kill();
        for (const QString &file : {QStringLiteral("push.db"), QStringLiteral("push.db-wal"),
                                    QStringLiteral("push.db-shm")})
            QFile::remove(QDir(bob.server.dataDir()).filePath(file));
        QVERIFY2(bob.server.restart(), qPrintable(bob.server.lastError()));

        // (Between the new uaid and the new subscription the agent holds none.)
        QString after;
        QTRY_VERIFY2_WITH_TIMEOUT((after = agentEndpoint(bob.tray.home()), !after.isEmpty()) &&
                                      after != before,
                                  "the agent never subscribed again", 90000);
        QTRY_COMPARE_WITH_TIMEOUT(registeredEndpoint(bob.server, QStringLiteral("bob")), after,
                                  60000);

        const QString rang = aliceRingsBobThroughPush(bob.server);
        QVERIFY2(rang.isEmpty(), qPrintable(rang));
    }

    // The push service and the calling service die (SIGKILL) and come back on
    // the same ports with their data: the agent reconnects by itself and the
    // next call reaches bob.
    void agentSurvivesAServiceRestart()
    {
        BobOnline bob;
        QVERIFY2(bob.start(), qPrintable(bob.problem));
        const QString endpoint = agentEndpoint(bob.tray.home());

        bob.server.kill();
        QVERIFY2(bob.tray.waitForState(QStringLiteral("offline"), 60000),
                 qPrintable(QJsonDocument(bob.tray.lastState).toJson()));
        QVERIFY2(bob.server.restart(), qPrintable(bob.server.lastError()));
        QVERIFY2(bob.tray.waitForState(QStringLiteral("online"), 90000),
                 qPrintable(QJsonDocument(bob.tray.lastState).toJson()));
        QCOMPARE(agentEndpoint(bob.tray.home()), endpoint); // resumed, not resubscribed

        const QString rang = aliceRingsBobThroughPush(bob.server);
        QVERIFY2(rang.isEmpty(), qPrintable(rang));
        QCOMPARE(bob.tray.process.state(), QProcess::Running);
    }
};

QTEST_GUILESS_MAIN(TstTrayResilience)
#include "tst_tray_resilience.moc"
