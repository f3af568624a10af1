// SendStream: numbered, timed frames; muted means nothing is sent at all.
#include "media/MediaFormat.h"
#include "media/MediaFrame.h"
#include "media/SendStream.h"
#include "support/SignalTools.h"

#include <QTest>

using namespace softphone::media;
using namespace softphone::media::test;

class TestSendStream : public QObject
{
    Q_OBJECT

private slots:
    void muteStopsFramesEntirely()
    {
        SendStream::Settings settings;
        settings.streamId = 3;
        SendStream s(settings);
        const auto tone = sine(300, 960 * 150, 6000);
        auto block = [&](int i) { return std::span<const int16_t>(tone).subspan(i * 960, 960); };
        std::vector<MediaFrame> sent;
        auto send = [&](int i) {
            const QByteArray wire = s.processCapture(block(i));
            if (wire.isEmpty())
                return false;
            auto f = MediaFrame::decode(wire);
            [&] { QVERIFY(f.has_value()); }();
            sent.push_back(*f);
            return true;
        };
        for (int i = 0; i < 50; ++i)
            QVERIFY(send(i));
        QVERIFY(sent.front().marker);
        QCOMPARE(sent.front().streamId, std::optional<quint8>(3));

        s.setMuted(true);
        QVERIFY(s.isMuted());
        for (int i = 50; i < 100; ++i) {
            s.processPlayback(block(i)); // the far end keeps talking
            QVERIFY2(!send(i), "a frame was produced while muted");
        }
        QCOMPARE(s.framesSent(), 50u);

        s.setMuted(false);
        for (int i = 100; i < 150; ++i)
            QVERIFY(send(i));
        QCOMPARE(sent.size(), size_t(100));
        const MediaFrame &last = sent[49];
        const MediaFrame &resumed = sent[50];
        // No sequence gap (nothing was lost), but time went on, and the
        // first frame after mute starts a talk spurt.
        QCOMPARE(quint16(resumed.sequence - last.sequence), quint16(1));
        QCOMPARE(resumed.timestamp - last.timestamp, quint32(51 * kFrameSamples));
        QVERIFY(resumed.marker);
        QVERIFY(!sent[51].marker);
    }

    void dtxSendsNothingForSilence()
    {
        SendStream::Settings settings;
        settings.codec.dtx = true;
        settings.noiseSuppression = false;
        SendStream s(settings);
        const std::vector<int16_t> silence(960, 0);
        int frames = 0;
        for (int i = 0; i < 100; ++i)
            frames += !s.processCapture(silence).isEmpty();
        // DTX still sends a comfort-noise update now and then.
        QVERIFY2(frames < 20, qPrintable(QString::number(frames)));
    }

    void badBlockSizeIgnored()
    {
        SendStream s;
        std::vector<int16_t> odd(500, 100);
        QVERIFY(s.processCapture(odd).isEmpty());
        QCOMPARE(s.framesSent(), 0u);
    }
};

QTEST_GUILESS_MAIN(TestSendStream)
#include "tst_sendstream.moc"
