// PostgreSQL restarted under a steady trickle of logins, calls and pushes on a
// cluster of two nodes (one PostgreSQL, one Redis), as users and push senders
// notice it: every request ends in a success or a clear error (while
// PostgreSQL is down, logins get 503 storage_unavailable and new pushes 503
// storage, both with Retry-After; never 401 or 404), every push answered 201
// reaches its device exactly once, a call established before the restart goes
// on (media both ways, then its hang-up), and calls placed meanwhile between
// connected devices ring, are answered and end normally.
#include "integration/calling/RawCallingClient.h"
#include "integration/push/PushTestDevice.h"
#include "protocol/Builders.h"
#include "support/TestCluster.h"

#include <QtTest>
#include <memory>

using namespace softphone;
using namespace softphone::test;
using Outcome = push::WebPushResult::Outcome;

namespace {
const QString kPassword = QStringLiteral("pw-123456");
// The trickle: one login, one push and a frame each way on the long call per
// step, a short call every third step; PostgreSQL stops at kStopAt and is
// started again at kStartAt.
constexpr int kSteps = 36;
constexpr int kStopAt = 8;
constexpr int kStartAt = 22;
constexpr int kStepPauseMs = 150;
} // namespace

class TestClusterPgRestart : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void everyOutcomeIsSuccessOrAClearErrorAndNothingIsLost();

private:
    std::unique_ptr<RawCallingClient> device(int node, const QString &user, const QString &name);

    std::unique_ptr<TestCluster> m_cluster;
};

void TestClusterPgRestart::initTestCase()
{
    QString why;
    if (!keychainReachable(&why))
        QFAIL(qPrintable(why));
    m_cluster = std::make_unique<TestCluster>();
    // The push role on node 1 only (docs/operations.md "Several nodes").
    QVERIFY2(
        m_cluster->start(
            {QStringLiteral("appserver,calling,push"), QStringLiteral("appserver,calling")}, {}),
        qPrintable(m_cluster->lastError()));
    QVERIFY(m_cluster->addUsers({QStringLiteral("alice"), QStringLiteral("bob"),
                                 QStringLiteral("carol"), QStringLiteral("dave")},
                                kPassword));
}

void TestClusterPgRestart::cleanupTestCase()
{
    m_cluster.reset();
}

std::unique_ptr<RawCallingClient> TestClusterPgRestart::device(int node, const QString &user,
                                                               const QString &name)
{
    auto client = signedInAs(m_cluster->node(node), user, name);
    if (client && !m_cluster->located(user, name, node))
        return nullptr;
    return client;
}

