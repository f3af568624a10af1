// LoginRateLimiter: the 11th failure inside a minute blocks that user name only,
// and the block lifts when the window passes.

#include "LoginRateLimiter.h"

#include <QTest>

using softphone::server::appserver::LoginRateLimiter;

class TestLoginRateLimiter : public QObject
{
    Q_OBJECT
private slots:
    void blocksAfterTenFailuresPerUser()
    {
        LoginRateLimiter limiter;
        const QDateTime t0 = QDateTime::currentDateTimeUtc();
        for (int i = 0; i < LoginRateLimiter::kMaxFailures; ++i) {
            QVERIFY(!limiter.isBlocked("alice", t0.addSecs(i)));
            limiter.recordFailure("alice", t0.addSecs(i));
        }
        QVERIFY(limiter.isBlocked("alice", t0.addSecs(10)));
        QVERIFY(!limiter.isBlocked("bob", t0.addSecs(10)));
        QVERIFY(limiter.retryAfterSeconds("alice", t0.addSecs(10)) > 0);
        // The first failure leaves the window at t0 + 60 s.
        QVERIFY(!limiter.isBlocked("alice", t0.addSecs(61)));
    }
};

QTEST_GUILESS_MAIN(TestLoginRateLimiter)
#include "tst_loginratelimiter.moc"
