// RtpPacket and the Opus payload: hand-written wire bytes, round trips, and
// every malformed header refused with a reason.
#include "media/OpusEncoder.h"
#include "rtp/OpusRtp.h"
#include "rtp/PacketKind.h"
#include "rtp/RtpPacket.h"

#include <QTest>
#include <vector>

using namespace softphone;
using namespace softphone::rtp;

class TestRtpPacket : public QObject
{
    Q_OBJECT

    static QByteArray opusPacket()
    {
        media::OpusEncoder enc;
        std::vector<int16_t> pcm(960);
        for (size_t i = 0; i < pcm.size(); ++i)
            pcm[i] = int16_t((i * 37) % 2000 - 1000);
        return enc.encode(pcm);
    }

    static void refused(const QByteArray &wire, const char *reason)
    {
        QString error;
        QVERIFY2(!RtpPacket::parse(wire, &error), reason);
        QVERIFY2(!error.isEmpty(), reason);
    }

private slots:
    void handWrittenBytes()
    {
        // V=2, PT 111 with marker, seq 0x1234, ts 0x11223344, SSRC 0xdeadbeef, "abc".
        const QByteArray wire = QByteArray::fromHex("80ef123411223344deadbeef616263");
        RtpPacket p;
        p.payloadType = 111;
        p.marker = true;
        p.sequence = 0x1234;
        p.timestamp = 0x11223344;
        p.ssrc = 0xdeadbeef;
        p.payload = "abc";
        QCOMPARE(p.serialize().toHex(), wire.toHex());
        QString error;
        const auto back = RtpPacket::parse(wire, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->payloadType, quint8(111));
        QVERIFY(back->marker);
        QCOMPARE(back->sequence, quint16(0x1234));
        QCOMPARE(back->timestamp, quint32(0x11223344));
        QCOMPARE(back->ssrc, quint32(0xdeadbeef));
        QCOMPARE(back->payload, QByteArray("abc"));
        QVERIFY(back->csrcs.empty());
        QVERIFY(!back->extension);
    }

    void csrcExtensionAndPadding()
    {
        // P=1, X=1, CC=2: 0xb2; two CSRCs; extension 0xbede with one word; payload "hi"; 2 bytes
        // padding.
        const QByteArray wire = QByteArray::fromHex("b26f0001000000640000000a"
                                                    "0000000100000002"
                                                    "bede000110203040"
                                                    "6869"
                                                    "0002");
        QString error;
        const auto p = RtpPacket::parse(wire, &error);
        QVERIFY2(p, qPrintable(error));
        QCOMPARE(p->csrcs, (std::vector<quint32>{1, 2}));
        QVERIFY(p->extension);
        QCOMPARE(p->extension->profile, quint16(0xbede));
        QCOMPARE(p->extension->data.toHex(), QByteArray("10203040"));
        QCOMPARE(p->payload, QByteArray("hi"));
        QCOMPARE(p->paddingSize, quint8(2));
        QCOMPARE(p->serialize().toHex(), wire.toHex());
    }

    void malformedRefused()
    {
        const QByteArray good = QByteArray::fromHex("b26f0001000000640000000a"
                                                    "0000000100000002"
                                                    "bede000110203040"
                                                    "6869"
                                                    "0002");
        // Every cut inside the header, CSRC list or extension is refused.
        for (int n = 0; n < 12 + 8 + 8; ++n)
            refused(good.left(n), "truncated header");
        refused(QByteArray::fromHex("406f0001000000640000000a"), "version 1");
        refused(QByteArray::fromHex("c06f0001000000640000000a"), "version 3");
        for (int pt = 72; pt <= 76; ++pt) {
            QByteArray wire = QByteArray::fromHex("80000001000000640000000a00");
            wire[1] = char(pt);
            refused(wire, "payload type of RTCP");
        }
        refused(QByteArray::fromHex("a06f0001000000640000000a000000"), "padding count 0");
        refused(QByteArray::fromHex("a06f0001000000640000000a0005"), "padding over the payload");
        refused(QByteArray::fromHex("906f0001000000640000000abede0002aabbccdd"),
                "extension too long");
        refused(QByteArray(RtpPacket::kMaxPacketSize + 1, '\x80'), "too long");
    }

