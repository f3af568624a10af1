// One Call's state machine as both parties see it, against a real
// softphone-server on loopback: ring, answer, hang up; and the commands that
// the state forbids change nothing.

#include "SignedInClient.h"

#include <QPointer>
#include <QSignalSpy>
#include <QTest>
#include <memory>

using namespace softphone::client;
using namespace softphone::test;

namespace {

QList<CallState> states(const QSignalSpy &spy)
{
    QList<CallState> list;
    for (const auto &args : spy)
        list << args.first().value<CallState>();
    return list;
}

} // namespace

class TestCall : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ServerProcess> m_server;

private slots:
    void initTestCase()
    {
        m_server = std::make_unique<ServerProcess>();
        QVERIFY2(startWithUsers(*m_server, {QStringLiteral("alice"), QStringLiteral("bob")}),
                 qPrintable(m_server->lastError()));
    }

    void ringAnswerHangUp()
    {
        auto alice = signIn(*m_server, QStringLiteral("alice"));
        auto bob = signIn(*m_server, QStringLiteral("bob"));
        QVERIFY(alice && bob);
        QSignalSpy incoming(bob.get(), &SoftphoneClient::incomingCall);

        QPointer<Call> out = alice->callUser(QStringLiteral("bob"));
        QVERIFY(out);
        QCOMPARE(out->state(), CallState::Initiating);
        QCOMPARE(out->direction(), CallDirection::Outgoing);
        QSignalSpy outStates(out.data(), &Call::stateChanged);

        // Ring: bob's call arrives, alice's progresses.
        QTRY_COMPARE(incoming.size(), 1);
        QPointer<Call> in = incoming.first().first().value<Call *>();
        QVERIFY(in);
        QCOMPARE(in->id(), out->id());
        QCOMPARE(in->direction(), CallDirection::Incoming);
        QCOMPARE(in->remoteUserId(), QStringLiteral("alice"));
        QCOMPARE(in->state(), CallState::Initiating);
        QTRY_COMPARE(out->state(), CallState::Progressing);
        QSignalSpy inStates(in.data(), &Call::stateChanged);

        // Answer: both established, with the call's voice session in place.
        in->answer();
        QTRY_COMPARE(in->state(), CallState::Established);
        QTRY_COMPARE(out->state(), CallState::Established);
        QVERIFY(in->media());
        QVERIFY(out->media());
        in->answer(); // a second answer changes nothing
        QTest::qWait(200);
        QCOMPARE(in->state(), CallState::Established);

        // Hang up: both ended, with the cause each side sees.
        out->hangup();
        QTRY_COMPARE(out->state(), CallState::Ended);
        QTRY_COMPARE(in->state(), CallState::Ended);
        QCOMPARE(out->details().endCause, EndCause::HungUp);
        QCOMPARE(in->details().endCause, EndCause::HungUp);
        QVERIFY(!out->media());
        QCOMPARE(states(outStates), (QList<CallState>{CallState::Progressing,
                                                      CallState::Established, CallState::Ended}));
        QCOMPARE(states(inStates), (QList<CallState>{CallState::Established, CallState::Ended}));
        QVERIFY(alice->activeCalls().isEmpty());
        QVERIFY(bob->activeCalls().isEmpty());

        // An ended call takes no more commands.
        out->hangup();
        in->answer();
        QTest::qWait(200);
        QCOMPARE(outStates.size(), 3);
        QCOMPARE(inStates.size(), 2);
    }

    void declinedWhileRinging()
    {
        auto alice = signIn(*m_server, QStringLiteral("alice"));
        auto bob = signIn(*m_server, QStringLiteral("bob"));
        QVERIFY(alice && bob);
        QSignalSpy incoming(bob.get(), &SoftphoneClient::incomingCall);
        QPointer<Call> out = alice->callUser(QStringLiteral("bob"));
        QTRY_COMPARE(incoming.size(), 1);
        QPointer<Call> in = incoming.first().first().value<Call *>();
        QTRY_COMPARE(out->state(), CallState::Progressing);
        in->hangup(); // unanswered incoming: a decline
        QTRY_COMPARE(out->state(), CallState::Ended);
        QCOMPARE(out->details().endCause, EndCause::Denied);
        QTRY_COMPARE(in->state(), CallState::Ended);
        QCOMPARE(in->details().endCause, EndCause::Denied);
        QVERIFY(!out->details().establishedAt.isValid());
    }
};

QTEST_GUILESS_MAIN(TestCall)
#include "tst_call.moc"
