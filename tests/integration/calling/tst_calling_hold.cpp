// Hold and resume, and blind and attended transfer, as the service routes them
// (docs/protocol.md "Hold and resume", "Blind transfer", "Attended transfer"), seen by raw clients:
// each party's hold reaches both parties as hold_state; the call talks again only when neither
// holds; bad requests get clear errors and change nothing; a resumed call takes the WebSocket relay
// back from a call answered meanwhile (call waiting).
#include "RawCallingClient.h"
#include "protocol/Builders.h"
#include "support/ServerProcess.h"

#include <QTest>
#include <memory>

using namespace softphone;
using namespace softphone::test;

class TestCallingHold : public QObject
{
    Q_OBJECT

private:
    ServerProcess m_server;

    std::unique_ptr<RawCallingClient> client(const QString &user, const QString &device)
    {
        return signedInAs(m_server, user, device);
    }

    // The next hold_state as (byYou, byPeer); (-1, -1) when none came.
    static std::pair<int, int> holdState(RawCallingClient &client, const QString &callId)
    {
        const QJsonObject state = client.waitFor(QStringLiteral("hold_state"));
        if (state.isEmpty() || state.value(u"callId").toString() != callId)
            return {-1, -1};
        return {state.value(u"byYou").toBool(), state.value(u"byPeer").toBool()};
    }

    // `by` sends hold (or resume) for the call; the next hold_state `peer` gets, as holdState().
    static std::pair<int, int> holdSeen(RawCallingClient &by, RawCallingClient &peer,
                                        const QString &callId, bool hold = true)
    {
        by.send(hold ? protocol::makeHold(callId) : protocol::makeResume(callId));
        return holdState(peer, callId);
    }

    // The re of the next `ok` that has one (the ok of a `call` sent without id has none).
    static QString okFor(RawCallingClient &client)
    {
        for (int i = 0; i < 4; ++i) {
            const QJsonObject ok = client.waitFor(QStringLiteral("ok"));
            if (ok.isEmpty() || ok.contains(u"re"))
                return ok.value(u"re").toString();
        }
        return {};
    }

    // A media frame's bytes are opaque to the service: any small payload does.
    static int framesWith(const RawCallingClient &client, const QByteArray &frame)
    {
        return int(client.binaryFrames().count(frame));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        for (const char *user : {"alice", "bob", "carol"})
            QVERIFY(m_server.addUser(QLatin1StringView(user), QStringLiteral("password-123")));
    }

    void holdReachesBothSides()
    {
        auto alice = client(QStringLiteral("alice"), QStringLiteral("laptop"));
        auto bob = client(QStringLiteral("bob"), QStringLiteral("desk"));
        QVERIFY(alice && bob);
        const QString callId = establishCall(*alice, *bob, QStringLiteral("bob"));
        QVERIFY(!callId.isEmpty());

        alice->send(protocol::makeHold(callId, QStringLiteral("h1")));
        QCOMPARE(okFor(*alice), QStringLiteral("h1"));
        QCOMPARE(holdState(*alice, callId), std::make_pair(1, 0));
        QCOMPARE(holdState(*bob, callId), std::make_pair(0, 1));

        // Holding twice changes nothing: ok, no second hold_state.
        alice->send(protocol::makeHold(callId, QStringLiteral("h2")));
        QCOMPARE(okFor(*alice), QStringLiteral("h2"));
        // Bob holds too: both hold. Alice's resume leaves it held by bob.
        bob->send(protocol::makeHold(callId));
        QCOMPARE(holdState(*bob, callId), std::make_pair(1, 1));
        QCOMPARE(holdState(*alice, callId), std::make_pair(1, 1));
        alice->send(protocol::makeResume(callId));
        QCOMPARE(holdState(*alice, callId), std::make_pair(0, 1));
        QCOMPARE(holdState(*bob, callId), std::make_pair(1, 0));
        // Only bob's resume ends the hold.
        bob->send(protocol::makeResume(callId));
        QCOMPARE(holdState(*bob, callId), std::make_pair(0, 0));
        QCOMPARE(holdState(*alice, callId), std::make_pair(0, 0));
        // A resume by a party that does not hold: ok, nothing new.
        alice->send(protocol::makeResume(callId, QStringLiteral("r9")));
        QCOMPARE(okFor(*alice), QStringLiteral("r9"));
        QTest::qWait(200);
        QVERIFY(!alice->hasReceived(QStringLiteral("hold_state")));
        QVERIFY(!bob->hasReceived(QStringLiteral("hold_state")));

        // A call ended while held ends as usual for both.
        QCOMPARE(holdSeen(*alice, *bob, callId), std::make_pair(0, 1));
        bob->send(protocol::makeHangup(callId));
        QCOMPARE(alice->endCause(callId), QStringLiteral("hung_up"));
        QCOMPARE(bob->endCause(callId), QStringLiteral("hung_up"));
    }

