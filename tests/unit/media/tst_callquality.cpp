// media::CallQuality::bars: what the call window's indicator shows for the
// figures a call measures.
#include "media/CallQuality.h"

#include <QTest>

using softphone::media::CallQuality;
using softphone::media::RecentQuality;

namespace {
// The cumulative counts of a call at one poll.
CallQuality counted(quint64 expected, quint64 received, quint64 late = 0)
{
    CallQuality q;
    q.framesExpected = expected;
    q.framesReceived = received;
    q.framesLate = late;
    q.lossPercent = q.totalLossPercent =
        expected == 0 ? 0 : 100.0 * double(expected - received) / double(expected);
    q.latePercent = q.totalLatePercent =
        expected == 0 ? 0 : 100.0 * double(late) / double(expected);
    return q;
}
} // namespace

class TstCallQuality : public QObject
{
    Q_OBJECT
private slots:
    void bars_data()
    {
        QTest::addColumn<double>("lost");
        QTest::addColumn<double>("late");
        QTest::addColumn<double>("jitter");
        QTest::addColumn<double>("roundTrip");
        QTest::addColumn<int>("expected");
        QTest::newRow("clean line") << 0.0 << 0.0 << 5.0 << 40.0 << 4;
        QTest::newRow("round trip unknown") << 0.0 << 0.0 << 5.0 << -1.0 << 4;
        QTest::newRow("2 % lost") << 2.0 << 0.0 << 5.0 << 40.0 << 3;
        QTest::newRow("late counts as lost") << 1.0 << 1.5 << 5.0 << 40.0 << 3;
        QTest::newRow("5 % lost") << 5.0 << 0.0 << 5.0 << 40.0 << 2;
        QTest::newRow("10 % lost") << 10.0 << 0.0 << 5.0 << 40.0 << 1;
        QTest::newRow("20 % lost") << 20.0 << 0.0 << 5.0 << 40.0 << 0;
        QTest::newRow("jittery") << 0.0 << 0.0 << 60.0 << 40.0 << 3;
        QTest::newRow("very jittery") << 0.0 << 0.0 << 90.0 << 40.0 << 2;
        QTest::newRow("far away") << 0.0 << 0.0 << 5.0 << 400.0 << 3;
        QTest::newRow("satellite") << 0.0 << 0.0 << 5.0 << 700.0 << 2;
        QTest::newRow("everything bad, never below 0") << 30.0 << 0.0 << 100.0 << 900.0 << 0;
    }
    void bars()
    {
        QFETCH(double, lost);
        QFETCH(double, late);
        QFETCH(double, jitter);
        QFETCH(double, roundTrip);
        QFETCH(int, expected);
        CallQuality q;
        q.framesReceived = 500;
        q.lossPercent = lost;
        q.latePercent = late;
        q.jitterMs = jitter;
        q.roundTripMs = roundTrip;
        QCOMPARE(q.bars(), expected);
    }

    void noVerdictBeforeAnythingArrives()
    {
        CallQuality q;
        QCOMPARE(q.bars(), -1);
        q.framesReceived = 1;
        QCOMPARE(q.bars(), 4);
    }

    // A minute of clean line, then a third lost: the window sees it at the
    // next poll (all four bars gone after a few seconds), while the total
    // since the call began hardly moves; back to clean, the bars come back
    // within the window.
    void recentWindowFollowsTheLine()
    {
        RecentQuality recent;
        quint64 expected = 0, received = 0;
        qint64 now = 0;
        auto poll = [&](quint64 sent, quint64 arrived) {
            expected += sent;
            received += arrived;
            now += 1000;
            CallQuality q = counted(expected, received);
            recent.apply(q, now);
            return q;
        };
        CallQuality q;
        for (int s = 0; s < 60; ++s)
            q = poll(50, 50);
        QCOMPARE(q.bars(), 4);
        q = poll(50, 33);
        QVERIFY2(q.lossPercent > 3 && q.bars() <= 2, qPrintable(QString::number(q.lossPercent)));
        QVERIFY(q.totalLossPercent < 1);
        for (int s = 0; s < 5; ++s)
            q = poll(50, 33);
        QVERIFY2(qAbs(q.lossPercent - 34) < 0.5, qPrintable(QString::number(q.lossPercent)));
        QCOMPARE(q.bars(), 0);
        QVERIFY(q.totalLossPercent < 4);
        // Clean again: within the window and a poll, all four bars.
        for (int s = 0; s < 6; ++s)
            q = poll(50, 50);
        QCOMPARE(q.lossPercent, 0.0);
        QCOMPARE(q.bars(), 4);
        QVERIFY(q.totalLossPercent > 2);
    }

    void recentLatenessToo()
    {
        RecentQuality recent(3000);
        CallQuality q = counted(1000, 1000, 0);
        recent.apply(q, 20000);
        q = counted(1050, 1050, 10);
        recent.apply(q, 21000);
        QCOMPARE(q.latePercent, 10 * 100.0 / 1050); // the window still starts at the call's start
        q = counted(1100, 1100, 20);
        recent.apply(q, 22000);
        q = counted(1150, 1150, 30);
        recent.apply(q, 23000);
        q = counted(1200, 1200, 40);
        recent.apply(q, 24000);
        QCOMPARE(q.latePercent, 30 * 100.0 / 150); // from the poll at 21 s
        QCOMPARE(q.lossPercent, 0.0);
    }

    // Nothing arrived in the window (muted, on hold, a dead network): the
    // last verdict stays rather than a clean line being claimed.
    void silentWindowKeepsTheLastFigures()
    {
        RecentQuality recent(2000);
        CallQuality q = counted(100, 80);
        recent.apply(q, 1000);
        QCOMPARE(q.lossPercent, 20.0);
        for (qint64 at = 2000; at <= 10000; at += 1000) {
            q = counted(100, 80);
            recent.apply(q, at);
            QCOMPARE(q.lossPercent, 20.0);
        }
    }

    // Counters that start over (the receiving stream was reset) start the window over.
    void countersThatGoBackStartOver()
    {
        RecentQuality recent;
        CallQuality q = counted(1000, 500);
        recent.apply(q, 1000);
        QCOMPARE(q.lossPercent, 50.0);
        q = counted(100, 100);
        recent.apply(q, 2000);
        QCOMPARE(q.lossPercent, 0.0);
    }

    // Polled every millisecond (far more often than once a second): still a
    // window of about 5 s, not of the last few polls. 50 frames lost at the
    // end of ~50000 expected in the window: ~0.1 % (a window shrunk to its
    // last 64 polls would say ~7.8 %).
    void manyPollsKeepTheWindow()
    {
        RecentQuality recent(5000);
        CallQuality q;
        for (int i = 1; i <= 10000; ++i) {
            q = counted(quint64(i) * 10, quint64(i) * 10 - (i > 9990 ? (i - 9990) * 5 : 0));
            recent.apply(q, i);
        }
        QVERIFY2(q.lossPercent > 0.09 && q.lossPercent < 0.11,
                 qPrintable(QString::number(q.lossPercent)));
    }
};

QTEST_GUILESS_MAIN(TstCallQuality)
#include "tst_callquality.moc"
