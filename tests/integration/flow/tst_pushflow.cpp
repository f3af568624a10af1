// The whole push flow with real parts: a caller's client gets push pairs for
// the callee's offline device, its glue posts them to the application server,
// which pushes through the push service to the device's PushChannel; the
// payload is relayed into a client that starts, claims the call and rings.

#include "FlowHarness.h"

#include <QSignalSpy>
#include <QTest>

using namespace softphone;
using namespace softphone::client;
using namespace softphone::test;

namespace {

ClientCapabilities pushedDevice()
{
    ClientCapabilities caps;
    caps.calling = true;
    caps.messaging = true;
    caps.push = true;
    return caps;
}

ClientCapabilities messaging()
{
    ClientCapabilities caps;
    caps.messaging = true;
    return caps;
}

// Waits until the call reaches `state`; the state itself is the assertion.
bool reaches(Call *call, CallState state, int timeoutMs = 15000)
{
    QElapsedTimer timer;
    timer.start();
    while (call && call->state() != state && timer.elapsed() < timeoutMs)
        QTest::qWait(20);
    return call && call->state() == state;
}

} // namespace

class TestPushFlow : public QObject
{
    Q_OBJECT

    std::unique_ptr<FlowHarness> m_flow;

    // Caller dials; returns the relayable payload that reached the device.
    QString dialAndWaitForPush(SoftphoneClient &caller, PushTestDevice &device, Call **call,
                               QList<PushPairOutcome> *outcomes = nullptr)
    {
        auto sender = m_flow->glue(&caller);
        QSignalSpy posted(sender.get(), &PushPairSender::posted);
        *call = caller.callUser(QStringLiteral("bob"));
        const QString payload = FlowHarness::waitForPayload(device, QStringLiteral("call"));
        if (outcomes && (!posted.isEmpty() || posted.wait(5000)))
            *outcomes = posted.first().at(1).value<QList<PushPairOutcome>>();
        return payload;
    }

private slots:
    void initTestCase()
    {
        QString why;
        QVERIFY2(keychainReachable(&why), qPrintable(why));
        m_flow = std::make_unique<FlowHarness>();
        QVERIFY2(m_flow->start({"alice", "bob", "carol"}, &why), qPrintable(why));
    }

    void offlineCalleeIsWokenAndAnswers()
    {
        auto device = m_flow->registerPushDevice("bob", "desk");
        QVERIFY(device);
        auto alice = m_flow->online("alice", "a1");
        QVERIFY(alice);

        Call *outgoing = nullptr;
        QList<PushPairOutcome> outcomes;
        const QString payload = dialAndWaitForPush(*alice, *device, &outgoing, &outcomes);
        QVERIFY2(!payload.isEmpty(), "no call push reached the offline device");
        QCOMPARE(outcomes.size(), 1);
        QCOMPARE(outcomes.first().device, QStringLiteral("desk"));
        QCOMPARE(outcomes.first().outcome, QStringLiteral("delivered"));

        auto bob = m_flow->dormant("bob", "desk", pushedDevice());
        QSignalSpy incoming(bob.get(), &SoftphoneClient::incomingCall);
        const NotificationResult result = bob->relayRemotePushNotificationPayload(payload);
        QVERIFY2(result.isValid(), qPrintable(result.error()));
        QVERIFY(result.isCall());
        QCOMPARE(result.callId(), outgoing->id());
        QCOMPARE(result.remoteUserId(), QStringLiteral("alice"));
        QVERIFY(!result.isTimedOut());
        QVERIFY(incoming.wait(15000));
        Call *ringing = incoming.first().first().value<Call *>();
        QCOMPARE(ringing->id(), outgoing->id());
        QVERIFY(reaches(outgoing, CallState::Progressing));
        ringing->answer();
        QVERIFY(reaches(outgoing, CallState::Established));
        QVERIFY(reaches(ringing, CallState::Established));
        outgoing->hangup();
        QVERIFY(reaches(ringing, CallState::Ended));
        QCOMPARE(ringing->details().endCause, EndCause::HungUp);
        QVERIFY(reaches(outgoing, CallState::Ended));
        QCOMPARE(outgoing->details().endCause, EndCause::HungUp);
    }

