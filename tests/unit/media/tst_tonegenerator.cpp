// ToneGenerator: the cadences and frequencies a user hears.
#include "media/MediaFormat.h"
#include "media/ToneGenerator.h"
#include "support/SignalTools.h"

#include <QTest>

using namespace softphone::media;
using namespace softphone::media::test;

class TestToneGenerator : public QObject
{
    Q_OBJECT

private slots:
    void ringbackCadence()
    {
        ToneGenerator g = ToneGenerator::ringback();
        const auto tone = g.next(kSampleRate);        // 1 s on
        const auto silence = g.next(4 * kSampleRate); // 4 s off
        const auto again = g.next(kSampleRate);       // repeats
        QVERIFY(tonePower(tone, 425) > 1000 * tonePower(tone, 600));
        QCOMPARE(energy(silence), 0.0);
        QVERIFY(energy(again) > 0.9 * energy(tone));
        QVERIFY(!g.finished());
    }

    void dtmfDigitsHaveTheirTwoFrequencies()
    {
        const double rows[] = {697, 770, 852, 941};
        const double cols[] = {1209, 1336, 1477, 1633};
        const QString keys = QStringLiteral("123A456B789C*0#D");
        for (int k = 0; k < keys.size(); ++k) {
            ToneGenerator g = ToneGenerator::dtmf(keys[k], 100);
            const auto s = g.next(100 * kSamplesPerMs);
            QVERIFY(g.finished());
            const double low = tonePower(s, rows[k / 4]);
            const double high = tonePower(s, cols[k % 4]);
            for (int r = 0; r < 4; ++r)
                if (r != k / 4)
                    QVERIFY(low > 20 * tonePower(s, rows[r]));
            for (int c = 0; c < 4; ++c)
                if (c != k % 4)
                    QVERIFY(high > 20 * tonePower(s, cols[c]));
        }
        QVERIFY(ToneGenerator::dtmf(QLatin1Char('x')).finished());
    }

    void callEndedPlaysOnceThenSilence()
    {
        ToneGenerator g = ToneGenerator::callEnded();
        const auto beeps = g.next(int(g.patternSamples()));
        QVERIFY(energy(beeps) > 0);
        QVERIFY(g.finished());
        QCOMPARE(energy(g.next(960)), 0.0);
    }

    void testSoundIsARisingChimeOnce()
    {
        ToneGenerator g = ToneGenerator::testSound();
        const double notes[] = {523.25, 659.25, 783.99};
        for (int n = 0; n < 3; ++n) {
            const auto note = g.next(300 * kSamplesPerMs);
            for (int other = 0; other < 3; ++other)
                if (other != n)
                    QVERIFY(tonePower(note, notes[n]) > 100 * tonePower(note, notes[other]));
        }
        g.next(100 * kSamplesPerMs);
        QVERIFY(g.finished());
        QCOMPARE(energy(g.next(960)), 0.0);
    }

    void ringtoneIsLoudAndNeverClips()
    {
        ToneGenerator g = ToneGenerator::ringtone();
        const auto s = g.renderOnce();
        QCOMPARE(qsizetype(s.size()), g.patternSamples());
        const auto peak = *std::max_element(s.begin(), s.end());
        QVERIFY(peak > 8000 && peak < 32767);
    }
};

QTEST_GUILESS_MAIN(TestToneGenerator)
#include "tst_tonegenerator.moc"
