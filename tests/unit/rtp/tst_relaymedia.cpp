// A call's voice on the WebSocket relay path (docs/media.md "UDP media"): two
// UdpMediaChannels without ICE whose datagrams go through a "relay" of this
// test, as the calling service forwards binary frames. The DTLS handshake
// runs over it, the voice goes as SRTP (no plaintext on the relay, every RTP
// packet its plaintext size plus the 16-byte GCM tag), and a packet altered
// or replayed on the relay is refused, not played.
#include "rtp/PacketKind.h"
#include "rtp/RtpPacket.h"
#include "rtp/UdpMediaChannel.h"

#include <QSignalSpy>
#include <QTest>

using namespace softphone;
using namespace softphone::rtp;

namespace {

// A code-0 Opus packet (TOC 0x78: hybrid, 20 ms, one frame) around a marker
// the relay must never see.
const QByteArray kMarker = QByteArrayLiteral("PLAIN-OPUS-MARKER-0123456789");

media::MediaFrame frame(quint16 sequence)
{
    media::MediaFrame f;
    f.sequence = sequence;
    f.timestamp = 960u * sequence;
    f.payload = QByteArray(1, char(0x78)) + kMarker;
    return f;
}

struct Party
{
    explicit Party(bool caller)
        : channel(caller, DtlsCertificate::generate(), settings())
    {
        QObject::connect(&channel, &UdpMediaChannel::frameReceived,
                         [this](const media::MediaFrame &f) { heard.append(f); });
    }
    static UdpMediaChannel::Settings settings()
    {
        UdpMediaChannel::Settings s;
        s.useIce = false;
        return s;
    }
    UdpMediaChannel channel;
    QList<media::MediaFrame> heard;
};

// What the service forwards, with a hook to alter or hold a frame on its way.
struct Relay
{
    QList<QByteArray> seen; // every frame, as it went through
    std::function<QByteArray(QByteArray)> alter = [](QByteArray d) { return d; };
};

void link(Party &from, Party &to, Relay &relay)
{
    from.channel.setRelay([&to, &relay](const QByteArray &datagram) {
        const QByteArray forwarded = relay.alter(datagram);
        relay.seen.append(forwarded);
        // Queued, as a frame through a socket would be.
        QMetaObject::invokeMethod(
            &to.channel, [&to, forwarded] { to.channel.relayDatagramReceived(forwarded); },
            Qt::QueuedConnection);
        return true;
    });
}

} // namespace

class TestRelayMedia : public QObject
{
    Q_OBJECT

    // alice called (DTLS server), bob answered (DTLS client); both on the relay.
    void connectBoth(Party &alice, Party &bob, Relay &relay)
    {
        link(alice, bob, relay);
        link(bob, alice, relay);
        QVERIFY(alice.channel.start());
        QVERIFY(bob.channel.start());
        QVERIFY(alice.channel.localDescription().ice.ufrag.isEmpty()); // no ICE offered
        alice.channel.setRemoteDescription({{}, bob.channel.localDescription().fingerprint});
        bob.channel.setRemoteDescription({{}, alice.channel.localDescription().fingerprint});
        // The callee takes the relay first; the caller answers its first
        // flight on it before taking the relay itself.
        bob.channel.useRelay(true);
        QTRY_COMPARE_WITH_TIMEOUT(bob.channel.state(), UdpMediaChannel::State::Connected, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(alice.channel.state(), UdpMediaChannel::State::Connected, 5000);
        alice.channel.useRelay(true);
    }

private slots:
    void voiceOnTheRelayIsSrtp()
    {
        Party alice(true);
        Party bob(false);
        Relay relay;
        connectBoth(alice, bob, relay);
        QCOMPARE(alice.channel.profile(), SrtpProfile::AeadAes128Gcm);
        for (quint16 i = 1; i <= 20; ++i) {
            QVERIFY(alice.channel.sendFrame(frame(i)));
            QVERIFY(bob.channel.sendFrame(frame(1000 + i)));
        }
        QTRY_COMPARE_WITH_TIMEOUT(bob.heard.size(), 20, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(alice.heard.size(), 20, 5000);
        QCOMPARE(bob.heard.first().payload, frame(1).payload);
        QCOMPARE(alice.heard.last().sequence, quint16(1020));

        int dtls = 0;
        int rtp = 0;
        for (const QByteArray &d : std::as_const(relay.seen)) {
            QVERIFY2(!d.contains(kMarker), "plain Opus on the relay");
            switch (classifyPacket(d)) {
            case PacketKind::Dtls:
                ++dtls;
                break;
            case PacketKind::Rtp: {
                ++rtp;
                // The clear header (12 bytes), the payload, the GCM tag.
                QCOMPARE(d.size(), 12 + frame(1).payload.size() + 16);
                break;
            }
            case PacketKind::Rtcp:
                break;
            default:
                QFAIL("a frame on the relay that is neither DTLS nor SRTP/SRTCP");
            }
        }
        QVERIFY(dtls >= 4); // both flights of the handshake
        QCOMPARE(rtp, 40);
    }

    void alteredOrReplayedPacketIsNotPlayed()
    {
        Party alice(true);
        Party bob(false);
        Relay relay;
        connectBoth(alice, bob, relay);
        QVERIFY(alice.channel.sendFrame(frame(1)));
        QTRY_COMPARE_WITH_TIMEOUT(bob.heard.size(), 1, 5000);

        // One bit of the encrypted payload flipped on the relay.
        relay.alter = [](QByteArray d) {
            if (classifyPacket(d) == PacketKind::Rtp)
                d[20] = char(d[20] ^ 0x01);
            return d;
        };
        QVERIFY(alice.channel.sendFrame(frame(2)));
        QTRY_COMPARE_WITH_TIMEOUT(bob.channel.refusedPackets(), quint64(1), 5000);
        // A replayed packet (the relay sends the first one again).
        relay.alter = [](QByteArray d) { return d; };
        const QByteArray first = relay.seen.at(relay.seen.size() - 2);
        QCOMPARE(classifyPacket(first), PacketKind::Rtp);
        bob.channel.relayDatagramReceived(first);
        QCOMPARE(bob.channel.refusedPackets(), quint64(2));
        // Junk on the relay changes nothing either.
        bob.channel.relayDatagramReceived(QByteArray("\x80\x6f not srtp at all, no tag"));
        QCOMPARE(bob.channel.refusedPackets(), quint64(3));

        QVERIFY(alice.channel.sendFrame(frame(3)));
        QTRY_COMPARE_WITH_TIMEOUT(bob.heard.size(), 2, 5000);
        QCOMPARE(bob.heard.at(0).sequence, quint16(1));
        QCOMPARE(bob.heard.at(1).sequence, quint16(3)); // 2 was refused, 1 not played twice
    }
};

QTEST_GUILESS_MAIN(TestRelayMedia)
#include "tst_relaymedia.moc"
