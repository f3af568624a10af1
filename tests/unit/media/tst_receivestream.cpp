// ReceiveStream under 10 % random loss: the speaker never gets a gap, and
// FEC rebuilds most single losses, audibly better than concealment alone;
// with 20 ms frames and with 10 ms frames (#13), which are also played in
// blocks of the other size and may change duration mid-stream.
#include "media/MediaFormat.h"
#include "media/ReceiveStream.h"
#include "media/SendStream.h"
#include "support/SignalTools.h"

#include <QRandomGenerator>
#include <QTest>

using namespace softphone::media;
using namespace softphone::media::test;

namespace {
struct LossRun
{
    std::vector<int16_t> output;
    CallQuality quality;
    int singleLosses = 0;
    int blocks = 0;
};

SendStream::Settings plainSender(int expectedLoss)
{
    SendStream::Settings s;
    s.echoCancellation = false;
    s.noiseSuppression = false;
    s.codec.expectedLossPercent = expectedLoss;
    return s;
}

// Sends `in` through a SendStream in frames of `frame` samples, drops the
// frames marked in `lost`, and plays out one block per frame interval (plus
// a tail to drain the buffer).
LossRun run(const std::vector<int16_t> &in, const std::vector<bool> &lost, int expectedLoss,
            size_t frame = kFrameSamples)
{
    SendStream sender(plainSender(expectedLoss));
    ReceiveStream receiver;
    LossRun r;
    const size_t frames = in.size() / frame;
    const int tail = 10;
    for (size_t i = 0; i < frames + tail; ++i) {
        if (i < frames) {
            const QByteArray wire =
                sender.processCapture(std::span<const int16_t>(in).subspan(i * frame, frame));
            if (!lost[i])
                receiver.pushPacket(wire, qint64(i) * qint64(frame) * 1000 / kSamplesPerMs);
        }
        const auto block = receiver.pullBlock(frame);
        r.output.insert(r.output.end(), block.begin(), block.end());
        ++r.blocks;
    }
    for (size_t i = 1; i + 1 < frames; ++i)
        r.singleLosses += lost[i] && !lost[i - 1] && !lost[i + 1];
    r.quality = receiver.quality();
    return r;
}
} // namespace

class TestReceiveStream : public QObject
{
    Q_OBJECT

private slots:
    void continuousUnderLossWithFec_data()
    {
        QTest::addColumn<int>("frame");
        QTest::newRow("20 ms frames") << kFrameSamples;
        QTest::newRow("10 ms frames") << kShortFrameSamples;
    }
    void continuousUnderLossWithFec()
    {
        QFETCH(int, frame);
        std::vector<int16_t> in = speech(QStringLiteral(
            "The quick brown fox jumps over the lazy dog. Please call me back when you are "
            "home, and bring the blue folder from the office. Thank you, and goodbye."));
        QVERIFY2(!in.empty(), "espeak-ng speech could not be generated");
        const size_t frames = in.size() / size_t(frame);
        QVERIFY(frames > 200);

        QRandomGenerator rng(20240611);
        std::vector<bool> lost(frames);
        int lostCount = 0;
        for (size_t i = 1; i < frames; ++i) // the first frame starts the stream
            lostCount += (lost[i] = rng.bounded(100) < 10);
        QVERIFY(lostCount > int(frames) / 20);

        const LossRun withFec = run(in, lost, 10, size_t(frame));
        // Continuous: exactly one block per pull, never a gap.
        QCOMPARE(withFec.output.size(), size_t(withFec.blocks) * size_t(frame));
        QCOMPARE(withFec.quality.framesPlayed, quint64(withFec.blocks));
        QCOMPARE(withFec.quality.framesReceived, quint64(frames - size_t(lostCount)));
        QVERIFY(qAbs(withFec.quality.lossPercent - 100.0 * lostCount / double(frames)) < 0.5);

        qInfo("lost %d of %zu frames, %d single losses, FEC recovered %llu, concealed %llu",
              lostCount, frames, withFec.singleLosses, withFec.quality.fecRecovered,
              withFec.quality.concealed);
        QVERIFY2(withFec.quality.fecRecovered > quint64(withFec.singleLosses) / 2,
                 "FEC recovered half of the single losses or less");

        // The recovery is real: against the original, FEC output matches
        // better than the same losses concealed without FEC data.
        const LossRun noFec = run(in, lost, 0, size_t(frame));
        // The output lags by the codec delay plus whole frames of buffering
        // (up to 6 of them).
        auto similarity = [&](const LossRun &r) {
            double best = -1;
            for (int frames = 0; frames <= 6; ++frames) {
                const int lag = frames * frame + 312;
                best = std::max(best, bestNcc(in, r.output, lag - 24, lag + 24).first);
            }
            return best;
        };
        const double fecCorr = similarity(withFec);
        const double plcCorr = similarity(noFec);
        qInfo("correlation with the original: FEC %.3f, concealment only %.3f", fecCorr, plcCorr);
        QVERIFY(fecCorr > plcCorr);
        QVERIFY(noFec.quality.fecRecovered <= withFec.quality.fecRecovered);
    }

