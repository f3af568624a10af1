// SoftphoneClient's connection against a real softphone-server on loopback:
// a restarted server is found again (with backoff, not a storm) and the client
// is usable; a silent server (SIGSTOP) is found dead by the liveness rule and
// the client comes back after SIGCONT; push registration and messaging report
// through their own child objects.

#include "SignedInClient.h"

#include <QPointer>
#include <QSignalSpy>
#include <QTest>
#include <csignal>
#include <memory>

using namespace softphone::client;
using namespace softphone::test;
using namespace std::chrono_literals;
using State = SoftphoneClient::ConnectionState;

namespace {

// A call from `from` to `to` rings there: the client is usable.
bool callRings(SoftphoneClient &from, SoftphoneClient &to, const QString &toUser)
{
    QSignalSpy incoming(&to, &SoftphoneClient::incomingCall);
    QPointer<Call> call = from.callUser(toUser);
    const bool rang = QTest::qWaitFor([&] { return !incoming.isEmpty(); }, 15000);
    if (call)
        call->hangup();
    return rang;
}

// SIGCONT on every way out of the test, so a failure never leaves the server stopped.
struct Stopped
{
    explicit Stopped(qint64 pid)
        : pid(pid)
    {
        ::kill(pid_t(pid), SIGSTOP);
    }
    ~Stopped() { resume(); }
    void resume()
    {
        if (pid)
            ::kill(pid_t(pid), SIGCONT);
        pid = 0;
    }
    qint64 pid;
};

} // namespace

class TestSoftphoneClient : public QObject
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

    void reconnectsAfterServerRestart()
    {
        auto alice = signIn(*m_server, QStringLiteral("alice"));
        QVERIFY(alice);
        QSignalSpy started(alice.get(), &SoftphoneClient::started);
        QSignalSpy logs(alice.get(), &SoftphoneClient::logMessage);

        m_server->stop();
        QTRY_COMPARE(alice->connectionState(), State::Reconnecting);
        // Three seconds without a server: a few attempts, spaced by the backoff.
        QTest::qWait(3000);
        const auto attempts = std::count_if(logs.cbegin(), logs.cend(), [](const auto &args) {
            return args.at(1).toString().startsWith(QStringLiteral("connecting to"));
        });
        QVERIFY2(attempts >= 1 && attempts <= 5, qPrintable(QString::number(attempts)));

        QVERIFY2(m_server->restart(), qPrintable(m_server->lastError()));
        // The backoff is capped at 60 s; after 3 s of outage the next try is a few seconds away.
        QTRY_COMPARE_WITH_TIMEOUT(alice->connectionState(), State::Connected, 30000);
        QCOMPARE(started.size(), 0); // started() is not repeated on reconnect
        QVERIFY(alice->isStarted());

        auto bob = signIn(*m_server, QStringLiteral("bob"));
        QVERIFY(bob);
        QVERIFY(callRings(*alice, *bob, QStringLiteral("bob")));
    }

    void silentServerIsFoundDeadAndReconnected()
    {
        auto alice = signIn(*m_server, QStringLiteral("alice"));
        auto bob = signIn(*m_server, QStringLiteral("bob"));
        QVERIFY(alice && bob);
        // The documented rule: dead after `silence` without any frame; pings
        // every `ping` keep a live connection talking.
        alice->setKeepAliveIntervals(250ms, 3000ms);
        QTest::qWait(4000);
        QCOMPARE(alice->connectionState(), State::Connected); // pongs keep it alive

        Stopped stopped(m_server->pid());
        QTRY_COMPARE_WITH_TIMEOUT(alice->connectionState(), State::Reconnecting, 15000);
        stopped.resume();
        QTRY_COMPARE_WITH_TIMEOUT(alice->connectionState(), State::Connected, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(bob->connectionState(), State::Connected, 60000);
        QVERIFY(callRings(*bob, *alice, QStringLiteral("alice")));
    }

    void pushRegistrationReportsThroughItsChild()
    {
        ClientCapabilities caps;
        caps.push = true;
        auto alice = signIn(*m_server, QStringLiteral("alice"), QStringLiteral("desk"), caps);
        QVERIFY(alice);
        PushRegistration *registration = alice->pushRegistration();
        QSignalSpy registered(registration, &PushRegistration::registered);
        QSignalSpy unregistered(registration, &PushRegistration::unregistered);
        QSignalSpy failed(registration, &PushRegistration::registrationFailed);
        QVERIFY(alice->registerPushNotificationData("opaque push data of alice's desk"));
        QTRY_COMPARE(registered.size(), 1);
        QCOMPARE(alice->pushNotificationData(), QByteArray("opaque push data of alice's desk"));

        QVERIFY(!registration->registerData(QByteArray(1025, 'x')));
        QTRY_COMPARE(failed.size(), 1);

        QVERIFY(registration->unregisterData());
        QTRY_COMPARE(unregistered.size(), 1);
        QVERIFY(alice->pushNotificationData().isEmpty());
    }

    void messagingReportsThroughItsChild()
    {
        ClientCapabilities caps;
        caps.messaging = true;
        auto alice = signIn(*m_server, QStringLiteral("alice"), QStringLiteral("desk"), caps);
        auto bob = signIn(*m_server, QStringLiteral("bob"), QStringLiteral("desk"), caps);
        QVERIFY(alice && bob);
        QSignalSpy sent(alice->messaging(), &Messaging::messageSent);
        QSignalSpy delivered(alice->messaging(), &Messaging::messageDelivered);
        QSignalSpy incoming(bob->messaging(), &Messaging::incomingMessage);
        const QString id =
            alice->messaging()->send({QStringLiteral("bob")}, QStringLiteral("lunch at noon?"));
        QTRY_COMPARE(incoming.size(), 1);
        const auto message = incoming.first().first().value<InstantMessage>();
        QCOMPARE(message.id, id);
        QCOMPARE(message.from, QStringLiteral("alice"));
        QCOMPARE(message.text, QStringLiteral("lunch at noon?"));
        QTRY_COMPARE(delivered.size(), 1);
        QCOMPARE(delivered.first().first().toString(), id);

        QSignalSpy failed(alice->messaging(), &Messaging::messageFailed);
        alice->messaging()->send({QStringLiteral("not a user!")}, QStringLiteral("x"));
        QTRY_COMPARE(failed.size(), 1);
        QVERIFY(failed.first().at(1).toString().isEmpty()); // refused before sending
    }
};

QTEST_GUILESS_MAIN(TestSoftphoneClient)
#include "tst_softphoneclient.moc"