    void samePayloadTwiceIsOneCallAndAlteredIsInvalid()
    {
        auto device = m_flow->registerPushDevice("bob", "twice");
        QVERIFY(device);
        auto alice = m_flow->online("alice", "a2");
        QVERIFY(alice);
        Call *outgoing = nullptr;
        const QString payload = dialAndWaitForPush(*alice, *device, &outgoing);
        QVERIFY(!payload.isEmpty());

        auto bob = m_flow->dormant("bob", "twice", pushedDevice());
        QSignalSpy incoming(bob.get(), &SoftphoneClient::incomingCall);
        QString altered = payload;
        const int middle = int(payload.indexOf(QLatin1Char('.'))) + 5;
        altered[middle] = altered[middle] == QLatin1Char('x') ? QLatin1Char('y') : QLatin1Char('x');
        QVERIFY(!bob->relayRemotePushNotificationPayload(altered).isValid());
        QString badSignature = payload;
        const int inSignature = int(payload.lastIndexOf(QLatin1Char('.'))) + 10;
        badSignature[inSignature] =
            badSignature[inSignature] == QLatin1Char('A') ? QLatin1Char('B') : QLatin1Char('A');
        QVERIFY(!bob->relayRemotePushNotificationPayload(badSignature).isValid());
        QCOMPARE(bob->connectionState(), SoftphoneClient::ConnectionState::Disconnected);

        QVERIFY(bob->relayRemotePushNotificationPayload(payload).isValid());
        QVERIFY(bob->relayRemotePushNotificationPayload(payload).isValid());
        QVERIFY(incoming.wait(15000));
        Call *ringing = incoming.first().first().value<Call *>();
        ringing->answer();
        QVERIFY(reaches(outgoing, CallState::Established));
        QCOMPARE(incoming.size(), 1);
        // Once more while the call is up: still the same single call.
        QVERIFY(bob->relayRemotePushNotificationPayload(payload).isValid());
        outgoing->hangup();
        QVERIFY(reaches(ringing, CallState::Ended));
        QCOMPARE(incoming.size(), 1);
        QCOMPARE(bob->activeCalls().size(), 0);
    }

    void canceledBeforeRelayRingsNowhere()
    {
        auto device = m_flow->registerPushDevice("bob", "late");
        QVERIFY(device);
        auto alice = m_flow->online("alice", "a3");
        QVERIFY(alice);
        Call *outgoing = nullptr;
        const QString payload = dialAndWaitForPush(*alice, *device, &outgoing);
        QVERIFY(!payload.isEmpty());
        outgoing->hangup();
        QVERIFY(reaches(outgoing, CallState::Ended));
        QCOMPARE(outgoing->details().endCause, EndCause::Canceled);

        auto bob = m_flow->dormant("bob", "late", pushedDevice());
        QSignalSpy incoming(bob.get(), &SoftphoneClient::incomingCall);
        QSignalSpy ended(bob.get(), &SoftphoneClient::relayedCallEnded);
        const NotificationResult result = bob->relayRemotePushNotificationPayload(payload);
        QVERIFY(result.isValid());
        QVERIFY(ended.wait(15000));
        QCOMPARE(ended.first().at(0).toString(), outgoing->id());
        QCOMPARE(ended.first().at(1).value<EndCause>(), EndCause::Canceled);
        QCOMPARE(incoming.size(), 0);
    }

    void onlineAndPushedDevicesBothRing()
    {
        auto device = m_flow->registerPushDevice("bob", "laptop");
        QVERIFY(device);
        auto desk = m_flow->online("bob", "office");
        QVERIFY(desk);
        QSignalSpy deskIncoming(desk.get(), &SoftphoneClient::incomingCall);
        auto alice = m_flow->online("alice", "a4");
        QVERIFY(alice);
        Call *outgoing = nullptr;
        const QString payload = dialAndWaitForPush(*alice, *device, &outgoing);
        QVERIFY(!payload.isEmpty());
        QVERIFY(!deskIncoming.isEmpty() || deskIncoming.wait(10000));

        auto laptop = m_flow->dormant("bob", "laptop", pushedDevice());
        QSignalSpy laptopIncoming(laptop.get(), &SoftphoneClient::incomingCall);
        QVERIFY(laptop->relayRemotePushNotificationPayload(payload).isValid());
        QVERIFY(laptopIncoming.wait(15000));
        Call *pushed = laptopIncoming.first().first().value<Call *>();
        Call *direct = deskIncoming.first().first().value<Call *>();
        direct->answer();
        QVERIFY(reaches(outgoing, CallState::Established));
        QVERIFY(reaches(pushed, CallState::Ended));
        QCOMPARE(pushed->details().endCause, EndCause::OtherDeviceAnswered);
        outgoing->hangup();
        QVERIFY(reaches(direct, CallState::Ended));
    }

