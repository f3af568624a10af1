// Issue #11 item 11, attacked on a real softphone-server: one connection that
// holds call after call (150 echo calls stayed up on one connection), and the
// media relay that mixed the first caller's frames into a later call of the
// device that answered it. See docs/security.md "Calling service".
#include "AttackSetup.h"
#include "protocol/Builders.h"
#include "protocol/Limits.h"

#include <QTest>
#include <memory>

using namespace softphone;
using namespace softphone::test;

namespace {

// The error (or ok) that answers request `id`; empty if none came in time.
QJsonObject replyTo(RawCallingClient &client, const QString &id)
{
    QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired()) {
        for (const QString &type : {QStringLiteral("ok"), QStringLiteral("error")}) {
            if (client.hasReceived(type)) {
                const QJsonObject reply = client.waitFor(type, 0);
                if (reply.value(u"re").toString() == id)
                    return reply;
            }
        }
        QTest::qWait(10);
    }
    return {};
}

bool frameArrived(const RawCallingClient &client, const QByteArray &frame)
{
    return client.binaryFrames().contains(frame);
}

} // namespace

class TestSecurityCallingCalls : public CallingAttack
{
    Q_OBJECT
private:
    // `from` calls `to`, whose connection answers: the call is established on both.
    bool establish(RawCallingClient &from, RawCallingClient &to, const QString &user,
                   const QString &callId)
    {
        from.send(protocol::makeCall(callId, user, {}, false, callId));
        if (replyTo(from, callId).value(u"type").toString() != u"ok")
            return false;
        if (to.waitFor(QStringLiteral("incoming")).value(u"callId").toString() != callId)
            return false;
        to.send(protocol::makeAnswer(callId));
        return from.waitFor(QStringLiteral("established")).value(u"callId").toString() == callId &&
               to.waitFor(QStringLiteral("established")).value(u"callId").toString() == callId;
    }

private Q_SLOTS:
    void init() { QVERIFY(startServer()); }

    void cleanup() { m_server.reset(); }

    // Echo calls never end by themselves: the 5th on one connection is refused
    // with too_many_calls, a hangup frees a place, and other connections and
    // users call on as before.
    void callsPerConnectionAreCapped()
    {
        auto alice = signIn(QStringLiteral("alice"), QStringLiteral("laptop"));
        QVERIFY(alice);
        QStringList calls;
        for (int i = 0; i < protocol::kMaxCallsPerConnection; ++i) {
            calls << newCallId();
            alice->send(
                protocol::makeCall(calls.last(), QStringLiteral("echo"), {}, false, calls.last()));
            QCOMPARE(replyTo(*alice, calls.last()).value(u"type").toString(), QStringLiteral("ok"));
            QCOMPARE(alice->waitFor(QStringLiteral("established")).value(u"callId").toString(),
                     calls.last());
        }
        const QString extra = newCallId();
        alice->send(protocol::makeCall(extra, QStringLiteral("echo"), {}, false, extra));
        const QJsonObject refused = replyTo(*alice, extra);
        QCOMPARE(refused.value(u"type").toString(), QStringLiteral("error"));
        QCOMPARE(refused.value(u"code").toString(), QStringLiteral("too_many_calls"));
        QVERIFY(alice->isOpen());

        // Answering a 5th call is refused the same way; the call rings on.
        auto carol = signIn(QStringLiteral("carol"), QStringLiteral("desk"));
        QVERIFY(carol);
        const QString incoming = newCallId();
        carol->send(protocol::makeCall(incoming, QStringLiteral("alice"), {}, false, incoming));
        QCOMPARE(replyTo(*carol, incoming).value(u"type").toString(), QStringLiteral("ok"));
        QCOMPARE(alice->waitFor(QStringLiteral("incoming")).value(u"callId").toString(), incoming);
        alice->send(protocol::makeAnswer(incoming, QStringLiteral("answer")));
        QCOMPARE(replyTo(*alice, QStringLiteral("answer")).value(u"code").toString(),
                 QStringLiteral("too_many_calls"));
        QVERIFY(!carol->hasReceived(QStringLiteral("established")));

        // One hangup frees a place; then the refused answer goes through.
        alice->send(protocol::makeHangup(calls.first()));
        QCOMPARE(alice->waitFor(QStringLiteral("ended")).value(u"callId").toString(),
                 calls.first());
        alice->send(protocol::makeAnswer(incoming));
        QCOMPARE(carol->waitFor(QStringLiteral("established")).value(u"callId").toString(),
                 incoming);

        // Another device of the same user and another user are not affected.
        auto phone = signIn(QStringLiteral("alice"), QStringLiteral("phone"));
        auto bob = signIn(QStringLiteral("bob"), QStringLiteral("desk"));
        QVERIFY(phone && bob);
        for (RawCallingClient *other : {phone.get(), bob.get()}) {
            const QString callId = newCallId();
            other->send(protocol::makeCall(callId, QStringLiteral("echo"), {}, false, callId));
            QCOMPARE(replyTo(*other, callId).value(u"type").toString(), QStringLiteral("ok"));
            QCOMPARE(other->waitFor(QStringLiteral("established")).value(u"callId").toString(),
                     callId);
        }
    }

    // alice and bob talk; carol calls bob and bob answers her call too (bob's
    // media goes to the call established last). alice's frames must not reach
    // bob any more: before the fix they were mixed into bob's call with carol.
    void oldCallIsNotMixedIntoTheNewOne()
    {
        auto alice = signIn(QStringLiteral("alice"), QStringLiteral("laptop"));
        auto bob = signIn(QStringLiteral("bob"), QStringLiteral("desk"));
        auto carol = signIn(QStringLiteral("carol"), QStringLiteral("desk"));
        QVERIFY(alice && bob && carol);
        const QString first = newCallId();
        QVERIFY(establish(*alice, *bob, QStringLiteral("bob"), first));
        const QByteArray before = srtpLikeFrame("alice, first call, before carol");
        alice->sendBinary(before);
        QTRY_VERIFY_WITH_TIMEOUT(frameArrived(*bob, before), 5000);

        QVERIFY(establish(*carol, *bob, QStringLiteral("bob"), newCallId()));
        const QByteArray stale = srtpLikeFrame("alice, first call, after bob answered carol");
        alice->sendBinary(stale);
        QTest::qWait(300);
        const QByteArray fromCarol = srtpLikeFrame("carol, the call bob answered last");
        carol->sendBinary(fromCarol);
        QTRY_VERIFY_WITH_TIMEOUT(frameArrived(*bob, fromCarol), 5000);
        const QByteArray fromBob = srtpLikeFrame("bob to carol");
        bob->sendBinary(fromBob);
        QTRY_VERIFY_WITH_TIMEOUT(frameArrived(*carol, fromBob), 5000);
        QVERIFY2(!frameArrived(*bob, stale), "bob heard the first call inside the second one");
        QVERIFY(!frameArrived(*alice, fromBob));

        // A call that ended carries nothing either way.
        bob->send(protocol::makeHangup(first));
        QCOMPARE(alice->waitFor(QStringLiteral("ended")).value(u"callId").toString(), first);
        const QByteArray afterEnd = srtpLikeFrame("alice after the first call ended");
        alice->sendBinary(afterEnd);
        const QByteArray probe = srtpLikeFrame("carol again");
        QTest::qWait(300);
        carol->sendBinary(probe);
        QTRY_VERIFY_WITH_TIMEOUT(frameArrived(*bob, probe), 5000);
        QVERIFY(!frameArrived(*bob, afterEnd));
    }
};

QTEST_MAIN(TestSecurityCallingCalls)
#include "tst_sec_calling_calls.moc"
