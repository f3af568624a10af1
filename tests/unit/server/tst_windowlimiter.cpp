// WindowLimiter: the event past the limit inside the window is refused for that
// key only, nothing is counted for a refusal, a taken-back event frees its place,
// and the block lifts when the window passes.

#include "softphone-server/common/WindowLimiter.h"

#include <QTest>

using softphone::server::WindowLimiter;
using namespace std::chrono_literals;

class TestWindowLimiter : public QObject
{
    Q_OBJECT
private slots:
    void refusesPastTheLimitPerKey()
    {
        WindowLimiter limiter(10, 60s);
        const auto t0 = WindowLimiter::Clock::now();
        for (int i = 0; i < 10; ++i)
            QVERIFY(limiter.tryAdd("alice", t0 + std::chrono::seconds(i)));
        QVERIFY(!limiter.tryAdd("alice", t0 + 10s));
        QVERIFY(!limiter.tryAdd("alice", t0 + 11s)); // refusals are not counted...
        QVERIFY(limiter.tryAdd("bob", t0 + 10s));
        QCOMPARE(limiter.retryAfterSeconds("alice", t0 + 10s), 50);
        QCOMPARE(limiter.retryAfterSeconds("bob", t0 + 10s), 0);
        // ...so the first event leaving the window at t0 + 60 s frees exactly one place.
        QVERIFY(limiter.tryAdd("alice", t0 + 60s));
        QVERIFY(!limiter.tryAdd("alice", t0 + 60s));
    }

    void takeBackFreesAPlace()
    {
        WindowLimiter limiter(2, 600s);
        const auto t0 = WindowLimiter::Clock::now();
        QVERIFY(limiter.tryAdd("k", t0));
        QVERIFY(limiter.tryAdd("k", t0));
        QVERIFY(!limiter.tryAdd("k", t0));
        limiter.takeBack("k");
        QVERIFY(limiter.tryAdd("k", t0));
        limiter.takeBack("unknown"); // harmless
    }

    void limitZeroRefusesEverything()
    {
        WindowLimiter limiter(0, 600s);
        QVERIFY(!limiter.tryAdd("k"));
        QCOMPARE(limiter.retryAfterSeconds("k"), 600);
    }

    void manyKeysAreSwept()
    {
        WindowLimiter limiter(1, 1s);
        const auto t0 = WindowLimiter::Clock::now();
        for (int i = 0; i < 20000; ++i)
            QVERIFY(limiter.tryAdd(QString::number(i), t0));
        // All of them left the window: the sweep drops them, and each may add again.
        QVERIFY(limiter.tryAdd(QStringLiteral("new"), t0 + 2s));
        QVERIFY(limiter.tryAdd(QStringLiteral("0"), t0 + 2s));
    }
};

QTEST_GUILESS_MAIN(TestWindowLimiter)
#include "tst_windowlimiter.moc"
