// JitterBuffer: reordered, delayed frames play in order; late ones are
// counted; the jitter figure follows the network's.
#include "JitterBuffer.h"
#include "MediaFormat.h"

#include <QRandomGenerator>
#include <QTest>
#include <map>

using namespace softphone::media;

namespace {
struct Schedule
{
    std::multimap<int, int> arrivals; // tick -> frame index
};

MediaFrame frameAt(int i)
{
    MediaFrame f;
    f.sequence = quint16(65000 + i); // wraps during the test
    f.timestamp = quint32(4294000000u + quint32(i) * kFrameSamples);
    f.payload = QByteArray::number(i);
    return f;
}

struct Played
{
    std::vector<int> frames; // indices, in play order
    JitterBuffer::Stats stats;
};

Played play(const Schedule &s, int ticks)
{
    JitterBuffer jb;
    Played p;
    for (int t = 0; t < ticks; ++t) {
        auto [from, to] = s.arrivals.equal_range(t);
        for (auto it = from; it != to; ++it)
            jb.put(frameAt(it->second), qint64(t) * 20000 + it->second % 7 * 1000);
        const JitterBuffer::Slot slot = jb.get();
        if (slot.kind == JitterBuffer::Slot::Frame)
            p.frames.push_back(slot.payload.toInt());
    }
    p.stats = jb.stats();
    return p;
}
} // namespace

class TestJitterBuffer : public QObject
{
    Q_OBJECT

private slots:
    void reorderedFramesPlayInOrder()
    {
        const int n = 400;
        const std::vector<int> veryLate = {120, 200, 280};
        QRandomGenerator rng(7);
        Schedule s;
        int reordered = 0;
        int lastArrival = -1;
        for (int i = 0; i < n; ++i) {
            int tick = i + int(rng.bounded(4)); // 0-60 ms of network jitter
            if (std::find(veryLate.begin(), veryLate.end(), i) != veryLate.end())
                tick = i + 40; // 800 ms late: long after its play time
            reordered += tick < lastArrival;
            lastArrival = std::max(lastArrival, tick);
            s.arrivals.emplace(tick, i);
        }
        QVERIFY(reordered > 20);
        const Played p = play(s, n + 60);

        QVERIFY(std::is_sorted(p.frames.begin(), p.frames.end()));
        QVERIFY(std::adjacent_find(p.frames.begin(), p.frames.end()) == p.frames.end());
        for (int i : veryLate)
            QVERIFY2(std::find(p.frames.begin(), p.frames.end(), i) == p.frames.end(),
                     "a frame 800 ms late was played");
        qInfo("played %zu of %d, late %llu, jitter %.1f ms, expected %llu", p.frames.size(), n,
              p.stats.late, p.stats.jitterMs, p.stats.expected);
        QVERIFY(p.stats.late >= veryLate.size());
        // The buffer adapts: beyond the very late ones, little is late.
        QVERIFY(p.stats.latePercent() < 5);
        QVERIFY(p.frames.size() >= size_t(n) - size_t(n) / 20);
        QCOMPARE(p.stats.received, quint64(n));
        QCOMPARE(p.stats.expected, quint64(n));
        QCOMPARE(p.stats.lossPercent(), 0.0);
        // Uniform 0-60 ms delays: mean |difference| of two draws is 25 ms.
        QVERIFY2(p.stats.jitterMs > 12 && p.stats.jitterMs < 40,
                 qPrintable(QString::number(p.stats.jitterMs)));
    }

    void steadyNetworkHasNoJitterAndNothingLate()
    {
        Schedule s;
        for (int i = 0; i < 200; ++i)
            s.arrivals.emplace(i, i);
        JitterBuffer jb;
        std::vector<int> played;
        for (int t = 0; t < 220; ++t) {
            if (t < 200)
                jb.put(frameAt(t), qint64(t) * 20000);
            const auto slot = jb.get();
            if (slot.kind == JitterBuffer::Slot::Frame)
                played.push_back(slot.payload.toInt());
        }
        QCOMPARE(played.size(), size_t(200));
        QVERIFY(std::is_sorted(played.begin(), played.end()));
        QCOMPARE(jb.stats().late, 0u);
        QVERIFY(jb.stats().jitterMs < 1);
    }

