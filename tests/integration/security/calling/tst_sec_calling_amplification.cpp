// Issue #11 item 8, attacked on a real softphone-server: a user registers push
// data for ever more devices so that every call to them costs a signature per
// device, and one user floods `call` from several connections at once. See
// docs/security.md "Calling service"; the latency figures are bench_amplification.
#include "AttackSetup.h"
#include "protocol/Builders.h"
#include "protocol/Limits.h"

#include <QJsonArray>
#include <QTest>
#include <memory>

using namespace softphone;
using namespace softphone::test;

class TestSecurityCallingAmplification : public CallingAttack
{
    Q_OBJECT

private Q_SLOTS:
    void init() { QVERIFY(startServer()); }

    void cleanup() { m_server.reset(); }

    // bob registers one device more than the cap, one after the other: a call
    // to him gets pairs for the newest kMaxPushRegistrationsPerUser only, and
    // the first device's registration is gone.
    void pushRegistrationsPerUserAreCapped()
    {
        const int devices = protocol::kMaxPushRegistrationsPerUser + 1;
        for (int i = 0; i < devices; ++i) {
            const QString device = QStringLiteral("agent%1").arg(i, 2, 10, QLatin1Char('0'));
            auto agent = signIn(QStringLiteral("bob"), device, {false, false, true});
            QVERIFY(agent);
            agent->send(protocol::makePushRegister("push data of " + device.toLatin1(),
                                                   QStringLiteral("reg")));
            QCOMPARE(agent->waitFor(QStringLiteral("ok")).value(u"re").toString(),
                     QStringLiteral("reg"));
        }
        auto alice = signIn(QStringLiteral("alice"), QStringLiteral("laptop"));
        QVERIFY(alice);
        const QString callId = newCallId();
        alice->send(protocol::makeCall(callId, QStringLiteral("bob")));
        const QJsonObject push = alice->waitFor(QStringLiteral("push"));
        QCOMPARE(push.value(u"callId").toString(), callId);
        const QJsonArray pairs = push.value(u"pairs").toArray();
        QStringList pushed;
        for (const QJsonValue &pair : pairs)
            pushed << pair.toObject().value(u"device").toString();
        QCOMPARE(pushed.size(), protocol::kMaxPushRegistrationsPerUser);
        QVERIFY2(!pushed.contains(QStringLiteral("agent00")), qPrintable(pushed.join(u' ')));
        QVERIFY(pushed.contains(QStringLiteral("agent%1").arg(devices - 1)));
    }

    // alice calls from two devices as fast as she can (bob has no device, so
    // each call ends at once and no connection nears its own limits): past the
    // per-user burst the calls are refused with rate_limited, while carol,
    // calling at the same moment, is not affected.
    void callsPerUserAreLimited()
    {
        auto laptop = signIn(QStringLiteral("alice"), QStringLiteral("laptop"));
        auto phone = signIn(QStringLiteral("alice"), QStringLiteral("phone"));
        auto carol = signIn(QStringLiteral("carol"), QStringLiteral("desk"));
        QVERIFY(laptop && phone && carol);
        const int perDevice = protocol::kCallsPerUserBurst; // together twice the burst
        for (int i = 0; i < perDevice; ++i) {
            laptop->send(protocol::makeCall(newCallId(), QStringLiteral("bob")));
            phone->send(protocol::makeCall(newCallId(), QStringLiteral("bob")));
        }
        const QString carolsCall = newCallId();
        carol->send(protocol::makeCall(carolsCall, QStringLiteral("echo"), {}, false, carolsCall));

        int accepted = 0, limited = 0;
        for (RawCallingClient *device : {laptop.get(), phone.get()}) {
            for (int i = 0; i < perDevice; ++i) {
                // Each call gets either ok (then ended/no_device) or one error.
                QDeadlineTimer deadline(10000);
                while (!device->hasReceived(QStringLiteral("ok")) &&
                       !device->hasReceived(QStringLiteral("error")) && !deadline.hasExpired())
                    QTest::qWait(10);
                if (device->hasReceived(QStringLiteral("ok"))) {
                    device->waitFor(QStringLiteral("ok"), 0);
                    ++accepted;
                } else if (device->hasReceived(QStringLiteral("error"))) {
                    const QJsonObject error = device->waitFor(QStringLiteral("error"), 0);
                    QCOMPARE(error.value(u"code").toString(), QStringLiteral("rate_limited"));
                    QVERIFY(error.value(u"message").toString().contains(u"calls per second"));
                    ++limited;
                }
            }
        }
        qInfo("alice: %d calls accepted, %d refused", accepted, limited);
        QCOMPARE(accepted + limited, 2 * perDevice);
        QVERIFY2(limited > 0, "no call of the flood was refused");
        // The burst plus what refilled while the flood was handled (seconds at most).
        QVERIFY(accepted < 2 * perDevice);
        QVERIFY(laptop->isOpen() && phone->isOpen());
        QCOMPARE(carol->waitFor(QStringLiteral("established")).value(u"callId").toString(),
                 carolsCall);
    }
};

QTEST_MAIN(TestSecurityCallingAmplification)
#include "tst_sec_calling_amplification.moc"