    void unregisteredDeviceGetsNoPush()
    {
        auto device = m_flow->registerPushDevice("carol", "gone");
        QVERIFY(device);
        ClientCapabilities caps;
        caps.calling = false;
        caps.push = true;
        auto carol = m_flow->online("carol", "gone", caps);
        QVERIFY(carol);
        QSignalSpy unregistered(carol->pushRegistration(), &PushRegistration::unregistered);
        QVERIFY(carol->unregisterPushNotificationData());
        QVERIFY(unregistered.wait(10000));
        carol->terminate();

        auto alice = m_flow->online("alice", "a5");
        QVERIFY(alice);
        QSignalSpy pairs(alice.get(), &SoftphoneClient::callShouldSendPushNotification);
        Call *outgoing = alice->callUser("carol");
        // carol has no device at all now: the call fails with no_device and no pair comes.
        QVERIFY(reaches(outgoing, CallState::Ended));
        QCOMPARE(outgoing->details().endCause, EndCause::Failure);
        QCOMPARE(pairs.size(), 0);
        QCOMPARE(device->received().size(), 0);
    }

    void messageToOfflineUserIsPushedAndDeliveredOnce()
    {
        auto device = m_flow->registerPushDevice("bob", "reader");
        QVERIFY(device);
        auto alice = m_flow->online("alice", "a6", messaging());
        QVERIFY(alice);
        auto sender = m_flow->glue(alice.get());
        QSignalSpy delivered(alice->messaging(), &Messaging::messageDelivered);
        const QString id = alice->messaging()->send({"bob"}, "are you there?");
        const QString payload = FlowHarness::waitForPayload(*device, QStringLiteral("message"));
        QVERIFY2(!payload.isEmpty(), "no message push reached the offline device");

        auto bob = m_flow->dormant("bob", "reader", pushedDevice());
        QSignalSpy incoming(bob->messaging(), &Messaging::incomingMessage);
        const NotificationResult result = bob->relayRemotePushNotificationPayload(payload);
        QVERIFY(result.isMessage());
        QCOMPARE(result.messageId(), id);
        QVERIFY(incoming.wait(15000));
        const auto message = incoming.first().first().value<InstantMessage>();
        QCOMPARE(message.id, id);
        QCOMPARE(message.text, QStringLiteral("are you there?"));
        QCOMPARE(message.from, QStringLiteral("alice"));
        QVERIFY(!delivered.isEmpty() || delivered.wait(10000));
        QCOMPARE(delivered.first().at(0).toString(), id);
        QVERIFY(bob->relayRemotePushNotificationPayload(payload).isValid());
        QTest::qWait(300); // a second delivery would be here by now
        QCOMPARE(incoming.size(), 1);
    }

    void messageWithoutPushDataWaitsForNextConnection()
    {
        auto alice = m_flow->online("alice", "a7", messaging());
        QVERIFY(alice);
        QSignalSpy sent(alice->messaging(), &Messaging::messageSent);
        QSignalSpy pairs(alice->messaging(), &Messaging::messageShouldSendPushNotification);
        const QString id = alice->messaging()->send({"carol"}, "see you later");
        QVERIFY(sent.wait(10000));
        auto carol = m_flow->dormant("carol", "phone", messaging());
        QSignalSpy incoming(carol->messaging(), &Messaging::incomingMessage);
        carol->start();
        QVERIFY(incoming.wait(15000));
        QCOMPARE(incoming.first().first().value<InstantMessage>().id, id);
        QCOMPARE(pairs.size(), 0);
    }

    void relayAfterRingTimeoutIsMissedCall()
    {
        FlowHarness shortRing({"--ring-timeout", "2"});
        QString why;
        QVERIFY2(shortRing.start({"alice", "bob"}, &why), qPrintable(why));
        auto device = shortRing.registerPushDevice("bob", "sleepy");
        QVERIFY(device);
        auto alice = shortRing.online("alice", "a8");
        QVERIFY(alice);
        auto sender = shortRing.glue(alice.get());
        Call *outgoing = alice->callUser("bob");
        const QString payload = FlowHarness::waitForPayload(*device, QStringLiteral("call"));
        QVERIFY(!payload.isEmpty());
        QVERIFY(reaches(outgoing, CallState::Ended));
        QCOMPARE(outgoing->details().endCause, EndCause::NoAnswer);
        // The payload's deadline is the ring deadline; wait until it is surely past.
        QTest::qWait(1200);

        auto bob = shortRing.dormant("bob", "sleepy", pushedDevice());
        const NotificationResult result = bob->relayRemotePushNotificationPayload(payload);
        QVERIFY(result.isValid());
        QVERIFY(result.isTimedOut());
        QCOMPARE(result.remoteUserId(), QStringLiteral("alice"));
        // A missed call: nothing connects, nothing rings.
        QCOMPARE(bob->connectionState(), SoftphoneClient::ConnectionState::Disconnected);
    }
};

QTEST_MAIN(TestPushFlow)
#include "tst_pushflow.moc"
