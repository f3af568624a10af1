// ReceptionStats and RtcpSession: loss, fraction lost, jitter and round-trip
// time as RFC 3550 computes them, checked against figures worked out by hand.
#include "rtp/NtpTime.h"
#include "rtp/ReceptionStats.h"
#include "rtp/RtcpSession.h"

#include <QTest>

using namespace softphone::rtp;

class TestReceptionStats : public QObject
{
    Q_OBJECT

    static constexpr qint64 kT0 = 1'796'000'000'000'000; // a wall-clock time in 2026, in µs

private slots:
    void probationThenLoss()
    {
        ReceptionStats s(42);
        // 100 is on probation (not counted); 101 makes the source valid and is the base.
        QVERIFY(!s.onPacket(100, 0, 0));
        QVERIFY(!s.isValid());
        for (quint16 seq : {101, 102, 104, 106, 107, 108, 109})
            QVERIFY(s.onPacket(seq, 0, 0));
        QCOMPARE(s.received(), 7);
        QCOMPARE(s.expected(), 9); // 101..109
        QCOMPARE(s.cumulativeLost(), 2);
        ReportBlock b = s.makeReportBlock(0);
        QCOMPARE(b.ssrc, quint32(42));
        QCOMPARE(b.fractionLost, quint8(56)); // 2 * 256 / 9 = 56.9, truncated
        QCOMPARE(b.cumulativeLost, 2);
        QCOMPARE(b.highestSequence, quint32(109));
        // The next interval loses nothing: fraction 0, the cumulative figure stays.
        for (quint16 seq = 110; seq < 120; ++seq)
            s.onPacket(seq, 0, 0);
        b = s.makeReportBlock(0);
        QCOMPARE(b.fractionLost, quint8(0));
        QCOMPARE(b.cumulativeLost, 2);
        QCOMPARE(b.highestSequence, quint32(119));
    }

    void probationRestartsOnAGap()
    {
        ReceptionStats s;
        QVERIFY(!s.onPacket(10, 0, 0));
        QVERIFY(!s.onPacket(12, 0, 0)); // not in sequence: probation again
        QVERIFY(s.onPacket(13, 0, 0));
        QCOMPARE(s.expected(), 1);
        QCOMPARE(s.received(), 1);
    }

    void sequenceWrapCountsACycle()
    {
        ReceptionStats s;
        for (quint16 seq : {65533, 65534, 65535, 0, 1})
            s.onPacket(seq, 0, 0);
        QCOMPARE(s.extendedHighestSequence(), quint32(65536 + 1));
        QCOMPARE(s.expected(), 4); // 65534 .. 65536+1
        QCOMPARE(s.cumulativeLost(), 0);
    }

    void duplicatesMakeLossNegative()
    {
        ReceptionStats s;
        for (quint16 seq : {10, 11, 12, 12})
            s.onPacket(seq, 0, 0);
        QCOMPARE(s.expected(), 2);
        QCOMPARE(s.received(), 3);
        const ReportBlock b = s.makeReportBlock(0);
        QCOMPARE(b.cumulativeLost, -1);
        QCOMPARE(b.fractionLost, quint8(0));
    }

    void largeJumpIsARestartOnlyWhenConfirmed()
    {
        ReceptionStats s;
        for (quint16 seq : {1000, 1001, 1002})
            s.onPacket(seq, 0, 0);
        QVERIFY(!s.onPacket(40000, 0, 0)); // one stray packet: not counted
        QVERIFY(s.onPacket(1003, 0, 0));
        QCOMPARE(s.expected(), 3);
        QVERIFY(!s.onPacket(50000, 0, 0));
        QVERIFY(s.onPacket(50001, 0, 0)); // the source restarted: counting starts again
        QCOMPARE(s.expected(), 1);
        QCOMPARE(s.received(), 1);
    }

    void interarrivalJitter()
    {
        // 20 ms packets (960 samples at 48 kHz); the fourth arrives 5 ms (240
        // samples) late, the fifth on time again. A.8 with J scaled by 16:
        // J = 240 after the fourth (reported 15), then 240 + 240 - 15 = 465 (reported 29).
        ReceptionStats s(1, 48000);
        const qint64 arrivals[] = {1'000'000, 1'020'000, 1'040'000, 1'065'000, 1'080'000};
        for (int i = 0; i < 5; ++i) {
            s.onPacket(quint16(7 + i), quint32(960 * i), arrivals[i]);
            if (i == 3)
                QCOMPARE(s.jitter(), quint32(15));
        }
        QCOMPARE(s.jitter(), quint32(29));
        QCOMPARE(s.makeReportBlock(0).jitter, quint32(29));
        QVERIFY(qAbs(s.jitterMs() - 29.0 / 48.0) < 1e-9);
    }