    void badHoldRequests()
    {
        auto alice = client(QStringLiteral("alice"), QStringLiteral("laptop"));
        auto bob = client(QStringLiteral("bob"), QStringLiteral("desk"));
        auto carol = client(QStringLiteral("carol"), QStringLiteral("desk"));
        QVERIFY(alice && bob && carol);

        // A call nobody placed.
        alice->send(protocol::makeHold(newCallId(), QStringLiteral("x1")));
        QCOMPARE(alice->errorCode(), QStringLiteral("not_found"));

        // Ringing: neither the caller nor the ringing device can hold it yet.
        const QString callId = newCallId();
        alice->send(protocol::makeCall(callId, QStringLiteral("bob")));
        QVERIFY(!bob->waitFor(QStringLiteral("incoming")).isEmpty());
        alice->send(protocol::makeHold(callId));
        QCOMPARE(alice->errorCode(), QStringLiteral("invalid_state"));
        bob->send(protocol::makeHold(callId));
        QCOMPARE(bob->errorCode(), QStringLiteral("invalid_state"));

        // Someone else's established call is not found for carol.
        bob->send(protocol::makeAnswer(callId));
        QVERIFY(!alice->waitFor(QStringLiteral("established")).isEmpty());
        carol->send(protocol::makeHold(callId));
        QCOMPARE(carol->errorCode(), QStringLiteral("not_found"));
        // A hold without a call id is a bad request.
        alice->sendText(QStringLiteral("{\"type\":\"hold\",\"id\":\"b\"}"));
        QCOMPARE(alice->errorCode(), QStringLiteral("bad_request"));
        QTest::qWait(200);
        QVERIFY(!alice->hasReceived(QStringLiteral("hold_state")));
        QVERIFY(!bob->hasReceived(QStringLiteral("hold_state")));
        alice->send(protocol::makeHangup(callId));
        QCOMPARE(bob->endCause(callId), QStringLiteral("hung_up"));
    }

    void resumedCallTakesTheRelayBack()
    {
        // Alice talks to bob, holds him, answers carol, then switches back.
        auto alice = client(QStringLiteral("alice"), QStringLiteral("laptop"));
        auto bob = client(QStringLiteral("bob"), QStringLiteral("desk"));
        auto carol = client(QStringLiteral("carol"), QStringLiteral("desk"));
        QVERIFY(alice && bob && carol);
        const QString withBob = establishCall(*bob, *alice, QStringLiteral("alice"));
        QVERIFY(!withBob.isEmpty());
        const QByteArray one = srtpLikeFrame("frame-one");
        alice->sendBinary(one);
        QTRY_COMPARE(framesWith(*bob, one), 1);

        QCOMPARE(holdSeen(*alice, *bob, withBob), std::make_pair(0, 1));
        const QString withCarol = establishCall(*carol, *alice, QStringLiteral("alice"));
        QVERIFY(!withCarol.isEmpty());
        const QByteArray two = srtpLikeFrame("frame-two");
        alice->sendBinary(two);
        QTRY_COMPARE(framesWith(*carol, two), 1);
        QCOMPARE(framesWith(*bob, two), 0);

        // Switch: carol on hold, bob resumed: alice's voice goes to bob again.
        QCOMPARE(holdSeen(*alice, *carol, withCarol), std::make_pair(0, 1));
        QCOMPARE(holdSeen(*alice, *bob, withBob, false), std::make_pair(0, 0));
        const QByteArray three = srtpLikeFrame("frame-three");
        alice->sendBinary(three);
        QTRY_COMPARE(framesWith(*bob, three), 1);
        QCOMPARE(framesWith(*carol, three), 0);
        bob->sendBinary(one);
        QTRY_COMPARE(framesWith(*alice, one), 1);

        alice->send(protocol::makeHangup(withBob));
        alice->send(protocol::makeHangup(withCarol));
        QCOMPARE(bob->endCause(withBob), QStringLiteral("hung_up"));
        QCOMPARE(carol->endCause(withCarol), QStringLiteral("hung_up"));
    }

