// WavFile: files written come back identical; other rates and stereo are
// converted to 48 kHz mono with the right duration; bad files are refused.
#include "media/MediaFormat.h"
#include "media/WavFile.h"
#include "support/SignalTools.h"

#include <QTemporaryDir>
#include <QTest>

using namespace softphone::media;
using namespace softphone::media::test;

class TestWavFile : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void roundTrip()
    {
        WavAudio audio;
        audio.samples = sine(700, 4800 + 7);
        audio.samples.push_back(-32768);
        audio.samples.push_back(32767);
        const QString path = m_dir.filePath(QStringLiteral("mono.wav"));
        QString error;
        QVERIFY2(WavFile::write(path, audio, &error), qPrintable(error));
        auto back = WavFile::read(path, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->sampleRate, 48000);
        QCOMPARE(back->channels, 1);
        QVERIFY(back->samples == audio.samples);
    }

    void streamingWriterCompletesHeader()
    {
        const QString path = m_dir.filePath(QStringLiteral("stream.wav"));
        WavFile w;
        QVERIFY(w.open(path, 16000, 1));
        const auto tone = sine(400, 1600, 5000, 16000);
        for (int i = 0; i < 10; ++i)
            QVERIFY(w.append(tone));
        QVERIFY(w.close());
        auto back = WavFile::read(path);
        QVERIFY(back);
        QCOMPARE(back->samples.size(), size_t(16000));
        QCOMPARE(back->durationSeconds(), 1.0);
    }

    void stereo44kResampledTo48kMono()
    {
        // 1.5 s at 44.1 kHz stereo, 1 kHz in both channels.
        WavAudio audio;
        audio.sampleRate = 44100;
        audio.channels = 2;
        const auto tone = sine(1000, 66150, 8000, 44100);
        for (int16_t v : tone) {
            audio.samples.push_back(v);
            audio.samples.push_back(v);
        }
        const QString path = m_dir.filePath(QStringLiteral("stereo.wav"));
        QVERIFY(WavFile::write(path, audio));
        QString error;
        auto mono = WavFile::readAs48kMono(path, &error);
        QVERIFY2(mono, qPrintable(error));
        QCOMPARE(mono->size(), size_t(72000)); // 1.5 s at 48 kHz
        // Still a 1 kHz tone, at the same level, up to the very end.
        const auto middle = std::span<const int16_t>(*mono).subspan(24000, 24000);
        QVERIFY(tonePower(middle, 1000) > 100 * tonePower(middle, 1200));
        const auto end = std::span<const int16_t>(*mono).subspan(72000 - 960, 960);
        QVERIFY(energy(end) / 960 > 0.3 * 8000.0 * 8000 / 2);
    }

    void badFilesRefused_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("not riff") << QByteArray("RIFX\0\0\0\0WAVE", 12);
        QTest::newRow("no chunks") << QByteArray("RIFF\4\0\0\0WAVE", 12);
        WavAudio a;
        a.samples = {1, 2, 3, 4};
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("x.wav"));
        WavFile::write(path, a);
        QFile f(path);
        f.open(QIODevice::ReadOnly);
        const QByteArray good = f.readAll();
        QByteArray eightBit = good;
        eightBit[34] = 8;
        QTest::newRow("8-bit") << eightBit;
        QByteArray sixChannels = good;
        sixChannels[22] = 6;
        QTest::newRow("6 channels") << sixChannels;
        QTest::newRow("truncated fmt") << good.left(30);
        QTest::newRow("no data") << good.left(36);
    }
    void badFilesRefused()
    {
        QFETCH(QByteArray, bytes);
        QString error;
        QVERIFY(!WavFile::parse(bytes, &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(!WavFile::read(m_dir.filePath(QStringLiteral("missing.wav")), &error));
        QVERIFY(error.contains(QStringLiteral("missing.wav")));
    }
};

QTEST_GUILESS_MAIN(TestWavFile)
#include "tst_wavfile.moc"
