// IceAgent without a network of its own (the namespace tests in
// tests/integration/rtp run real ICE): what the signaling hands it is checked,
// bounded, and refused with a reason; it runs only on its own thread.
#include "rtp/IceAgent.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>

using namespace softphone::rtp;

class TestIceAgent : public QObject
{
    Q_OBJECT

private slots:
    void credentialsAtOnce()
    {
        IceAgent agent(IceAgent::Role::Controlling, {});
        QString error;
        QVERIFY2(agent.start(&error), qPrintable(error));
        // RFC 8445: ufrag at least 4, password at least 22 characters.
        QVERIFY(agent.localCredentials().ufrag.size() >= 4);
        QVERIFY(agent.localCredentials().pwd.size() >= 22);
        QVERIFY(!agent.start(&error));
        QVERIFY(error.contains("already"));
        QVERIFY(!agent.sendDatagram("not connected"));
    }

    void remoteCandidatesCheckedAndBounded()
    {
        IceAgent::Settings settings;
        settings.maxRemoteCandidates = 3;
        IceAgent agent(IceAgent::Role::Controlled, settings);
        QVERIFY(agent.start());
        QString error;
        // Before the credentials: kept (bounded), whatever their generation.
        QVERIFY(agent.addRemoteCandidate("candidate:1 1 UDP 2015363327 10.9.0.1 40000 typ host",
                                         "abcd", &error));
        agent.setRemoteCredentials({"abcd", "0123456789012345678901"});
        QVERIFY(!agent.addRemoteCandidate("a=candidate:garbage", "abcd", &error));
        QVERIFY2(error.contains("does not parse"), qPrintable(error));
        QVERIFY(!agent.addRemoteCandidate("a=candidate:" + QString(600, 'x'), "abcd", &error));
        QVERIFY2(error.contains("too long"), qPrintable(error));
        QVERIFY(agent.addRemoteCandidate("a=candidate:2 1 UDP 2015363327 10.9.0.2 40000 typ host",
                                         "abcd", &error));
        QVERIFY(agent.addRemoteCandidate("a=candidate:3 1 UDP 2015363327 10.9.0.3 40000 typ host",
                                         "abcd", &error));
        QVERIFY(!agent.addRemoteCandidate("a=candidate:4 1 UDP 2015363327 10.9.0.4 40000 typ host",
                                          "abcd", &error));
        QVERIFY2(error.contains("more than 3"), qPrintable(error));
        // A later generation's candidates wait for its credentials, bounded too.
        for (int i = 0; i < 3; ++i)
            QVERIFY(agent.addRemoteCandidate(
                "a=candidate:5 1 UDP 2015363327 10.9.1.1 40000 typ host", "efgh", &error));
        QVERIFY(!agent.addRemoteCandidate("a=candidate:5 1 UDP 2015363327 10.9.1.1 40000 typ host",
                                          "efgh", &error));
        QVERIFY2(error.contains("unknown generation"), qPrintable(error));
    }

    void peerRestartIsFollowed()
    {
        IceAgent agent(IceAgent::Role::Controlled, {});
        QSignalSpy restarted(&agent, &IceAgent::restarted);
        QSignalSpy newCredentials(&agent, &IceAgent::localCredentialsChanged);
        QVERIFY(agent.start());
        const IceAgent::Credentials first = agent.localCredentials();
        agent.setRemoteCredentials({"abcd", "0123456789012345678901"});
        agent.setRemoteCredentials({"abcd", "0123456789012345678901"}); // the same: nothing
        QCOMPARE(restarted.size(), 0);
        agent.setRemoteCredentials({"wxyz", "9876543210987654321098"});
        QCOMPARE(restarted.size(), 1);
        QCOMPARE(newCredentials.size(), 1);
        QVERIFY(!(agent.localCredentials() == first));
        QCOMPARE(agent.generation(), 1);
    }

    void onlyOnItsOwnThread()
    {
        QThread other;
        IceAgent agent(IceAgent::Role::Controlling, {});
        agent.moveToThread(&other); // started from here, it would run on no loop of its own
        QString error;
        QVERIFY(!agent.start(&error));
        QVERIFY2(error.contains("thread"), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestIceAgent)
#include "tst_iceagent.moc"
