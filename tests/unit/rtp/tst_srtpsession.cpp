// SrtpSession over libsrtp2: what one side protects the other side opens;
// the wire carries no plaintext; a replayed, altered or wrongly keyed packet
// is refused, for RTP and RTCP, with each profile this libsrtp2 has.
#include "rtp/RtcpPacket.h"
#include "rtp/RtpPacket.h"
#include "rtp/SrtpSession.h"

#include <QTest>

using namespace softphone::rtp;

Q_DECLARE_METATYPE(softphone::rtp::SrtpProfile)

class TestSrtpSession : public QObject
{
    Q_OBJECT

    static QByteArray keyMaterial(SrtpProfile profile, char fill)
    {
        QByteArray k(SrtpSession::keySaltSize(profile), fill);
        for (int i = 0; i < k.size(); ++i)
            k[i] = char(fill + i);
        return k;
    }

    struct Pair
    {
        std::unique_ptr<SrtpSession> alice;
        std::unique_ptr<SrtpSession> bob;
    };

    static Pair makePair(SrtpProfile profile)
    {
        const QByteArray a = keyMaterial(profile, 'a'), b = keyMaterial(profile, 'B');
        QString error;
        Pair pair{SrtpSession::create({profile, a, b}, &error),
                  SrtpSession::create({profile, b, a}, &error)};
        if (!pair.alice || !pair.bob)
            qWarning() << error;
        return pair;
    }

    static QByteArray rtp(quint16 sequence)
    {
        RtpPacket p;
        p.payloadType = 111;
        p.sequence = sequence;
        p.timestamp = 960u * sequence;
        p.ssrc = 0x5eed;
        p.payload = QByteArray("the plain opus payload, plain as it gets");
        return p.serialize();
    }

    static int tagSize(SrtpProfile profile)
    {
        return profile == SrtpProfile::AeadAes128Gcm ? 16 : 10;
    }

private slots:
    void profiles_data()
    {
        QTest::addColumn<SrtpProfile>("profile");
        QTest::newRow("AES_CM_128_HMAC_SHA1_80") << SrtpProfile::AesCm128HmacSha1_80;
        QTest::newRow("AEAD_AES_128_GCM") << SrtpProfile::AeadAes128Gcm;
    }

    void rtpRoundTrip_data() { profiles_data(); }
    void rtpRoundTrip()
    {
        QFETCH(SrtpProfile, profile);
        if (!SrtpSession::isSupported(profile))
            QSKIP("this libsrtp2 is built without this profile (Debian's has no OpenSSL backend, "
                  "so no GCM)");
        Pair pair = makePair(profile);
        QVERIFY(pair.alice && pair.bob);
        for (quint16 seq = 65530; seq != 10; ++seq) { // across the wrap
            const QByteArray plain = rtp(seq);
            QByteArray wire = plain;
            QString error;
            QVERIFY2(pair.alice->protectRtp(wire, &error), qPrintable(error));
            QCOMPARE(wire.size(), plain.size() + tagSize(profile));
            QCOMPARE(wire.left(12), plain.left(12)); // the header stays readable
            QVERIFY(!wire.contains("plain opus payload"));
            QVERIFY2(pair.bob->unprotectRtp(wire, &error), qPrintable(error));
            QCOMPARE(wire, plain);
        }
    }

    void rtcpRoundTrip_data() { profiles_data(); }
    void rtcpRoundTrip()
    {
        QFETCH(SrtpProfile, profile);
        if (!SrtpSession::isSupported(profile))
            QSKIP("this libsrtp2 is built without this profile");
        Pair pair = makePair(profile);
        RtcpCompound c;
        c.receiverReports.push_back({0x5eed, {{0xb0b, 12, 3, 100, 4, 5, 6}}});
        c.sdes.push_back({0x5eed, "alice@laptop"});
        const QByteArray plain = c.serialize();
        QByteArray wire = plain;
        QString error;
        QVERIFY2(pair.alice->protectRtcp(wire, &error), qPrintable(error));
        QCOMPARE(wire.size(), plain.size() + 4 + tagSize(profile)); // E flag + index, tag
        QVERIFY(!wire.contains("alice@laptop"));
        QVERIFY2(pair.bob->unprotectRtcp(wire, &error), qPrintable(error));
        QCOMPARE(wire, plain);
        QVERIFY(RtcpCompound::parse(wire));
    }

