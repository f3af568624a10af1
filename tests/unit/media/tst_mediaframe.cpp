// MediaFrame: the wire format round-trips, and anything damaged is rejected.
#include "media/MediaFrame.h"
#include "media/OpusEncoder.h"

#include <QTest>
#include <vector>

using namespace softphone::media;

class TestMediaFrame : public QObject
{
    Q_OBJECT

    QByteArray opusPacket()
    {
        OpusEncoder enc;
        std::vector<int16_t> pcm(960);
        for (size_t i = 0; i < pcm.size(); ++i)
            pcm[i] = int16_t((i * 37) % 2000 - 1000);
        return enc.encode(pcm);
    }

private slots:
    void roundTrip_data()
    {
        QTest::addColumn<bool>("withStreamId");
        QTest::addColumn<bool>("marker");
        QTest::newRow("plain") << false << false;
        QTest::newRow("stream id + marker") << true << true;
    }
    void roundTrip()
    {
        QFETCH(bool, withStreamId);
        QFETCH(bool, marker);
        MediaFrame f;
        if (withStreamId)
            f.streamId = 7;
        f.marker = marker;
        f.sequence = 0xfffe;
        f.timestamp = 0xfffffc40;
        f.payload = opusPacket();
        QVERIFY(f.payload.size() > 2);
        const QByteArray wire = f.encode();
        QCOMPARE(wire.size(),
                 MediaFrame::kMinHeaderSize + (withStreamId ? 1 : 0) + f.payload.size());
        QString error;
        auto back = MediaFrame::decode(wire, &error);
        QVERIFY2(back.has_value(), qPrintable(error));
        QCOMPARE(back->streamId, f.streamId);
        QCOMPARE(back->marker, marker);
        QCOMPARE(back->sequence, f.sequence);
        QCOMPARE(back->timestamp, f.timestamp);
        QCOMPARE(back->payload, f.payload);
    }

    void everyTruncationRejected()
    {
        for (bool withStreamId : {false, true}) {
            MediaFrame f;
            if (withStreamId)
                f.streamId = 1;
            f.payload = opusPacket();
            const QByteArray wire = f.encode();
            for (qsizetype n = 0; n < wire.size(); ++n) {
                QString error;
                QVERIFY2(!MediaFrame::decode(wire.left(n), &error),
                         qPrintable(QStringLiteral("truncated to %1 bytes was accepted").arg(n)));
                QVERIFY(!error.isEmpty());
            }
            QVERIFY(!MediaFrame::decode(wire + '\0'));
        }
    }

    void damagedHeadersRejected()
    {
        MediaFrame f;
        f.payload = opusPacket();
        const QByteArray wire = f.encode();
        QByteArray badVersion = wire;
        badVersion[0] = char(0x20);
        QVERIFY(!MediaFrame::decode(badVersion));
        QByteArray unknownFlag = wire;
        unknownFlag[0] = char(0x18);
        QVERIFY(!MediaFrame::decode(unknownFlag));
        QByteArray zeroLength = wire.left(MediaFrame::kMinHeaderSize);
        zeroLength[7] = zeroLength[8] = 0;
        QVERIFY(!MediaFrame::decode(zeroLength));
        // A code-3 Opus packet claiming 0 frames is not Opus.
        QByteArray notOpus = wire.left(MediaFrame::kMinHeaderSize - 2);
        notOpus.append('\0').append('\2').append(char(0x03)).append('\0');
        QString error;
        QVERIFY(!MediaFrame::decode(notOpus, &error));
        QVERIFY(error.contains(QStringLiteral("Opus")));
    }

    void unrepresentableFrameNotEncoded()
    {
        MediaFrame f;
        QVERIFY(f.encode().isEmpty());
        f.payload = QByteArray(MediaFrame::kMaxPayloadSize + 1, 'x');
        QVERIFY(f.encode().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestMediaFrame)
#include "tst_mediaframe.moc"
