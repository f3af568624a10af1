// RtcpCompound: sender/receiver reports, SDES CNAME and BYE against hand-written
// bytes, and the RFC 3550 A.2 validity checks refusing every damaged compound.
#include "rtp/RtcpPacket.h"

#include <QTest>

using namespace softphone::rtp;

namespace {
// SR from 0x11223344 with one report block about 0x55667788 (cumulative lost -1).
const QByteArray kSr = QByteArray::fromHex("81c8000c"
                                           "11223344"
                                           "e000000080000000"
                                           "00000960"
                                           "00000032"
                                           "00000bb8"
                                           "55667788"
                                           "40ffffff"
                                           "00010005"
                                           "0000000f"
                                           "b7052000"
                                           "00054000");
// SDES with the CNAME "abc": 4 + 3 + end byte, padded to 12.
const QByteArray kSdes = QByteArray::fromHex("81ca0003"
                                             "11223344"
                                             "0103616263"
                                             "00"
                                             "0000");
const QByteArray kBye = QByteArray::fromHex("81cb0002"
                                            "11223344"
                                            "03627965");

SenderReport expectedSr()
{
    SenderReport sr;
    sr.ssrc = 0x11223344;
    sr.info = {0xe000000080000000ull, 0x960, 50, 3000};
    sr.reports.push_back({0x55667788, 0x40, -1, 0x10005, 15, 0xb7052000, 0x00054000});
    return sr;
}
} // namespace

class TestRtcpPacket : public QObject
{
    Q_OBJECT

    static void refused(const QByteArray &wire, const char *reason)
    {
        QString error;
        QVERIFY2(!RtcpCompound::parse(wire, &error), reason);
        QVERIFY2(!error.isEmpty(), reason);
    }

private slots:
    void senderReportBytes()
    {
        RtcpCompound c;
        c.senderReports.push_back(expectedSr());
        QCOMPARE(c.serialize().toHex(), kSr.toHex());
        QString error;
        const auto back = RtcpCompound::parse(kSr, &error);
        QVERIFY2(back, qPrintable(error));
        QVERIFY(*back == c);
        QCOMPARE(back->senderReports[0].reports[0].cumulativeLost, -1);
    }

    void compoundWithSdesAndBye()
    {
        RtcpCompound c;
        c.senderReports.push_back(expectedSr());
        c.sdes.push_back({0x11223344, "abc"});
        c.bye = Bye{{0x11223344}, "bye"};
        const QByteArray wire = c.serialize();
        QCOMPARE(wire.toHex(), (kSr + kSdes + kBye).toHex());
        QString error;
        const auto back = RtcpCompound::parse(wire, &error);
        QVERIFY2(back, qPrintable(error));
        QVERIFY(*back == c);
    }

    void receiverReportAndSkippedTypes()
    {
        RtcpCompound c;
        ReportBlock block{7, 255, ReportBlock::kMaxCumulativeLost, 0xffffffff, 1, 2, 3};
        c.receiverReports.push_back({9, {block}});
        // An APP packet (type 204, 12 bytes) after the RR is skipped and counted.
        const QByteArray wire = c.serialize() + QByteArray::fromHex("80cc0002"
                                                                    "00000009"
                                                                    "74657374");
        QString error;
        const auto back = RtcpCompound::parse(wire, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->receiverReports.size(), size_t(1));
        QVERIFY(back->receiverReports[0].reports[0] == block);
        QCOMPARE(back->skippedPackets, 1);
    }

    void cumulativeLossIsClampedTo24Bits()
    {
        RtcpCompound c;
        c.receiverReports.push_back({1, {{2, 0, 10'000'000, 0, 0, 0, 0}}});
        auto back = RtcpCompound::parse(c.serialize());
        QVERIFY(back);
        QCOMPARE(back->receiverReports[0].reports[0].cumulativeLost, 0x7fffff);
        c.receiverReports[0].reports[0].cumulativeLost = -10'000'000;
        back = RtcpCompound::parse(c.serialize());
        QVERIFY(back);
        QCOMPARE(back->receiverReports[0].reports[0].cumulativeLost, -0x800000);
    }

    void paddingInTheLastPacket()
    {
        // RR without blocks, padded with 4 bytes (P bit, count in the last byte).
        const QByteArray wire = QByteArray::fromHex("a0c90002"
                                                    "00000009"
                                                    "00000004");
        QString error;
        const auto back = RtcpCompound::parse(wire, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->receiverReports[0].ssrc, quint32(9));
    }

    void malformedRefused()
    {
        const QByteArray good = kSr + kSdes + kBye;
        // Every cut that is not at a packet boundary is refused.
        for (int n = 0; n < good.size(); ++n) {
            if (n == kSr.size() || n == kSr.size() + kSdes.size())
                continue;
            refused(good.left(n), "truncated");
        }
        refused(kSdes + kSr, "SDES first");
        QByteArray v1 = kSr;
        v1[0] = char(0x41);
        refused(v1, "version 1");
        QByteArray longer = kSr;
        longer[3] = char(0x0d);
        refused(longer, "length beyond the datagram");
        QByteArray tooManyBlocks = kSr;
        tooManyBlocks[0] = char(0x82);
        refused(tooManyBlocks, "report count over the length");
        QByteArray paddedFirst = kSr + kSdes;
        paddedFirst[0] = char(0xa1);
        refused(paddedFirst, "padding before the last packet");
        refused(QByteArray::fromHex("a0c90002"
                                    "00000009"
                                    "00000000"),
                "padding count 0");
        refused(QByteArray::fromHex("a0c90002"
                                    "00000009"
                                    "0000000c"),
                "padding over the packet");
        refused(kSr + QByteArray::fromHex("81ca0002"
                                          "11223344"
                                          "01056162"),
                "CNAME overrun");
        refused(kSr + QByteArray::fromHex("81ca0002"
                                          "11223344"
                                          "01026162"),
                "no end item");
        refused(kSr + QByteArray::fromHex("81ca0002"
                                          "11223344"
                                          "01000000"),
                "empty CNAME");
        refused(kSr + QByteArray::fromHex("82ca0003"
                                          "11223344"
                                          "0102616200000000"),
                "chunk missing");
        refused(kSr + QByteArray::fromHex("81cb0002"
                                          "11223344"
                                          "05627965"),
                "BYE reason overrun");
        refused(kSr + QByteArray::fromHex("82cb0001"
                                          "11223344"),
                "BYE sources over the length");
        refused(kSr + kBye + kBye, "two BYE");
        refused(kSr + QByteArray(1, '\0'), "not a multiple of 4");
        refused(QByteArray(RtcpCompound::kMaxSize + 4, '\x80'), "too long");
    }

    void serializeRefusesWhatCannotBeSent()
    {
        RtcpCompound c;
        QVERIFY(c.serialize().isEmpty()); // no SR or RR
        c.receiverReports.push_back({1, std::vector<ReportBlock>(32)});
        QVERIFY(c.serialize().isEmpty());
        c.receiverReports[0].reports.resize(1);
        c.sdes.push_back({1, QByteArray()});
        QVERIFY(c.serialize().isEmpty());
        c.sdes[0].cname = QByteArray(256, 'x');
        QVERIFY(c.serialize().isEmpty());
        c.sdes[0].cname = "ok";
        QVERIFY(!c.serialize().isEmpty());
    }
};

QTEST_APPLESS_MAIN(TestRtcpPacket)
#include "tst_rtcppacket.moc"
