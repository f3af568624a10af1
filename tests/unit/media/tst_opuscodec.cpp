// OpusEncoder/OpusDecoder: what goes in comes out, same length, same shape.
#include "media/MediaFormat.h"
#include "media/OpusDecoder.h"
#include "media/OpusEncoder.h"
#include "support/SignalTools.h"

#include <QTest>

using namespace softphone::media;
using namespace softphone::media::test;

class TestOpusCodec : public QObject
{
    Q_OBJECT

    std::vector<int16_t> roundTrip(const std::vector<int16_t> &in, int *lookahead)
    {
        OpusEncoder enc;
        OpusDecoder dec;
        [&] { QVERIFY(enc.isValid() && dec.isValid()); }();
        *lookahead = enc.lookahead();
        std::vector<int16_t> out;
        for (size_t pos = 0; pos + kFrameSamples <= in.size(); pos += kFrameSamples) {
            const QByteArray packet =
                enc.encode(std::span<const int16_t>(in).subspan(pos, kFrameSamples));
            std::vector<int16_t> block(kFrameSamples);
            [&] { QVERIFY(dec.decode(packet, block)); }();
            out.insert(out.end(), block.begin(), block.end());
        }
        return out;
    }

    void checkSimilar(const std::vector<int16_t> &in)
    {
        int lookahead = 0;
        const std::vector<int16_t> out = roundTrip(in, &lookahead);
        QCOMPARE(out.size(), in.size());
        QVERIFY(lookahead > 0);
        // Aligned by the codec delay (a small search absorbs filter phase).
        const auto [corr, lag] = bestNcc(in, out, lookahead - 24, lookahead + 24);
        qInfo("correlation %.3f at lag %d (codec lookahead %d)", corr, lag, lookahead);
        QVERIFY2(corr > 0.9, qPrintable(QString::number(corr)));
    }

private slots:
    void tone() { checkSimilar(sine(1000, kSampleRate * 2)); }

    void speechSignal()
    {
        const auto in =
            speech(QStringLiteral("Hello, this is a test call. Can you hear me clearly?"));
        QVERIFY2(!in.empty(), "espeak-ng speech could not be generated");
        QVERIFY(in.size() > size_t(kSampleRate)); // over a second of speech
        checkSimilar(in);
    }

    void wrongBlockSizeRejected()
    {
        OpusEncoder enc;
        std::vector<int16_t> tooShort(400); // neither 10 nor 20 ms
        QVERIFY(enc.encode(tooShort).isEmpty());
        // 10 ms frames (#13): encoded and decoded at their own size.
        const std::vector<int16_t> tenMs(kShortFrameSamples, 1000);
        const QByteArray packet = enc.encode(tenMs);
        QVERIFY(!packet.isEmpty());
        std::vector<int16_t> decoded(kShortFrameSamples);
        QVERIFY(OpusDecoder().decode(packet, decoded));
        std::vector<int16_t> wrongSize(kFrameSamples);
        QVERIFY(!OpusDecoder().decode(packet, wrongSize)); // a 10 ms packet into 20 ms: concealed
        OpusDecoder dec;
        std::vector<int16_t> block(kFrameSamples, 1234);
        QVERIFY(!dec.decode(QByteArray("\xff\xff\xff", 3), block)); // corrupt: concealed
        QCOMPARE(block.size(), size_t(kFrameSamples));
    }

    void settingsAreApplied()
    {
        OpusEncoder::Settings s;
        s.complexity = 42;
        OpusEncoder enc(s);
        QCOMPARE(enc.settings().complexity, 10);
        enc.setPacketLossPercent(-5);
        QCOMPARE(enc.settings().expectedLossPercent, 0);
        // A higher bitrate gives bigger packets.
        const auto in = sine(440, kFrameSamples * 20);
        auto total = [&](int bitrate) {
            OpusEncoder e;
            e.setBitrate(bitrate);
            qsizetype bytes = 0;
            for (int i = 0; i < 20; ++i)
                bytes += e.encode(std::span<const int16_t>(in).subspan(i * 960, 960)).size();
            return bytes;
        };
        QVERIFY(total(32000) > total(12000));
    }
};

QTEST_GUILESS_MAIN(TestOpusCodec)
#include "tst_opuscodec.moc"
