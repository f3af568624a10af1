// PushChannel's connection against a real softphone-server push role on
// loopback: status() through start, a server restart (Waiting, then Connected
// again with backoff, pushes flow), and a silent server (SIGSTOP) found dead
// by the liveness rule, with pushes flowing again after SIGCONT.

#include "PushTestDevice.h"
#include "support/ServerProcess.h"

#include <QtTest>
#include <csignal>

using namespace softphone;
using namespace softphone::test;
using namespace std::chrono_literals;
using Status = push::PushChannel::Status;
using Outcome = push::WebPushResult::Outcome;

class TestPushChannel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QString why;
        if (!keychainReachable(&why))
            QFAIL(qPrintable(why));
    }

    void statusFollowsTheConnection()
    {
        ServerProcess server({QStringLiteral("--roles"), QStringLiteral("push")});
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        PushTestDevice device(server.pushWsUrl());
        QCOMPARE(device.channel().status(), Status::Stopped);
        QSignalSpy statuses(&device.channel(), &push::PushChannel::statusChanged);
        QVERIFY(device.startAndSubscribe());
        QCOMPARE(device.channel().status(), Status::Connected);
        QVERIFY(statuses.contains({QVariant::fromValue(Status::Connecting)}));

        statuses.clear();
        server.stop();
        QTRY_COMPARE(device.channel().status(), Status::Waiting);
        // Two seconds without a server (policy 200 ms x1.6, cap 2 s): a few attempts, no storm.
        QTest::qWait(2000);
        const auto attempts = std::count(statuses.cbegin(), statuses.cend(),
                                         QList<QVariant>{QVariant::fromValue(Status::Connecting)});
        QVERIFY2(attempts >= 1 && attempts <= 8, qPrintable(QString::number(attempts)));

        QVERIFY2(server.restart(), qPrintable(server.lastError()));
        QTRY_COMPARE_WITH_TIMEOUT(device.channel().status(), Status::Connected, 20000);
        QCOMPARE(sendPush(device.subscription(), "after restart", {600}).outcome,
                 Outcome::Delivered);
        QTRY_COMPARE(device.payloads(), QStringList{QStringLiteral("after restart")});

        device.channel().stop();
        QCOMPARE(device.channel().status(), Status::Stopped);
    }

    void silentServerIsFoundDead()
    {
        ServerProcess server({QStringLiteral("--roles"), QStringLiteral("push")});
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        PushTestDevice device(server.pushWsUrl());
        // The documented rule with short figures: ping every 250 ms, dead after
        // 3 s without any frame.
        device.channel().setKeepalive({250ms, 3000ms});
        QVERIFY(device.startAndSubscribe());
        QTest::qWait(4000);
        QCOMPARE(device.channel().status(), Status::Connected); // pongs keep it alive

        const pid_t pid = pid_t(server.pid());
        ::kill(pid, SIGSTOP);
        const bool foundDead =
            QTest::qWaitFor([&] { return device.channel().status() != Status::Connected; }, 15000);
        ::kill(pid, SIGCONT);
        QVERIFY(foundDead);
        QTRY_COMPARE_WITH_TIMEOUT(device.channel().status(), Status::Connected, 30000);
        QCOMPARE(sendPush(device.subscription(), "after the pause", {600}).outcome,
                 Outcome::Delivered);
        QTRY_COMPARE(device.payloads(), QStringList{QStringLiteral("after the pause")});
    }
};

QTEST_GUILESS_MAIN(TestPushChannel)
#include "tst_pushchannel.moc"