    void missingFrameOffersTheNextForFec()
    {
        JitterBuffer jb;
        // Two frames of buffer, then frame 3 never arrives.
        for (int i = 0; i < 3; ++i)
            jb.put(frameAt(i), i * 20000);
        std::vector<JitterBuffer::Slot::Kind> kinds;
        for (int t = 0; t < 12; ++t) {
            if (t + 3 != 3)
                jb.put(frameAt(t + 3), (t + 3) * 20000);
            const auto slot = jb.get();
            kinds.push_back(slot.kind);
            if (slot.kind == JitterBuffer::Slot::FecFromNext) {
                QCOMPARE(slot.payload, QByteArray("4"));
                QCOMPARE(slot.timestamp, frameAt(3).timestamp);
            }
        }
        QCOMPARE(std::count(kinds.begin(), kinds.end(), JitterBuffer::Slot::FecFromNext), 1);
        QCOMPARE(std::count(kinds.begin(), kinds.end(), JitterBuffer::Slot::Lost), 0);
    }

    void playPointAheadOfTheSenderRecovers()
    {
        // The play point gets 500 ms ahead of the sender's timestamps: 25
        // slots are played out for which no frame ever comes (the sender's
        // session skipped a long stall, so its timestamps now lag the clock),
        // and from then on every frame arrives after its slot. The voice must
        // come back (after a short gap), not stay silent for the call.
        JitterBuffer jb;
        std::vector<int> played;
        auto take = [&] {
            const auto slot = jb.get();
            if (slot.kind == JitterBuffer::Slot::Frame)
                played.push_back(slot.payload.toInt());
        };
        int i = 0;
        for (; i < 20; ++i) {
            jb.put(frameAt(i), qint64(i) * 20000);
            take();
        }
        for (int n = 0; n < 25; ++n)
            take();
        for (; i < 200; ++i) {
            jb.put(frameAt(i), qint64(i + 25) * 20000);
            take();
        }
        const double delayMs = jb.stats().bufferDelayMs;
        for (int n = 0; n < 40; ++n)
            take(); // what is still buffered
        qInfo("played %zu of 200 frames; late %llu, resyncs %llu, buffer delay at the end %.0f ms",
              played.size(), jb.stats().late, jb.stats().resyncs, delayMs);
        QVERIFY(std::is_sorted(played.begin(), played.end()));
        // Frames keep coming late for 60 ms, then the buffer restarts: the
        // voice is back and stays. Without the restart nothing after frame 19
        // plays.
        const auto after =
            std::count_if(played.begin(), played.end(), [](int f) { return f >= 20; });
        QVERIFY2(
            after >= 170,
            qPrintable(QStringLiteral("%1 of the 180 frames after the jump played").arg(after)));
        QVERIFY2(delayMs <= 60, qPrintable(QString::number(delayMs)));
        QCOMPARE(jb.stats().resyncs, 1u);
    }

    void senderStallIsNotARestart()
    {
        // The sender stalls for 200 ms, then sends its backlog in one burst:
        // those frames are late (concealed meanwhile), the next ones are in
        // time, and the buffer keeps its play point.
        JitterBuffer jb;
        std::vector<int> played;
        int i = 0;
        for (int t = 0; t < 220; ++t) {
            if (t < 50 || t >= 60) {
                for (; i <= t && i < 200; ++i)
                    jb.put(frameAt(i), qint64(t) * 20000);
            }
            const auto slot = jb.get();
            if (slot.kind == JitterBuffer::Slot::Frame)
                played.push_back(slot.payload.toInt());
        }
        const auto after =
            std::count_if(played.begin(), played.end(), [](int f) { return f >= 61; });
        qInfo("played %zu of 200; late %llu, resyncs %llu", played.size(), jb.stats().late,
              jb.stats().resyncs);
        QCOMPARE(jb.stats().resyncs, 0u);
        QVERIFY(jb.stats().late >= 5);
        QCOMPARE(after, 139);
    }
};

QTEST_GUILESS_MAIN(TestJitterBuffer)
#include "tst_jitterbuffer.moc"
