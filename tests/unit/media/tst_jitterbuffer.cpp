// JitterBuffer: reordered, delayed frames play in order; late ones are
// counted; the jitter figure follows the network's; the buffer's delay
// follows the measured jitter (one frame on a clean path) and does not grow
// when the sender's clock runs faster or slower than the player's.
#include "media/JitterBuffer.h"
#include "media/MediaFormat.h"

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

// A stream played on the receiver's 20 ms clock: frame i arrives at
// arrivalUs(i) (µs); before each play step every frame that has arrived is
// put. Records the buffer delay after each step and what was played.
struct Run
{
    std::vector<double> delayMs; // per play step
    std::vector<int> frames;     // played, in order
    int concealed = 0;
    JitterBuffer::Stats stats;
    // Mean buffer delay over play steps [from, to).
    double meanDelay(size_t from, size_t to) const
    {
        double sum = 0;
        for (size_t k = from; k < to; ++k)
            sum += delayMs[k];
        return sum / double(to - from);
    }
};

template<typename Arrival> Run runStream(int frames, int steps, Arrival arrivalUs)
{
    JitterBuffer jb;
    Run r;
    std::multimap<qint64, int> pending;
    for (int i = 0; i < frames; ++i)
        pending.emplace(arrivalUs(i), i);
    for (int t = 0; t < steps; ++t) {
        const qint64 now = qint64(t) * 20000;
        while (!pending.empty() && pending.begin()->first <= now) {
            jb.put(frameAt(pending.begin()->second), pending.begin()->first);
            pending.erase(pending.begin());
        }
        const JitterBuffer::Slot slot = jb.get();
        if (slot.kind == JitterBuffer::Slot::Frame)
            r.frames.push_back(slot.payload.toInt());
        else if (slot.kind != JitterBuffer::Slot::NotStarted)
            ++r.concealed;
        r.delayMs.push_back(jb.stats().bufferDelayMs);
    }
    r.stats = jb.stats();
    return r;
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

    void cleanPathKeepsAboutOneFrame()
    {
        // Frames every 20 ms, 1 ms after the play clock: nothing to absorb.
        const Run r = runStream(1500, 1500, [](int i) { return qint64(i) * 20000 - 19000; });
        const double delay = r.meanDelay(100, 1400);
        qInfo("clean path: mean buffer delay %.1f ms, concealed %d", delay, r.concealed);
        QVERIFY2(delay <= 30, qPrintable(QString::number(delay)));
        QCOMPARE(r.stats.late, 0u);
    }

    void targetFollowsTheMeasuredJitter()
    {
        // 20 s with 0-100 ms random network delay, then 60 s of a clean path.
        QRandomGenerator rng(11);
        std::vector<qint64> extra(5000);
        for (size_t i = 0; i < 1000; ++i)
            extra[i] = qint64(rng.bounded(100000));
        const Run r = runStream(
            5000, 5000, [&](int i) { return qint64(i) * 20000 - 19000 + extra[size_t(i)]; });
        const double jittery = r.meanDelay(500, 1000);
        const double calm = r.meanDelay(4500, 5000);
        qInfo("buffer delay: %.1f ms with 0-100 ms jitter, %.1f ms once the path is clean "
              "again; late %.1f %%",
              jittery, calm, r.stats.latePercent());
        QVERIFY2(jittery >= 30, qPrintable(QString::number(jittery)));
        QVERIFY2(calm <= 30, qPrintable(QString::number(calm)));
        QVERIFY(calm < jittery);
        QVERIFY(std::is_sorted(r.frames.begin(), r.frames.end()));
    }

    void fasterSenderClockDoesNotGrowTheQueue()
    {
        // The sender's clock runs 1 % fast: over 10 minutes 300 frames more
        // arrive than are played. They must be dropped, not queued.
        const int steps = 30000;
        const Run r = runStream(steps * 101 / 100, steps, [](int i) {
            return qint64(i) * 19802 - 19000; // 20 ms / 1.01
        });
        const double first = r.meanDelay(500, 3500);
        const double last = r.meanDelay(steps - 3000, steps);
        qInfo("sender 1 %% fast: buffer delay %.1f ms in the first minute, %.1f ms in the "
              "last; played %zu of %d",
              first, last, r.frames.size(), steps * 101 / 100);
        QVERIFY2(last <= 60, qPrintable(QString::number(last)));
        QVERIFY2(last <= first + 20, qPrintable(QString::number(last)));
        QVERIFY(std::is_sorted(r.frames.begin(), r.frames.end()));
    }

    void lateStartingSpeakerDrainsTheBacklog()
    {
        // The speaker started 1.4 s after the voice began (a sound server
        // that took its time): 70 frames wait when the first play step comes.
        // What the player cannot use is dropped once, the play point stays
        // behind the sender (no restart; only the frames that come a step
        // late are late) and the delay comes down to a frame or two.
        const int steps = 500;
        JitterBuffer jb;
        int next = 0;
        std::vector<double> delay;
        for (; next < 70; ++next)
            jb.put(frameAt(next), qint64(next) * 20000);
        for (int t = 0; t < steps; ++t, ++next) {
            // Every 3 s one frame comes a step late (with the next one).
            if (t % 150 == 55) {
                --next;
            } else {
                if (t % 150 == 56)
                    jb.put(frameAt(next - 1), qint64(next) * 20000);
                jb.put(frameAt(next), qint64(next) * 20000);
            }
            jb.get();
            delay.push_back(jb.stats().bufferDelayMs);
        }
        const JitterBuffer::Stats s = jb.stats();
        qInfo("late %llu resyncs %llu drifted %llu delay at 0.5 s %.0f, 1.5 s %.0f, end %.0f ms",
              s.late, s.resyncs, s.drifted, delay[25], delay[75], delay.back());
        QCOMPARE(s.resyncs, 0u);
        QVERIFY2(s.late <= 4, qPrintable(QString::number(s.late)));
        QCOMPARE(s.drifted, 69u);
        QVERIFY2(delay.back() <= 60, qPrintable(QString::number(delay.back())));
    }

    void slowerSenderClockKeepsPlaying()
    {
        // The sender's clock runs 1 % slow: the player conceals the missing
        // 1 % and never runs far ahead (which would make every frame late).
        const int steps = 30000;
        const Run r = runStream(steps * 99 / 100, steps, [](int i) {
            return qint64(i) * 20202 - 19000; // 20 ms / 0.99
        });
        qInfo("sender 1 %% slow: played %zu of %d, concealed %d, late %llu, buffer delay "
              "%.1f ms at the end",
              r.frames.size(), steps * 99 / 100, r.concealed, r.stats.late,
              r.meanDelay(steps - 3000, steps - 300));
        QVERIFY(r.frames.size() >= size_t(steps * 99 / 100) * 98 / 100);
        QVERIFY(r.meanDelay(steps - 3000, steps - 300) <= 60);
    }

    // 10 ms frames (#13): the step follows the frames that arrive. On a clean
    // path all play in order with about one frame (10 ms) buffered; a sender
    // that changes from 20 to 10 ms frames mid-call (its path changed) goes
    // on playing after at most a few frames.
    void tenMsFramesPlayInTheirOwnSteps()
    {
        JitterBuffer jb;
        std::vector<int> played;
        std::vector<double> delays;
        int concealed = 0;
        int step = 0;
        auto take = [&] {
            const auto slot = jb.get();
            if (slot.kind == JitterBuffer::Slot::Frame)
                played.push_back(slot.payload.mid(1).toInt());
            else if (slot.kind != JitterBuffer::Slot::NotStarted)
                ++concealed;
            QCOMPARE(slot.samples, jb.frameSamples());
            delays.push_back(jb.stats().bufferDelayMs);
            ++step;
        };
        // 100 frames of 20 ms (TOC: SILK wideband 20 ms), played every 20 ms.
        quint32 timestamp = 1000;
        quint16 sequence = 7;
        auto frame = [&](int index, int samples) {
            MediaFrame f;
            f.sequence = sequence++;
            f.timestamp = timestamp;
            timestamp += quint32(samples);
            f.payload = QByteArray(1, samples == 480 ? '\x20' : '\x28') + QByteArray::number(index);
            return f;
        };
        QCOMPARE(frame(0, 480).durationSamples(), 480);
        QCOMPARE(frame(0, 960).durationSamples(), 960);
        timestamp = 1000;
        sequence = 7;
        qint64 nowUs = 0;
        for (int i = 0; i < 100; ++i, nowUs += 20000) {
            jb.put(frame(i, 960), nowUs);
            take();
        }
        QCOMPARE(jb.frameSamples(), 960);
        // Then 300 frames of 10 ms, played every 10 ms.
        for (int i = 100; i < 400; ++i, nowUs += 10000) {
            jb.put(frame(i, 480), nowUs);
            take();
        }
        QCOMPARE(jb.frameSamples(), 480);
        QVERIFY(std::is_sorted(played.begin(), played.end()));
        // At the change at most what waited of the old size is dropped.
        const auto firstTen =
            std::find_if(played.begin(), played.end(), [](int i) { return i >= 100; });
        QVERIFY(firstTen != played.end());
        QVERIFY2(*firstTen <= 103, qPrintable(QString::number(*firstTen)));
        QVERIFY2(played.size() >= 395, qPrintable(QString::number(played.size())));
        QCOMPARE(jb.stats().late, 0u);
        QCOMPARE(jb.stats().lossPercent(), 0.0);
        // Clean path: about one 10 ms frame waits once settled.
        double sum = 0;
        for (size_t k = delays.size() - 100; k < delays.size(); ++k)
            sum += delays[k];
        qInfo("10 ms frames: mean buffer delay %.1f ms, %d concealed", sum / 100, concealed);
        QVERIFY2(sum / 100 <= 20, qPrintable(QString::number(sum / 100)));
    }
};

QTEST_GUILESS_MAIN(TestJitterBuffer)
#include "tst_jitterbuffer.moc"
