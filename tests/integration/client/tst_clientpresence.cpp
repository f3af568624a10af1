// SoftphoneClient::presence() against a real softphone-server on loopback: the
// watched contacts' statuses follow them signing in, setting do not disturb
// and leaving; after the server restarts, the subscription and this device's
// do not disturb are stated again without the app doing anything. The CLI's
// `presence` command watches and publishes the same way.

#include "SignedInClient.h"
#include "support/CliProcess.h"

#include <QSignalSpy>
#include <QTest>
#include <memory>

using namespace softphone::client;
using namespace softphone::test;
using softphone::protocol::PresenceStatus;
using State = SoftphoneClient::ConnectionState;

class TestClientPresence : public QObject
{
    Q_OBJECT

private:
    ServerProcess m_server;

private slots:
    void initTestCase()
    {
        QVERIFY2(startWithUsers(m_server, {QStringLiteral("alice"), QStringLiteral("bob"),
                                           QStringLiteral("carol")}),
                 qPrintable(m_server.lastError()));
    }

    void contactsComeAndGo()
    {
        auto alice = signIn(m_server, QStringLiteral("alice"));
        QVERIFY(alice);
        Presence *presence = alice->presence();
        QSignalSpy changed(presence, &Presence::statusChanged);
        QVERIFY(!presence->status(QStringLiteral("bob")));
        // Repeats and invalid ids are dropped.
        presence->subscribe({QStringLiteral("bob"), QStringLiteral("carol"), QStringLiteral("bob"),
                             QStringLiteral("not a user")});
        QCOMPARE(presence->users(), (QStringList{QStringLiteral("bob"), QStringLiteral("carol")}));
        QTRY_COMPARE(presence->status(QStringLiteral("bob")), PresenceStatus::Offline);
        QCOMPARE(presence->status(QStringLiteral("carol")), PresenceStatus::Offline);

        auto bob = signIn(m_server, QStringLiteral("bob"));
        QVERIFY(bob);
        QTRY_COMPARE(presence->status(QStringLiteral("bob")), PresenceStatus::Online);
        bob->presence()->setDoNotDisturb(true);
        QTRY_COMPARE(presence->status(QStringLiteral("bob")), PresenceStatus::DoNotDisturb);
        bob->presence()->setDoNotDisturb(false);
        QTRY_COMPARE(presence->status(QStringLiteral("bob")), PresenceStatus::Online);
        bob->terminate();
        QTRY_COMPARE(presence->status(QStringLiteral("bob")), PresenceStatus::Offline);
        QVERIFY(changed.size() >= 5);

        // A new list replaces the old: carol is no longer watched, her status unknown.
        presence->subscribe({QStringLiteral("bob")});
        QTRY_VERIFY(!presence->status(QStringLiteral("carol")));
        QCOMPARE(presence->status(QStringLiteral("bob")), PresenceStatus::Offline);
    }

    void cliWatchesAndPublishes()
    {
        const QUrl url = m_server.appServerUrl();
        CliProcess watcher(url, QStringLiteral("alice"), passwordOf(QStringLiteral("alice")),
                           {QStringLiteral("presence"), QStringLiteral("bob"),
                            QStringLiteral("--until"), QStringLiteral("bob=dnd")});
        QVERIFY2(watcher.waitForEvent(QStringLiteral("presence")),
                 qPrintable(watcher.transcript()));
        QCOMPARE(watcher.event(QStringLiteral("presence")).value(u"status").toString(),
                 QStringLiteral("offline"));
        // bob's CLI takes calls in do not disturb: alice's watcher sees it and exits.
        CliProcess bob(url, QStringLiteral("bob"), passwordOf(QStringLiteral("bob")),
                       {QStringLiteral("presence"), QStringLiteral("alice"),
                        QStringLiteral("--dnd"), QStringLiteral("--for"), QStringLiteral("30")});
        QVERIFY2(watcher.finished(30000), qPrintable(watcher.transcript()));
        QCOMPARE(watcher.exitCode(), 0);
        QCOMPARE(watcher.events(QStringLiteral("presence")).constLast().value(u"status").toString(),
                 QStringLiteral("dnd"));
    }

    void restatedAfterReconnect()
    {
        auto alice = signIn(m_server, QStringLiteral("alice"));
        auto bob = signIn(m_server, QStringLiteral("bob"));
        QVERIFY(alice && bob);
        alice->presence()->subscribe({QStringLiteral("bob")});
        bob->presence()->setDoNotDisturb(true);
        QTRY_COMPARE(alice->presence()->status(QStringLiteral("bob")),
                     PresenceStatus::DoNotDisturb);

        m_server.stop();
        QTRY_COMPARE(alice->connectionState(), State::Reconnecting);
        // Unknown while the connection is down.
        QVERIFY(!alice->presence()->status(QStringLiteral("bob")));
        QVERIFY2(m_server.restart(), qPrintable(m_server.lastError()));
        QTRY_COMPARE_WITH_TIMEOUT(alice->connectionState(), State::Connected, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(bob->connectionState(), State::Connected, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(alice->presence()->status(QStringLiteral("bob")),
                                  PresenceStatus::DoNotDisturb, 10000);
    }
};

QTEST_GUILESS_MAIN(TestClientPresence)
#include "tst_clientpresence.moc"
