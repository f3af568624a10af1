// Keypad digits through the voice pipeline: SendStream sends them as RFC 4733
// telephone events (the peer negotiated them) in the place of the audio, on
// the stream's own sequence numbers, and ReceiveStream gives each digit once,
// in order, without counting the event packets as lost; without events the
// digits are in-band DTMF tones in the encoded audio, and the receiver hears
// them there (DtmfDetector), in order, and nothing in other sounds.
#include "media/DtmfDetector.h"
#include "media/MediaFormat.h"
#include "media/MediaFrame.h"
#include "media/OpusDecoder.h"
#include "media/ReceiveStream.h"
#include "media/SendStream.h"
#include "media/TelephoneEvent.h"
#include "media/ToneGenerator.h"
#include "support/SignalTools.h"

#include <QTest>

using namespace softphone::media;
using namespace softphone::media::test;

class TestDtmf : public QObject
{
    Q_OBJECT

private:
    // Runs blocks of a quiet hum through s (20 ms, or 10 ms as in a call
    // with 10 ms frames, #13); returns the wire frames it made.
    static std::vector<QByteArray> run(SendStream &s, int blocks, int block = kFrameSamples)
    {
        const auto hum = sine(300, block * blocks, 3000);
        std::vector<QByteArray> wires;
        for (int i = 0; i < blocks; ++i) {
            const QByteArray wire = s.processCapture(
                std::span<const int16_t>(hum).subspan(size_t(i) * size_t(block), size_t(block)));
            if (!wire.isEmpty())
                wires.push_back(wire);
        }
        return wires;
    }

private slots:
    void payloadRoundTripsAndRefusesJunk()
    {
        TelephoneEvent e{11, true, 10, 4800};
        const QByteArray bytes = e.encode();
        QCOMPARE(bytes, QByteArray::fromHex("0b8a12c0"));
        const auto back = TelephoneEvent::decode(bytes);
        QVERIFY(back && back->event == 11 && back->end && back->volume == 10 &&
                back->duration == 4800);
        QString why;
        QVERIFY(!TelephoneEvent::decode(QByteArray::fromHex("0b8a12"), &why));
        QVERIFY(!TelephoneEvent::decode(QByteArray::fromHex("108a12c0"), &why)); // event 16
        QVERIFY(!TelephoneEvent::decode(QByteArray::fromHex("0bca12c0"), &why)); // reserved bit
        QCOMPARE(TelephoneEvent::digitOf(*TelephoneEvent::eventOf(QLatin1Char('*'))),
                 QLatin1Char('*'));
        QCOMPARE(*TelephoneEvent::eventOf(QLatin1Char('d')), quint8(15));
        QVERIFY(!TelephoneEvent::eventOf(QLatin1Char('x')));
        // A MediaFrame carries it with its flag; a bad event payload is refused.
        MediaFrame frame;
        frame.telephoneEvent = true;
        frame.sequence = 7;
        frame.timestamp = 96000;
        frame.payload = bytes;
        const auto decoded = MediaFrame::decode(frame.encode());
        QVERIFY(decoded && decoded->telephoneEvent && decoded->payload == bytes);
        QCOMPARE(decoded->encode(), frame.encode());
        frame.payload = QByteArray::fromHex("ff000000");
        QVERIFY(!MediaFrame::decode(frame.encode(), &why));
    }

    void digitsGoAsEventsInOrderAndArriveOnce_data()
    {
        QTest::addColumn<int>("blockMs");
        QTest::newRow("20 ms blocks") << 20;
        QTest::newRow("10 ms blocks") << 10;
    }
    void digitsGoAsEventsInOrderAndArriveOnce()
    {
        QFETCH(int, blockMs);
        const int block = blockMs * kSamplesPerMs;
        SendStream s;
        s.setTelephoneEvents(true);
        QVERIFY(!s.sendDigit(QLatin1Char('x')));
        for (const QChar digit : QStringLiteral("15#*0"))
            QVERIFY(s.sendDigit(digit));
        const auto wires = run(s, 2000 / blockMs, block);
        std::vector<MediaFrame> frames;
        for (const QByteArray &wire : wires)
            frames.push_back(*MediaFrame::decode(wire));
        // One sequence for voice and events: no gap, nothing reused.
        for (size_t i = 1; i < frames.size(); ++i)
            QCOMPARE(quint16(frames[i].sequence - frames[i - 1].sequence), quint16(1));
        int events = 0;
        int ends = 0;
        for (const MediaFrame &f : frames) {
            if (!f.telephoneEvent)
                continue;
            ++events;
            const auto e = TelephoneEvent::decode(f.payload);
            QVERIFY(e);
            if (e->end) {
                ++ends;
                QCOMPARE(int(e->duration), SendStream::kDigitMs * kSampleRate / 1000);
            }
        }
        // Each digit: 100 ms of updates (the last with the end bit) and two
        // repeats of the end.
        QCOMPARE(ends, 5 * 3);
        QCOMPARE(events, 5 * (SendStream::kDigitMs / blockMs + 2));

        // The far end gets the digits once each, in order; lost or repeated
        // event packets change nothing, and they are not counted as lost audio.
        ReceiveStream r;
        qint64 now = 0;
        for (const QByteArray &wire : wires) {
            QVERIFY(r.pushPacket(wire, now));
            if (MediaFrame::decode(wire)->telephoneEvent)
                QVERIFY(r.pushPacket(wire, now)); // a duplicate
            now += blockMs * 1000;
            r.pullBlock(size_t(block));
        }
        QCOMPARE(r.takeDigits(), QStringLiteral("15#*0"));
        QCOMPARE(r.takeDigits(), QString());
        QCOMPARE(r.quality().lossPercent, 0.0);
    }

