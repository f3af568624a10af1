// Reconnect delays: grow by the multiplier, spread by the jitter, stop at the cap,
// start over after reset (what a user notices as "it comes back quickly, and a
// dead server is not hammered").

#include "common/Backoff.h"

#include <QSet>
#include <QTest>

using namespace std::chrono_literals;
using softphone::Backoff;

class TestBackoff : public QObject
{
    Q_OBJECT

private slots:
    void growsWithinJitter()
    {
        Backoff::Policy policy;
        policy.cap = 60s;
        Backoff backoff(policy);
        double base = 1000;
        for (int i = 0; i < 8; ++i) {
            const auto delay = backoff.next().count();
            QVERIFY2(delay >= qint64(base * 0.8) - 1 && delay <= qint64(base * 1.2) + 1,
                     qPrintable(
                         QStringLiteral("attempt %1: %2 ms, base %3").arg(i).arg(delay).arg(base)));
            base *= 1.6;
        }
    }

    void jitterSpreadsDelays()
    {
        QSet<qint64> seen;
        for (int i = 0; i < 50; ++i) {
            Backoff backoff;
            seen.insert(backoff.next().count());
        }
        QVERIFY2(seen.size() > 10, "fifty first attempts should not all wait the same time");
    }

    void staysUnderTheCap()
    {
        Backoff::Policy policy;
        policy.cap = 60s;
        Backoff backoff(policy);
        qint64 last = 0;
        for (int i = 0; i < 40; ++i)
            last = backoff.next().count();
        QVERIFY(last <= 72000); // cap + 20 %
        QVERIFY(last >= 48000); // cap - 20 %
    }

    void resetStartsOver()
    {
        Backoff backoff;
        for (int i = 0; i < 10; ++i)
            backoff.next();
        QVERIFY(backoff.attempts() > 0);
        backoff.reset();
        QCOMPARE(backoff.attempts(), 0);
        QVERIFY(backoff.next().count() <= 1200);
    }
};

QTEST_GUILESS_MAIN(TestBackoff)
#include "tst_backoff.moc"
