// media::CallQuality::bars: what the call window's indicator shows for the
// figures a call measures.
#include "media/CallQuality.h"

#include <QTest>

using softphone::media::CallQuality;

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
};

QTEST_GUILESS_MAIN(TstCallQuality)
#include "tst_callquality.moc"