    void transferGoesToTheOtherParty()
    {
        auto alice = client(QStringLiteral("alice"), QStringLiteral("laptop"));
        auto bob = client(QStringLiteral("bob"), QStringLiteral("desk"));
        QVERIFY(alice && bob);
        const QString callId = establishCall(*alice, *bob, QStringLiteral("bob"));
        QVERIFY(!callId.isEmpty());
        alice->send(
            protocol::makeTransfer(callId, QStringLiteral("nobody-here"), QStringLiteral("t0")));
        QCOMPARE(alice->errorCode(), QStringLiteral("unknown_user"));
        alice->send(protocol::makeTransfer(callId, QStringLiteral("carol"), QStringLiteral("t1")));
        QCOMPARE(okFor(*alice), QStringLiteral("t1"));
        const QJsonObject request = bob->waitFor(QStringLiteral("transfer_request"));
        QCOMPARE(request.value(u"callId").toString(), callId);
        QCOMPARE(request.value(u"to").toString(), QStringLiteral("carol"));
        QCOMPARE(request.value(u"by").toString(), QStringLiteral("alice"));
        QVERIFY(!alice->hasReceived(QStringLiteral("transfer_request")));
        // Nothing else changed: the call goes on until bob hangs up.
        bob->send(protocol::makeHangup(callId));
        QCOMPARE(alice->endCause(callId), QStringLiteral("hung_up"));
        // An ended call cannot be transferred; nor an echo call (nobody to send on).
        alice->send(protocol::makeTransfer(callId, QStringLiteral("carol")));
        QCOMPARE(alice->errorCode(), QStringLiteral("not_found"));
        const QString echoCall = newCallId();
        alice->send(protocol::makeCall(echoCall, QStringLiteral("echo")));
        QVERIFY(!alice->waitFor(QStringLiteral("established")).isEmpty());
        alice->send(protocol::makeTransfer(echoCall, QStringLiteral("carol")));
        QCOMPARE(alice->errorCode(), QStringLiteral("invalid_state"));
        alice->send(protocol::makeHangup(echoCall));
    }