    void ntpConversions()
    {
        // 1970-01-01 00:00:00.5 is NTP 2208988800.5.
        QCOMPARE(ntp::fromUnixMicroseconds(500'000), (2208988800ull << 32) | 0x80000000ull);
        QCOMPARE(ntp::middle32((0x0001b7108000ull << 16) | 0x1234), quint32(0xb7108000));
        QCOMPARE(ntp::toShortUnits(5'250'000), quint32(0x00054000)); // 5.25 s
        QCOMPARE(ntp::shortUnitsToMs(0x00062000), 6125.0);
    }

    void roundTripFromTheRfcExample()
    {
        // RFC 3550 6.4.1, figure 2: A = 0xb710:8000, LSR = 0xb705:2000,
        // DLSR = 0x0005:4000, so the round trip is 0x0006:2000 = 6.125 s.
        const qint64 ntpSecondsBase = (kT0 / 1'000'000 + ntp::kUnixEpochOffsetSeconds) & ~0xffffll;
        const qint64 arrivalUs =
            (ntpSecondsBase + 0xb710 - qint64(ntp::kUnixEpochOffsetSeconds)) * 1'000'000 + 500'000;
        QCOMPARE(ntp::middle32(ntp::fromUnixMicroseconds(arrivalUs)), quint32(0xb7108000));
        RtcpSession session(0xaaaa, "alice");
        RtcpCompound rr;
        rr.receiverReports.push_back({0xbbbb, {{0xaaaa, 0, 0, 0, 0, 0xb7052000, 0x00054000}}});
        session.onRtcpReceived(rr, arrivalUs);
        QVERIFY(session.remoteView().roundTripMs);
        QCOMPARE(*session.remoteView().roundTripMs, 6125.0);
    }

    void twoSessionsMeasureLossAndRoundTrip()
    {
        // Alice sends 50 packets, 5 of them are lost; bob reports 200 ms after
        // her SR arrived; the one-way delay is 50 ms both ways: RTT 100 ms.
        RtcpSession alice(0xa11ce, "alice@laptop");
        RtcpSession bob(0xb0b, "bob@desk");
        qint64 now = kT0;
        for (int i = 0; i < 50; ++i, now += 20'000) {
            RtpPacket p;
            p.payloadType = 111;
            p.ssrc = 0xa11ce;
            p.sequence = quint16(65500 + i);
            p.timestamp = quint32(960 * i);
            p.payload = QByteArray(60, 'x');
            alice.onRtpSent(p, now);
            if (i % 10 != 5)
                bob.onRtpReceived(p, now + 50'000);
        }
        QCOMPARE(alice.packetsSent(), 50u);
        QCOMPARE(alice.octetsSent(), 3000u);
        const RtcpCompound sr = alice.makeReport(now);
        QCOMPARE(sr.senderReports.size(), size_t(1));
        QCOMPARE(sr.senderReports[0].info.packetCount, 50u);
        QCOMPARE(sr.sdes[0].cname, QByteArray("alice@laptop"));
        // Through the wire format, as it travels.
        const auto srOnWire = RtcpCompound::parse(sr.serialize());
        QVERIFY(srOnWire);
        bob.onRtcpReceived(*srOnWire, now + 50'000);
        const RtcpCompound rr = bob.makeReport(now + 250'000);
        QCOMPARE(rr.receiverReports.size(), size_t(1)); // bob sent nothing: RR
        const ReportBlock &block = rr.receiverReports[0].reports.at(0);
        QCOMPARE(block.ssrc, quint32(0xa11ce));
        // Packet 0 was on probation: expected 49 (1..49), received 44, lost 5.
        QCOMPARE(block.cumulativeLost, 5);
        QCOMPARE(block.fractionLost, quint8(5 * 256 / 49));
        QCOMPARE(block.lastSr, ntp::middle32(ntp::fromUnixMicroseconds(now)));
        QCOMPARE(block.delaySinceLastSr, ntp::toShortUnits(200'000));
        const auto rrOnWire = RtcpCompound::parse(rr.serialize());
        QVERIFY(rrOnWire);
        alice.onRtcpReceived(*rrOnWire, now + 300'000);
        const auto &view = alice.remoteView();
        QVERIFY(view.roundTripMs);
        QVERIFY2(qAbs(*view.roundTripMs - 100.0) < 0.1,
                 qPrintable(QString::number(*view.roundTripMs)));
        QCOMPARE(view.cumulativeLost, 5);
        QVERIFY(qAbs(view.fractionLostPercent - (5 * 256 / 49) * 100.0 / 256.0) < 1e-9);
    }

    void senderReportOnlyWhileSending()
    {
        RtcpSession s(1, "x");
        QCOMPARE(s.makeReport(kT0).receiverReports.size(), size_t(1));
        RtpPacket p;
        p.ssrc = 1;
        s.onRtpSent(p, kT0);
        QCOMPARE(s.makeReport(kT0).senderReports.size(), size_t(1));
        QCOMPARE(s.makeReport(kT0).senderReports.size(), size_t(1));
        // Two report intervals without sending: a receiver again.
        QCOMPARE(s.makeReport(kT0).receiverReports.size(), size_t(1));
        const RtcpCompound bye = s.makeBye(kT0, "hung up");
        QVERIFY(bye.bye);
        QCOMPARE(bye.bye->ssrcs, std::vector<quint32>{1});
        RtcpSession peer(2, "y");
        peer.setRemoteSsrc(1);
        peer.onRtcpReceived(bye, kT0);
        QVERIFY(peer.remoteSaidBye());
    }

    void otherSourcesAndForgedReportsIgnored()
    {
        RtcpSession s(1, "x");
        RtpPacket p;
        p.ssrc = 7;
        p.sequence = 1;
        s.onRtpReceived(p, kT0);
        p.ssrc = 8; // a second source on the same session is not ours
        QVERIFY(!s.onRtpReceived(p, kT0));
        // A block whose LSR lies in the future gives a negative RTT: ignored.
        RtcpCompound rr;
        const quint32 future = ntp::middle32(ntp::fromUnixMicroseconds(kT0 + 10'000'000));
        rr.receiverReports.push_back({7, {{1, 0, 0, 0, 0, future, 0}}});
        s.onRtcpReceived(rr, kT0);
        QVERIFY(!s.remoteView().roundTripMs);
    }
};

QTEST_APPLESS_MAIN(TestReceptionStats)
#include "tst_receptionstats.moc"