    void withoutEventsDigitsAreTonesInTheAudio()
    {
        SendStream s;     // the peer offered no telephone events
        s.setMuted(true); // a digit is sent even while the microphone is off
        QVERIFY(s.sendDigit(QLatin1Char('5')));
        const auto wires = run(s, 10);
        QVERIFY(!wires.empty());
        OpusDecoder decoder;
        std::vector<int16_t> heard;
        std::array<int16_t, kFrameSamples> block{};
        for (const QByteArray &wire : wires) {
            const auto f = MediaFrame::decode(wire);
            QVERIFY(f && !f->telephoneEvent);
            QVERIFY(decoder.decode(f->payload, block));
            heard.insert(heard.end(), block.begin(), block.end());
        }
        double low = 0;
        double high = 0;
        QVERIFY(ToneGenerator::dtmfFrequencies(QLatin1Char('5'), &low, &high));
        // 5 is 770 + 1336 Hz: both there, well above another digit's 697 and 1209 Hz.
        QVERIFY(tonePower(heard, low) > 20 * tonePower(heard, 697));
        QVERIFY(tonePower(heard, high) > 20 * tonePower(heard, 1209));
        // Once the digit is out, muted means nothing is sent again.
        QVERIFY(run(s, 10).empty());
    }

    // A peer that sends in-band tones: the digits are heard in the decoded
    // audio (DtmfDetector), each once and in order, a repeated one twice,
    // over the quiet hum run() sends, at 20 and 10 ms blocks.
    void inbandDigitsAreHeardInOrder_data()
    {
        QTest::addColumn<int>("block");
        QTest::newRow("20 ms") << int(kFrameSamples);
        QTest::newRow("10 ms") << int(kShortFrameSamples);
    }
    void inbandDigitsAreHeardInOrder()
    {
        QFETCH(int, block);
        SendStream s;
        const QString pressed = QStringLiteral("1559*0#D");
        for (const QChar digit : pressed)
            QVERIFY(s.sendDigit(digit));
        const int blocks = 2000 / (block / kSamplesPerMs); // 2 s: 8 digits of 160 ms
        ReceiveStream r;
        DtmfDetector detector;
        for (const QByteArray &wire : run(s, blocks, block)) {
            QVERIFY(r.pushPacket(wire));
            detector.feed(r.pullBlock(size_t(block)));
        }
        QCOMPARE(r.takeDigits(), QString()); // none came as events
        QCOMPARE(detector.takeDigits(), pressed);
        QCOMPARE(detector.takeDigits(), QString());
    }

    // Neither speech-like sound nor a single tone nor a chord of other
    // notes is taken for a digit; a digit too short (20 ms) is not one either.
    void noDigitsInOtherSounds()
    {
        DtmfDetector detector;
        const auto feed = [&detector](const std::vector<int16_t> &samples) {
            detector.feed(samples);
        };
        feed(sine(1000, kSampleRate, 8000));          // a test tone
        auto chord = sine(523.25, kSampleRate, 6000); // C and E
        const auto e = sine(659.25, kSampleRate, 6000);
        for (size_t i = 0; i < chord.size(); ++i)
            chord[i] = int16_t(chord[i] + e[i]);
        feed(chord);
        std::vector<int16_t> vowel(static_cast<size_t>(kSampleRate),
                                   0); // harmonics of 120 Hz, as a voice
        for (int h = 1; h <= 20; ++h) {
            const auto partial = sine(120.0 * h, kSampleRate, 12000 / h);
            for (size_t i = 0; i < vowel.size(); ++i)
                vowel[i] = int16_t(vowel[i] + partial[i]);
        }
        feed(vowel);
        feed(ToneGenerator::dtmf(QLatin1Char('7'), 20).renderOnce());
        feed(std::vector<int16_t>(kFrameSamples * 3));
        QCOMPARE(detector.takeDigits(), QString());
        feed(ToneGenerator::dtmf(QLatin1Char('7'), 80).renderOnce()); // long enough
        QCOMPARE(detector.takeDigits(), QStringLiteral("7"));
    }
};

QTEST_MAIN(TestDtmf)
#include "tst_dtmf.moc"
