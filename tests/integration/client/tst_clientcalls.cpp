// SoftphoneClient against a real softphone-server on loopback: every way a call
// can end, as both parties see it, multi-device, and a server crash mid-call.

#include "client/CallVoice.h"
#include "client/SoftphoneClient.h"
#include "support/ServerProcess.h"

#include <QPointer>
#include <QSignalSpy>
#include <QTest>
#include <memory>

using namespace softphone::client;
using softphone::test::ServerProcess;

namespace {

QString passwordOf(const QString &user)
{
    return user + QStringLiteral("-correct-horse-battery");
}

// One signed-in device: the client plus every incoming call it was handed.
struct Device
{
    std::unique_ptr<SoftphoneClient> client;
    QList<QPointer<Call>> incoming;

    Call *lastIncoming() const { return incoming.isEmpty() ? nullptr : incoming.last().data(); }
};

using DevicePtr = std::unique_ptr<Device>;

DevicePtr signIn(ServerProcess &server, const QString &user, const QString &device,
                 QString *problem)
{
    const QString token = server.login(user, passwordOf(user), device);
    if (token.isEmpty()) {
        *problem = QStringLiteral("login of %1 failed").arg(user);
        return nullptr;
    }
    auto result = std::make_unique<Device>();
    ClientConfig config;
    config.serviceUrl = server.callingUrl();
    config.userId = user;
    config.deviceId = device;
    result->client = std::make_unique<SoftphoneClient>(config);
    result->client->setCallMedia(softphone::client::CallVoice::create);
    Device *raw = result.get();
    QObject::connect(raw->client.get(), &SoftphoneClient::incomingCall, raw->client.get(),
                     [raw](Call *call) { raw->incoming << call; });
    raw->client->setAccessToken(token);
    if (!raw->client->start() ||
        !QTest::qWaitFor([raw] { return raw->client->isStarted(); }, 15000)) {
        *problem = QStringLiteral("%1 on %2 did not start").arg(user, device);
        return nullptr;
    }
    return result;
}

bool waitState(const QPointer<Call> &call, CallState state)
{
    return QTest::qWaitFor([&] { return call && call->state() == state; }, 15000);
}

} // namespace

class TestClientCalls : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ServerProcess> m_server;

    bool startServer(ServerProcess &server)
    {
        if (!server.start())
            return false;
        for (const char *user : {"alice", "bob", "carol"})
            if (!server.addUser(QLatin1StringView(user), passwordOf(QLatin1StringView(user))))
                return false;
        return true;
    }