    void serializeRefusesWhatCannotBeSent()
    {
        RtpPacket p;
        p.payloadType = 128;
        QVERIFY(p.serialize().isEmpty());
        p.payloadType = 111;
        p.csrcs.assign(16, 1);
        QVERIFY(p.serialize().isEmpty());
        p.csrcs.clear();
        p.extension = RtpHeaderExtension{0xbede, "abc"};
        QVERIFY(p.serialize().isEmpty());
        p.extension.reset();
        p.payload = QByteArray(RtpPacket::kMaxPacketSize, 'x');
        QVERIFY(p.serialize().isEmpty());
    }

    void serialArithmeticWraps()
    {
        QVERIFY(sequenceNewer(1, 0));
        QVERIFY(sequenceNewer(0, 65535));
        QVERIFY(!sequenceNewer(65535, 0));
        QVERIFY(!sequenceNewer(5, 5));
        QVERIFY(sequenceNewer(0x7fff, 0));
        QVERIFY(!sequenceNewer(0x8000, 0));
        QVERIFY(timestampNewer(480, 0xfffffc40));
        QVERIFY(!timestampNewer(0xfffffc40, 480));
    }

    void opusPayloadRoundTrip()
    {
        media::MediaFrame frame;
        frame.marker = true;
        frame.sequence = 65535;
        frame.timestamp = 0xfffffc40;
        frame.payload = opusPacket();
        const RtpPacket packet = opus::fromMediaFrame(frame, 0x01020304);
        QCOMPARE(packet.payloadType, opus::kDefaultPayloadType);
        QString error;
        const auto wire = packet.serialize();
        QCOMPARE(wire.size(), 12 + frame.payload.size());
        const auto parsed = RtpPacket::parse(wire, &error);
        QVERIFY2(parsed, qPrintable(error));
        const auto back = opus::toMediaFrame(*parsed, opus::kDefaultPayloadType, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->encode(), frame.encode());
    }

    void opusPayloadRefused()
    {
        RtpPacket packet;
        packet.payloadType = opus::kDefaultPayloadType;
        QString error;
        QVERIFY(!opus::toMediaFrame(packet, opus::kDefaultPayloadType, &error));
        QVERIFY(error.contains("out of range"));
        packet.payload = opusPacket();
        packet.payloadType = 0;
        QVERIFY(!opus::toMediaFrame(packet, opus::kDefaultPayloadType, &error));
        QVERIFY(error.contains("payload type"));
        packet.payloadType = opus::kDefaultPayloadType;
        // TOC code 3 (arbitrary frame count) with a count byte of 0: not Opus.
        packet.payload = QByteArray::fromHex("0300");
        QVERIFY(!opus::toMediaFrame(packet, opus::kDefaultPayloadType, &error));
        QVERIFY(error.contains("not a valid Opus packet"));
    }

    void demultiplexing()
    {
        QCOMPARE(classifyPacket(QByteArray::fromHex("0001")), PacketKind::Stun);
        QCOMPARE(classifyPacket(QByteArray::fromHex("16fefd")), PacketKind::Dtls);
        QCOMPARE(classifyPacket(QByteArray::fromHex("806f")), PacketKind::Rtp);
        QCOMPARE(classifyPacket(QByteArray::fromHex("80ef")), PacketKind::Rtp);
        QCOMPARE(classifyPacket(QByteArray::fromHex("81c8")), PacketKind::Rtcp);
        QCOMPARE(classifyPacket(QByteArray::fromHex("80c9")), PacketKind::Rtcp);
        QCOMPARE(classifyPacket(QByteArray::fromHex("ff00")), PacketKind::Unknown);
        QCOMPARE(classifyPacket(QByteArray::fromHex("80")), PacketKind::Unknown);
        QCOMPARE(classifyPacket({}), PacketKind::Unknown);
    }
};

QTEST_APPLESS_MAIN(TestRtpPacket)
#include "tst_rtppacket.moc"
