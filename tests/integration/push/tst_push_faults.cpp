// The push service killed (SIGKILL) in the middle of a stream of pushes: every
// push it answered 201 to reaches the application after the restart, exactly once.

#include "PushTestDevice.h"
#include "support/ServerProcess.h"

#include <QNetworkAccessManager>
#include <QtTest>

using namespace softphone;
using namespace softphone::test;
using Outcome = push::WebPushResult::Outcome;

class TestPushFaults : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void killDuringPostsLosesNoAcceptedPush();
};

void TestPushFaults::initTestCase()
{
    QString why;
    if (!keychainReachable(&why))
        QFAIL(qPrintable(why));
}

void TestPushFaults::killDuringPostsLosesNoAcceptedPush()
{
    ServerProcess server({QStringLiteral("--roles"), QStringLiteral("push")});
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    PushTestDevice device(server.pushWsUrl());
    QVERIFY(device.startAndSubscribe());

    constexpr int kTotal = 1000;
    QNetworkAccessManager nam;
    push::WebPushSender sender(&nam);
    sender.setMaxAttempts(1); // a push refused by the dead server stays refused: we count 201s only
    QSet<QString> accepted;
    int answered = 0;
    bool killed = false;
    for (int i = 0; i < kTotal; ++i) {
        const QString payload = QStringLiteral("push %1").arg(i);
        sender.send(device.subscription(), payload.toUtf8(), {3600}, {}, QString(),
                    [&, payload](const push::WebPushResult &result) {
                        ++answered;
                        if (result.outcome == Outcome::Delivered)
                            accepted.insert(payload);
                        if (!killed && accepted.size() >= kTotal / 3) {
                            killed = true;
                            server.kill();
                        }
                    });
    }
    QTRY_VERIFY_WITH_TIMEOUT(answered == kTotal, 120000);
    QVERIFY(killed);
    QVERIFY2(accepted.size() < kTotal, "the kill came too late to test anything");
    qInfo() << accepted.size() << "of" << kTotal << "pushes were accepted before the kill";

    QVERIFY2(server.restart(), qPrintable(server.lastError()));
    // The channel reconnects on its own to the same URL.
    auto seenSet = [&device] {
        const QStringList seen = device.payloads();
        return QSet<QString>(seen.cbegin(), seen.cend());
    };
    QTRY_VERIFY_WITH_TIMEOUT(seenSet().contains(accepted), 60000);
    const QStringList seen = device.payloads();
    const QSet<QString> distinct(seen.cbegin(), seen.cend());
    QCOMPARE(distinct.size(), seen.size()); // exactly once to the application
}

QTEST_GUILESS_MAIN(TestPushFaults)
#include "tst_push_faults.moc"