void TestClusterPgRestart::everyOutcomeIsSuccessOrAClearErrorAndNothingIsLost()
{
    PushTestDevice pushed(m_cluster->node(1).pushWsUrl());
    QVERIFY(pushed.startAndSubscribe());
    // The long call crosses the nodes; the short calls too, the other way.
    auto alice = device(1, QStringLiteral("alice"), QStringLiteral("desk"));
    auto bob = device(2, QStringLiteral("bob"), QStringLiteral("desk"));
    auto carol = device(2, QStringLiteral("carol"), QStringLiteral("desk"));
    auto dave = device(1, QStringLiteral("dave"), QStringLiteral("desk"));
    QVERIFY(alice && bob && carol && dave);
    const QString longCall = establishCall(*alice, *bob, QStringLiteral("bob"));
    QVERIFY(!longCall.isEmpty());

    QStringList problems; // anything but a success or the documented error
    QStringList accepted; // pushes answered 201, in order
    int loginsOk = 0, loginsRefused = 0, pushesRefused = 0, shortCalls = 0;
    int loginsOkAfter = 0, pushesOkAfter = 0;
    QList<QByteArray> toBob, toAlice;
    for (int step = 0; step < kSteps; ++step) {
        if (step == kStopAt)
            m_cluster->postgres().stop();
        if (step == kStartAt)
            QVERIFY2(m_cluster->postgres().start(), qPrintable(m_cluster->postgres().lastError()));
        const bool after = step >= kStartAt;

        // A login, at each node in turn.
        const HttpReply login =
            m_cluster->node(1 + step % 2)
                .loginReply(QStringLiteral("alice"), kPassword, QStringLiteral("trickle"));
        if (login.status == 200) {
            ++loginsOk;
            loginsOkAfter += after;
        } else if (login.status == 503 &&
                   login.json.value(u"error").toString() == u"storage_unavailable" &&
                   !login.header("Retry-After").isEmpty()) {
            ++loginsRefused;
        } else {
            problems << QStringLiteral("step %1: login %2 %3")
                            .arg(step)
                            .arg(login.status)
                            .arg(QString::fromUtf8(login.body));
        }

        // A new push.
        const QString payload = QStringLiteral("push %1").arg(step);
        const push::WebPushResult push = sendPush(pushed.subscription(), payload.toUtf8(), {3600});
        if (push.outcome == Outcome::Delivered) {
            accepted << payload;
            pushesOkAfter += after;
        } else if (push.outcome == Outcome::RetryLater && push.httpStatus == 503) {
            ++pushesRefused;
        } else {
            problems << QStringLiteral("step %1: push %2 %3")
                            .arg(step)
                            .arg(push.httpStatus)
                            .arg(push.reason);
        }

        // The call in progress: a frame each way.
        toBob << srtpLikeFrame(QByteArray("to bob " + QByteArray::number(step)).constData());
        toAlice << srtpLikeFrame(QByteArray("to alice " + QByteArray::number(step)).constData());
        alice->sendBinary(toBob.last());
        bob->sendBinary(toAlice.last());

        // A short call between connected devices: rings, answered, hung up.
        if (step % 3 == 1) {
            const QString callId = establishCall(*carol, *dave, QStringLiteral("dave"));
            if (callId.isEmpty()) {
                problems << QStringLiteral("step %1: a new call was not established").arg(step);
            } else {
                dave->send(protocol::makeHangup(callId));
                const QString carolSaw = carol->endCause(callId);
                const QString daveSaw = dave->endCause(callId);
                if (carolSaw != u"hung_up" || daveSaw != u"hung_up")
                    problems << QStringLiteral("step %1: the new call ended %2 / %3")
                                    .arg(step)
                                    .arg(carolSaw, daveSaw);
                ++shortCalls;
            }
        }
        QTest::qWait(kStepPauseMs);
    }
    qInfo("logins: %d ok, %d refused (503); pushes: %lld accepted, %d refused (503); %d short "
          "calls",
          loginsOk, loginsRefused, qlonglong(accepted.size()), pushesRefused, shortCalls);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    // The outage was seen, and the service came back by itself.
    QVERIFY(loginsRefused > 0 && pushesRefused > 0);
    QVERIFY(loginsOkAfter > 0 && pushesOkAfter > 0);

    // Every push answered 201 arrived, each once.
    QTRY_COMPARE_WITH_TIMEOUT(pushed.payloads(), accepted, 20000);
    QCOMPARE(pushed.duplicates, 0);

    // The long call went on through it all, and ends normally.
    QTRY_COMPARE_WITH_TIMEOUT(bob->binaryFrames().size(), qsizetype(kSteps), 10000);
    QCOMPARE(bob->binaryFrames(), toBob);
    QTRY_COMPARE_WITH_TIMEOUT(alice->binaryFrames(), toAlice, 10000);
    bob->send(protocol::makeHangup(longCall));
    QCOMPARE(alice->endCause(longCall), QStringLiteral("hung_up"));
    QCOMPARE(bob->endCause(longCall), QStringLiteral("hung_up"));
}

QTEST_GUILESS_MAIN(TestClusterPgRestart)
#include "tst_cluster_pgrestart.moc"