private slots:
    void initTestCase()
    {
        m_server = std::make_unique<ServerProcess>();
        QVERIFY2(startServer(*m_server), qPrintable(m_server->lastError()));
    }

    void answeredThenHungUp()
    {
        QString problem;
        auto alice = signIn(*m_server, QStringLiteral("alice"), QStringLiteral("a1"), &problem);
        auto bob = signIn(*m_server, QStringLiteral("bob"), QStringLiteral("b1"), &problem);
        QVERIFY2(alice && bob, qPrintable(problem));

        softphone::protocol::Headers headers{{QStringLiteral("subject"), QStringLiteral("lunch")}};
        QPointer<Call> out = alice->client->callUser(QStringLiteral("bob"), headers);
        QSignalSpy outStates(out.data(), &Call::stateChanged);
        QTRY_VERIFY(bob->lastIncoming());
        QPointer<Call> in = bob->lastIncoming();
        QCOMPARE(in->remoteUserId(), QStringLiteral("alice"));
        QCOMPARE(in->id(), out->id());
        QCOMPARE(in->direction(), CallDirection::Incoming);
        QCOMPARE(in->headers().value(QStringLiteral("subject")), QStringLiteral("lunch"));
        QVERIFY(waitState(out, CallState::Progressing)); // bob's device rings

        in->answer();
        QVERIFY(waitState(out, CallState::Established));
        QVERIFY(waitState(in, CallState::Established));
        QVERIFY(out->details().progressedAt.isValid());
        QVERIFY(out->details().establishedAt.isValid());

        out->hangup();
        QVERIFY(waitState(out, CallState::Ended));
        QVERIFY(waitState(in, CallState::Ended));
        QCOMPARE(out->details().endCause, EndCause::HungUp);
        QCOMPARE(in->details().endCause, EndCause::HungUp);
        QVERIFY(!out->details().error);
        QVERIFY(out->details().durationMs >= 0);
        QVERIFY(out->details().endedAt >= out->details().establishedAt);
        // Progressing, Established, Ended: each exactly once, in order.
        QCOMPARE(outStates.size(), 3);
        QCOMPARE(outStates.at(0).first().value<CallState>(), CallState::Progressing);
        QCOMPARE(outStates.at(2).first().value<CallState>(), CallState::Ended);
        QVERIFY(alice->client->activeCalls().isEmpty());
        QVERIFY(bob->client->activeCalls().isEmpty());
    }

    void declined()
    {
        QString problem;
        auto alice = signIn(*m_server, QStringLiteral("alice"), QStringLiteral("a1"), &problem);
        auto bob = signIn(*m_server, QStringLiteral("bob"), QStringLiteral("b1"), &problem);
        QVERIFY2(alice && bob, qPrintable(problem));
        QPointer<Call> out = alice->client->callUser(QStringLiteral("bob"));
        QTRY_VERIFY(bob->lastIncoming());
        QPointer<Call> in = bob->lastIncoming();
        in->hangup(); // unanswered incoming: decline
        QVERIFY(waitState(out, CallState::Ended));
        QCOMPARE(out->details().endCause, EndCause::Denied);
        QVERIFY(waitState(in, CallState::Ended));
        QCOMPARE(in->details().endCause, EndCause::Denied);
        QVERIFY(!out->details().establishedAt.isValid());
    }

    void canceledByCaller()
    {
        QString problem;
        auto alice = signIn(*m_server, QStringLiteral("alice"), QStringLiteral("a1"), &problem);
        auto bob = signIn(*m_server, QStringLiteral("bob"), QStringLiteral("b1"), &problem);
        QVERIFY2(alice && bob, qPrintable(problem));
        QPointer<Call> out = alice->client->callUser(QStringLiteral("bob"));
        QTRY_VERIFY(bob->lastIncoming());
        QPointer<Call> in = bob->lastIncoming();
        QVERIFY(waitState(out, CallState::Progressing));
        out->hangup();
        QVERIFY(waitState(in, CallState::Ended));
        QCOMPARE(in->details().endCause, EndCause::Canceled);
        QVERIFY(waitState(out, CallState::Ended));
        QCOMPARE(out->details().endCause, EndCause::Canceled);
        // Answering a canceled call changes nothing.
        in->answer();
        QTest::qWait(200);
        QCOMPARE(in->state(), CallState::Ended);
        QCOMPARE(in->details().endCause, EndCause::Canceled);
    }

    void answeredOnAnotherDevice()
    {
        QString problem;
        auto alice = signIn(*m_server, QStringLiteral("alice"), QStringLiteral("a1"), &problem);
        auto bobDesk = signIn(*m_server, QStringLiteral("bob"), QStringLiteral("desk"), &problem);
        auto bobLaptop =
            signIn(*m_server, QStringLiteral("bob"), QStringLiteral("laptop"), &problem);
        QVERIFY2(alice && bobDesk && bobLaptop, qPrintable(problem));
        QPointer<Call> out = alice->client->callUser(QStringLiteral("bob"));
        QTRY_VERIFY(bobDesk->lastIncoming() && bobLaptop->lastIncoming());
        QPointer<Call> desk = bobDesk->lastIncoming();
        QPointer<Call> laptop = bobLaptop->lastIncoming();
        QCOMPARE(desk->id(), laptop->id());
        laptop->answer();
        QVERIFY(waitState(desk, CallState::Ended));
        QCOMPARE(desk->details().endCause, EndCause::OtherDeviceAnswered);
        QVERIFY(waitState(out, CallState::Established));
        QVERIFY(waitState(laptop, CallState::Established));
        laptop->hangup();
        QVERIFY(waitState(out, CallState::Ended));
        QCOMPARE(out->details().endCause, EndCause::HungUp);
        QVERIFY(waitState(laptop, CallState::Ended));
        QCOMPARE(laptop->details().endCause, EndCause::HungUp);
    }

    void unknownUser()
    {
        QString problem;
        auto alice = signIn(*m_server, QStringLiteral("alice"), QStringLiteral("a1"), &problem);
        QVERIFY2(alice, qPrintable(problem));
        QPointer<Call> out = alice->client->callUser(QStringLiteral("nobody-here"));
        QVERIFY(waitState(out, CallState::Ended));
        QCOMPARE(out->details().endCause, EndCause::Failure);
        QVERIFY(out->details().error);
        QCOMPARE(out->details().error->code, QStringLiteral("unknown_user"));
        // The connection is unharmed: the next call works.
        QCOMPARE(alice->client->connectionState(), SoftphoneClient::ConnectionState::Connected);
    }

    void callingYourselfOnAnotherDevice()
    {
        QString problem;
        auto phone = signIn(*m_server, QStringLiteral("carol"), QStringLiteral("phone"), &problem);
        auto desk = signIn(*m_server, QStringLiteral("carol"), QStringLiteral("desk"), &problem);
        QVERIFY2(phone && desk, qPrintable(problem));
        QPointer<Call> out = phone->client->callUser(QStringLiteral("carol"));
        QTRY_VERIFY(desk->lastIncoming());
        QPointer<Call> in = desk->lastIncoming();
        QCOMPARE(in->remoteUserId(), QStringLiteral("carol"));
        in->answer();
        QVERIFY(waitState(out, CallState::Established));
        QVERIFY(waitState(in, CallState::Established));
        // The calling device itself never rang.
        QVERIFY(phone->incoming.isEmpty());
        in->hangup();
        QVERIFY(waitState(out, CallState::Ended));
        QCOMPARE(out->details().endCause, EndCause::HungUp);
    }

    void noAnswer()
    {
        ServerProcess server({QStringLiteral("--ring-timeout"), QStringLiteral("2")});
        QVERIFY2(startServer(server), qPrintable(server.lastError()));
        QString problem;
        auto alice = signIn(server, QStringLiteral("alice"), QStringLiteral("a1"), &problem);
        auto bob = signIn(server, QStringLiteral("bob"), QStringLiteral("b1"), &problem);
        QVERIFY2(alice && bob, qPrintable(problem));
        QPointer<Call> out = alice->client->callUser(QStringLiteral("bob"));
        QTRY_VERIFY(bob->lastIncoming());
        QPointer<Call> in = bob->lastIncoming();
        QVERIFY(waitState(out, CallState::Ended));
        QCOMPARE(out->details().endCause, EndCause::NoAnswer);
        QVERIFY(waitState(in, CallState::Ended));
        QCOMPARE(in->details().endCause, EndCause::NoAnswer);
    }

    void serverKilledMidCall()
    {
        ServerProcess server;
        QVERIFY2(startServer(server), qPrintable(server.lastError()));
        QString problem;
        auto alice = signIn(server, QStringLiteral("alice"), QStringLiteral("a1"), &problem);
        auto bob = signIn(server, QStringLiteral("bob"), QStringLiteral("b1"), &problem);
        QVERIFY2(alice && bob, qPrintable(problem));
        QPointer<Call> out = alice->client->callUser(QStringLiteral("bob"));
        QTRY_VERIFY(bob->lastIncoming());
        QPointer<Call> in = bob->lastIncoming();
        in->answer();
        QVERIFY(waitState(out, CallState::Established));
        QVERIFY(waitState(in, CallState::Established));

        server.kill();
        QVERIFY(waitState(out, CallState::Ended));
        QVERIFY(waitState(in, CallState::Ended));
        for (const QPointer<Call> &call : {out, in}) {
            QCOMPARE(call->details().endCause, EndCause::Failure);
            QCOMPARE(call->details().error->domain, QStringLiteral("network"));
        }
        QTRY_COMPARE(alice->client->connectionState(),
                     SoftphoneClient::ConnectionState::Reconnecting);

        QVERIFY2(server.restart(), qPrintable(server.lastError()));
        // Backoff is at most a few seconds after one failed attempt.
        QTRY_COMPARE_WITH_TIMEOUT(alice->client->connectionState(),
                                  SoftphoneClient::ConnectionState::Connected, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(bob->client->connectionState(),
                                  SoftphoneClient::ConnectionState::Connected, 30000);

        const int before = bob->incoming.size();
        QPointer<Call> again = alice->client->callUser(QStringLiteral("bob"));
        QTRY_VERIFY(bob->incoming.size() > before);
        QPointer<Call> ringing = bob->lastIncoming();
        QCOMPARE(ringing->id(), again->id());
        ringing->answer();
        QVERIFY(waitState(again, CallState::Established));
        again->hangup();
        QVERIFY(waitState(ringing, CallState::Ended));
        QCOMPARE(ringing->details().endCause, EndCause::HungUp);
    }
};

QTEST_GUILESS_MAIN(TestClientCalls)
#include "tst_clientcalls.moc"