    void attendedTransferReplacesAndReports()
    {
        // Alice talks with bob (held) and with carol: she sends bob to carol
        // in place of her own call with carol; bob reports how his call went.
        auto alice = client(QStringLiteral("alice"), QStringLiteral("laptop"));
        auto bob = client(QStringLiteral("bob"), QStringLiteral("desk"));
        auto carol = client(QStringLiteral("carol"), QStringLiteral("phone"));
        QVERIFY(alice && bob && carol);
        const QString withBob = establishCall(*alice, *bob, QStringLiteral("bob"));
        QVERIFY(!withBob.isEmpty());
        QCOMPARE(holdSeen(*alice, *bob, withBob), std::make_pair(0, 1));
        const QString withCarol = establishCall(*alice, *carol, QStringLiteral("carol"));
        QVERIFY(!withCarol.isEmpty());

        // `replaces` must be the sender's own call in progress with `to`.
        alice->send(protocol::makeTransfer(withBob, QStringLiteral("carol"), QStringLiteral("a1"),
                                           withBob));
        QCOMPARE(alice->errorCode(), QStringLiteral("invalid_state"));
        alice->send(protocol::makeTransfer(withBob, QStringLiteral("alice"), QStringLiteral("a2"),
                                           withCarol));
        QCOMPARE(alice->errorCode(), QStringLiteral("invalid_state"));
        alice->send(protocol::makeTransfer(withBob, QStringLiteral("carol"), QStringLiteral("a3"),
                                           newCallId()));
        QCOMPARE(alice->errorCode(), QStringLiteral("invalid_state"));
        // Nor can bob name alice's call with carol: it is not his.
        bob->send(protocol::makeTransfer(withBob, QStringLiteral("carol"), QStringLiteral("b1"),
                                         withCarol));
        QCOMPARE(bob->errorCode(), QStringLiteral("invalid_state"));
        QVERIFY(!bob->hasReceived(QStringLiteral("transfer_request")));
        QVERIFY(!alice->hasReceived(QStringLiteral("transfer_request")));

        alice->send(protocol::makeTransfer(withBob, QStringLiteral("carol"), QStringLiteral("a4"),
                                           withCarol));
        QCOMPARE(okFor(*alice), QStringLiteral("a4"));
        const QJsonObject request = bob->waitFor(QStringLiteral("transfer_request"));
        QCOMPARE(request.value(u"callId").toString(), withBob);
        QCOMPARE(request.value(u"to").toString(), QStringLiteral("carol"));
        QCOMPARE(request.value(u"by").toString(), QStringLiteral("alice"));
        QCOMPARE(request.value(u"replaces").toString(), withCarol);

        // Bob's report reaches alice on the transferred call, failure and success alike.
        bob->send(protocol::makeTransferReport(withBob, false, QStringLiteral("no_answer"),
                                               QStringLiteral("r1")));
        QCOMPARE(okFor(*bob), QStringLiteral("r1"));
        QJsonObject result = alice->waitFor(QStringLiteral("transfer_result"));
        QCOMPARE(result.value(u"callId").toString(), withBob);
        QCOMPARE(result.value(u"ok").toBool(true), false);
        QCOMPARE(result.value(u"cause").toString(), QStringLiteral("no_answer"));
        bob->send(protocol::makeTransferReport(withBob, true));
        result = alice->waitFor(QStringLiteral("transfer_result"));
        QCOMPARE(result.value(u"ok").toBool(), true);
        QVERIFY(!result.contains(u"cause"));
        QVERIFY(!bob->hasReceived(QStringLiteral("transfer_result")));
        // A malformed report is refused; a report on an ended call finds nothing.
        bob->send(QJsonObject{{"type", "transfer_report"}, {"id", "r2"}, {"callId", withBob}});
        QCOMPARE(bob->errorCode(), QStringLiteral("bad_request"));
        bob->send(protocol::makeHangup(withBob));
        QCOMPARE(alice->endCause(withBob), QStringLiteral("hung_up"));
        bob->send(protocol::makeTransferReport(withBob, true, {}, QStringLiteral("r3")));
        QCOMPARE(bob->errorCode(), QStringLiteral("not_found"));
        carol->send(protocol::makeHangup(withCarol));
        QCOMPARE(alice->endCause(withCarol), QStringLiteral("hung_up"));
    }

    void echoCallCanBeHeld()
    {
        auto alice = client(QStringLiteral("alice"), QStringLiteral("laptop"));
        QVERIFY(alice);
        const QString callId = newCallId();
        alice->send(protocol::makeCall(callId, QStringLiteral("echo")));
        QVERIFY(!alice->waitFor(QStringLiteral("established")).isEmpty());
        QCOMPARE(holdSeen(*alice, *alice, callId), std::make_pair(1, 0));
        QCOMPARE(holdSeen(*alice, *alice, callId, false), std::make_pair(0, 0));
        alice->send(protocol::makeHangup(callId));
        QCOMPARE(alice->endCause(callId), QStringLiteral("hung_up"));
    }
};

QTEST_GUILESS_MAIN(TestCallingHold)
#include "tst_calling_hold.moc"