    void replayRefused_data() { profiles_data(); }
    void replayRefused()
    {
        QFETCH(SrtpProfile, profile);
        if (!SrtpSession::isSupported(profile))
            QSKIP("this libsrtp2 is built without this profile");
        Pair pair = makePair(profile);
        QByteArray wire = rtp(1);
        QVERIFY(pair.alice->protectRtp(wire));
        QByteArray copy = wire;
        QVERIFY(pair.bob->unprotectRtp(wire));
        QString error;
        QVERIFY(!pair.bob->unprotectRtp(copy, &error));
        QVERIFY2(error.contains("replayed"), qPrintable(error));
        // RTCP too.
        RtcpCompound c;
        c.receiverReports.push_back({1, {}});
        QByteArray rtcp = c.serialize();
        QVERIFY(pair.alice->protectRtcp(rtcp));
        QByteArray rtcpCopy = rtcp;
        QVERIFY(pair.bob->unprotectRtcp(rtcp));
        QVERIFY(!pair.bob->unprotectRtcp(rtcpCopy, &error));
        QVERIFY2(error.contains("replayed"), qPrintable(error));
    }

    void alteredOrWronglyKeyedRefused_data() { profiles_data(); }
    void alteredOrWronglyKeyedRefused()
    {
        QFETCH(SrtpProfile, profile);
        if (!SrtpSession::isSupported(profile))
            QSKIP("this libsrtp2 is built without this profile");
        Pair pair = makePair(profile);
        QByteArray wire = rtp(7);
        QVERIFY(pair.alice->protectRtp(wire));
        // One flipped bit anywhere (header, payload, tag) fails authentication.
        for (int pos : {3, 20, int(wire.size()) - 1}) {
            QByteArray altered = wire;
            altered[pos] = char(altered[pos] ^ 0x01);
            QString error;
            QVERIFY(!pair.bob->unprotectRtp(altered, &error));
            QVERIFY2(error.contains("authentication"), qPrintable(error));
        }
        // The untouched packet still opens afterwards: refusals changed nothing.
        QVERIFY(pair.bob->unprotectRtp(wire));
        // A third party with other keys cannot open alice's packets.
        const QByteArray other = keyMaterial(profile, 'z');
        auto eve = SrtpSession::create({profile, other, other});
        QVERIFY(eve);
        QByteArray next = rtp(8);
        QVERIFY(pair.alice->protectRtp(next));
        QString error;
        QVERIFY(!eve->unprotectRtp(next, &error));
        QVERIFY2(error.contains("authentication"), qPrintable(error));
    }

    void badInputRefused()
    {
        QString error;
        QVERIFY(!SrtpSession::create({SrtpProfile::AesCm128HmacSha1_80, "short", "short"}, &error));
        QVERIFY2(error.contains("30 bytes"), qPrintable(error));
        Pair pair = makePair(SrtpProfile::AesCm128HmacSha1_80);
        QByteArray tiny("\x80\x6f", 2);
        QVERIFY(!pair.bob->unprotectRtp(tiny, &error));
        QVERIFY(!error.isEmpty());
        QByteArray header = rtp(1).left(12); // an SRTP packet without its tag
        QVERIFY(!pair.bob->unprotectRtp(header, &error));
    }

    void aesCmIsAlwaysThere()
    {
        QVERIFY(SrtpSession::isSupported(SrtpProfile::AesCm128HmacSha1_80));
    }
};

QTEST_APPLESS_MAIN(TestSrtpSession)
#include "tst_srtpsession.moc"