    // The player's block size and the sender's frame duration are
    // independent: 10 ms frames played in 20 ms blocks, 20 ms frames in 10 ms
    // blocks, and a sender that changes from 20 to 10 ms frames mid-stream
    // (its path changed): always full blocks, the tone arrives whole.
    void blocksOfEitherSizeFromFramesOfEither_data()
    {
        QTest::addColumn<int>("firstFrame");
        QTest::addColumn<int>("laterFrame");
        QTest::addColumn<int>("block");
        QTest::newRow("10 ms frames, 20 ms blocks") << 480 << 480 << 960;
        QTest::newRow("20 ms frames, 10 ms blocks") << 960 << 960 << 480;
        QTest::newRow("20 then 10 ms frames, 10 ms blocks") << 960 << 480 << 480;
        QTest::newRow("10 then 20 ms frames, 20 ms blocks") << 480 << 960 << 960;
    }
    void blocksOfEitherSizeFromFramesOfEither()
    {
        QFETCH(int, firstFrame);
        QFETCH(int, laterFrame);
        QFETCH(int, block);
        const auto tone = sine(440, 48000 * 3);
        SendStream sender(plainSender(0));
        ReceiveStream receiver;
        std::vector<int16_t> out;
        size_t sent = 0;
        qint64 nowUs = 0;
        int pulls = 0;
        // The receiver's clock: one block every block duration; frames are
        // sent as the tone reaches their end.
        while (out.size() < tone.size() + 9600 && pulls < 1000) {
            const size_t frame = size_t(sent < tone.size() / 2 ? firstFrame : laterFrame);
            while (sent + frame <= tone.size() &&
                   qint64(sent + frame) * 1000 / kSamplesPerMs <= nowUs) {
                const QByteArray wire =
                    sender.processCapture(std::span<const int16_t>(tone).subspan(sent, frame));
                QVERIFY(receiver.pushPacket(wire, nowUs));
                sent += frame;
            }
            const auto played = receiver.pullBlock(size_t(block));
            QCOMPARE(played.size(), size_t(block));
            out.insert(out.end(), played.begin(), played.end());
            nowUs += qint64(block) * 1000 / kSamplesPerMs;
            ++pulls;
        }
        QCOMPARE(sent, tone.size());
        // The tone's second half (after any change of duration) is heard
        // whole: a steady tone correlates at its lag nearly perfectly.
        // Half a second of it; the tone repeats every 109 samples, so a few
        // hundred lags find it wherever the buffering put it.
        const size_t from = tone.size() / 2 + 9600;
        const auto [correlation, lag] =
            bestNcc(std::span<const int16_t>(tone).subspan(from, 24000),
                    std::span<const int16_t>(out).subspan(from, 24000 + 480), 0, 240);
        qInfo("correlation %.3f at %.1f ms; concealed %llu", correlation, lag / 48.0,
              receiver.quality().concealed);
        QVERIFY2(correlation > 0.9, qPrintable(QString::number(correlation)));
    }

    void silenceBeforeFirstFrameIsNotLoss()
    {
        ReceiveStream receiver;
        for (int i = 0; i < 5; ++i) {
            const auto block = receiver.pullBlock();
            QCOMPARE(block.size(), size_t(kFrameSamples));
            QVERIFY(std::all_of(block.begin(), block.end(), [](int16_t v) { return v == 0; }));
        }
        QCOMPARE(receiver.quality().concealed, 0u);
        QCOMPARE(receiver.quality().lossPercent, 0.0);
    }

    void malformedPacketsRejectedWithoutHarm()
    {
        SendStream sender(plainSender(10));
        ReceiveStream receiver;
        const auto tone = sine(440, 960 * 20);
        QString error;
        QVERIFY(!receiver.pushPacket(QByteArray("\x10\x00", 2), &error));
        QVERIFY(!error.isEmpty());
        for (int i = 0; i < 20; ++i) {
            const QByteArray wire =
                sender.processCapture(std::span<const int16_t>(tone).subspan(i * 960, 960));
            QVERIFY(receiver.pushPacket(wire, i * 20000));
            QVERIFY(!receiver.pushPacket(wire.left(wire.size() - 1), i * 20000));
            receiver.pullBlock();
        }
        const CallQuality q = receiver.quality();
        QCOMPARE(q.malformed, 21u);
        QCOMPARE(q.framesReceived, 20u);
        QCOMPARE(q.lossPercent, 0.0);
    }
};

QTEST_GUILESS_MAIN(TestReceiveStream)
#include "tst_receivestream.moc"
