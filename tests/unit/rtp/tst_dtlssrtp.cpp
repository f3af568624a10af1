// DTLS-SRTP between two endpoints over real loopback UDP sockets: the
// handshake completes with the fingerprints from "signaling", both sides agree
// on the SRTP profile and exchange protected RTP and RTCP; a wrong fingerprint
// and a silent peer fail with a clear reason within their bounds.
#include "rtp/DtlsCertificate.h"
#include "rtp/DtlsSrtpTransport.h"
#include "rtp/RtcpPacket.h"
#include "rtp/RtpPacket.h"
#include "rtp/UdpDatagramTransport.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include <openssl/evp.h>
#include <openssl/x509.h>

using namespace softphone::rtp;

namespace {
struct Endpoint
{
    std::shared_ptr<const DtlsCertificate> certificate = DtlsCertificate::generate();
    UdpDatagramTransport udp;
    std::unique_ptr<DtlsSrtpTransport> dtls;
    QList<QByteArray> wire; // every datagram that arrived, as it was on the wire
};

void connectUdp(Endpoint &a, Endpoint &b)
{
    QVERIFY(a.udp.bind(QHostAddress::LocalHost));
    QVERIFY(b.udp.bind(QHostAddress::LocalHost));
    a.udp.setPeer(QHostAddress::LocalHost, b.udp.localPort());
    b.udp.setPeer(QHostAddress::LocalHost, a.udp.localPort());
    for (Endpoint *e : {&a, &b})
        QObject::connect(&e->udp, &DatagramTransport::datagramReceived,
                         [e](const QByteArray &d) { e->wire.append(d); });
}

// alice offered (a=setup:actpass), bob answered (active): he is the DTLS
// client. Each expects the other's fingerprint unless told otherwise.
void makeTransports(Endpoint &alice, Endpoint &bob, const QString &aliceExpects = {},
                    const DtlsSrtpTransport::Settings &bobSettings = {})
{
    alice.dtls = std::make_unique<DtlsSrtpTransport>(
        alice.certificate, DtlsSrtpTransport::Role::Server,
        aliceExpects.isEmpty() ? bob.certificate->fingerprint() : aliceExpects, &alice.udp);
    bob.dtls = std::make_unique<DtlsSrtpTransport>(bob.certificate, DtlsSrtpTransport::Role::Client,
                                                   alice.certificate->fingerprint(), &bob.udp,
                                                   bobSettings);
}

QByteArray rtp(quint16 sequence, const QByteArray &payload)
{
    RtpPacket p;
    p.payloadType = 111;
    p.sequence = sequence;
    p.timestamp = 960u * sequence;
    p.ssrc = 0xc0ffee;
    p.payload = payload;
    return p.serialize();
}
} // namespace

class TestDtlsSrtp : public QObject
{
    Q_OBJECT

private slots:
    void certificateAndFingerprint()
    {
        QString error;
        const auto a = DtlsCertificate::generate(&error);
        QVERIFY2(a, qPrintable(error));
        const auto b = DtlsCertificate::generate();
        QVERIFY(b);
        static const QRegularExpression form(
            QStringLiteral("^sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}$"));
        QVERIFY2(form.match(a->fingerprint()).hasMatch(), qPrintable(a->fingerprint()));
        QVERIFY(a->fingerprint() != b->fingerprint()); // a fresh key per endpoint
        QCOMPARE(EVP_PKEY_get_bits(a->key()), 256);
        QCOMPARE(EVP_PKEY_get_base_id(a->key()), EVP_PKEY_EC);
        // The fingerprint is SHA-256 of the DER certificate.
        const QByteArray der = a->der();
        QVERIFY(!der.isEmpty());
        unsigned char md[32];
        unsigned int len = 0;
        QVERIFY(EVP_Digest(der.constData(), size_t(der.size()), md, &len, EVP_sha256(), nullptr));
        QCOMPARE(a->fingerprint(),
                 "sha-256 " +
                     QByteArray(reinterpret_cast<char *>(md), int(len)).toHex(':').toUpper());
        QVERIFY(DtlsCertificate::fingerprintsMatch(a->fingerprint(), a->fingerprint().toLower()));
        QVERIFY(!DtlsCertificate::fingerprintsMatch(a->fingerprint(), b->fingerprint()));
        QVERIFY(!DtlsCertificate::fingerprintsMatch("sha-1 AB:CD", "sha-1 AB:CD"));
    }

    void handshakeThenSrtpBothWays()
    {
        Endpoint alice, bob;
        connectUdp(alice, bob);
        // bob answered the call (a=setup:active): he is the DTLS client.
        makeTransports(alice, bob);
        QSignalSpy aliceUp(alice.dtls.get(), &DtlsSrtpTransport::connected);
        QSignalSpy bobUp(bob.dtls.get(), &DtlsSrtpTransport::connected);
        QSignalSpy aliceRtp(alice.dtls.get(), &DtlsSrtpTransport::rtpReceived);
        QSignalSpy bobRtp(bob.dtls.get(), &DtlsSrtpTransport::rtpReceived);
        QSignalSpy bobRtcp(bob.dtls.get(), &DtlsSrtpTransport::rtcpReceived);
        alice.dtls->start();
        bob.dtls->start();
        QTRY_VERIFY_WITH_TIMEOUT(aliceUp.size() == 1 && bobUp.size() == 1, 10000);
        QVERIFY(alice.dtls->profile());
        QCOMPARE(alice.dtls->profile(), bob.dtls->profile());
        qInfo() << "negotiated" << SrtpSession::profileName(*alice.dtls->profile());

        const QByteArray payload("opus payload that must never be seen on the wire");
        for (quint16 seq = 1; seq <= 20; ++seq) {
            QString error;
            QVERIFY2(alice.dtls->sendRtp(rtp(seq, payload), &error), qPrintable(error));
            QVERIFY2(bob.dtls->sendRtp(rtp(seq + 1000, payload), &error), qPrintable(error));
        }
        RtcpCompound report;
        report.receiverReports.push_back({0xc0ffee, {}});
        report.sdes.push_back({0xc0ffee, "alice@laptop"});
        QVERIFY(alice.dtls->sendRtcp(report.serialize()));
        QTRY_VERIFY_WITH_TIMEOUT(
            bobRtp.size() == 20 && aliceRtp.size() == 20 && bobRtcp.size() == 1, 5000);
        QCOMPARE(bobRtp.at(0).at(0).toByteArray(), rtp(1, payload));
        QCOMPARE(aliceRtp.at(19).at(0).toByteArray(), rtp(1020, payload));
        QCOMPARE(bobRtcp.at(0).at(0).toByteArray(), report.serialize());
        // What travelled: DTLS records and SRTP, never the plain payload or CNAME.
        for (const QList<QByteArray> *wire : {&alice.wire, &bob.wire})
            for (const QByteArray &d : *wire) {
                QVERIFY(!d.contains(payload));
                QVERIFY(!d.contains("alice@laptop"));
            }
        QCOMPARE(alice.dtls->refusedPackets(), 0u);

        // A replayed datagram is refused, not delivered twice.
        const QByteArray replay = bob.wire.last();
        const qsizetype before = bobRtcp.size() + bobRtp.size();
        emit bob.udp.datagramReceived(replay);
        QCOMPARE(bobRtcp.size() + bobRtp.size(), before);
        QCOMPARE(bob.dtls->refusedPackets(), 1u);

        // close_notify ends media on both sides.
        QSignalSpy bobClosed(bob.dtls.get(), &DtlsSrtpTransport::closed);
        alice.dtls->close();
        QTRY_COMPARE_WITH_TIMEOUT(bobClosed.size(), 1, 5000);
        QVERIFY(!bob.dtls->sendRtp(rtp(5000, payload)));
    }

    void wrongFingerprintRefused()
    {
        Endpoint alice, bob;
        connectUdp(alice, bob);
        const auto mallory = DtlsCertificate::generate();
        // alice expects a certificate bob does not have (a man in the middle's view).
        makeTransports(alice, bob, mallory->fingerprint());
        QSignalSpy aliceFailed(alice.dtls.get(), &DtlsSrtpTransport::failed);
        QSignalSpy bobFailed(bob.dtls.get(), &DtlsSrtpTransport::failed);
        QSignalSpy aliceUp(alice.dtls.get(), &DtlsSrtpTransport::connected);
        alice.dtls->start();
        bob.dtls->start();
        QTRY_COMPARE_WITH_TIMEOUT(aliceFailed.size(), 1, 10000);
        const QString why = aliceFailed.at(0).at(0).toString();
        QVERIFY2(why.contains("does not match the fingerprint from signaling"), qPrintable(why));
        QVERIFY(why.contains(bob.certificate->fingerprint()));
        // bob hears the alert and fails too, long before his deadline.
        QTRY_COMPARE_WITH_TIMEOUT(bobFailed.size(), 1, 5000);
        const QString bobWhy = bobFailed.at(0).at(0).toString();
        QVERIFY2(bobWhy.contains("refused by the peer"), qPrintable(bobWhy));
        QCOMPARE(aliceUp.size(), 0);
        QVERIFY(!alice.dtls->sendRtp(rtp(1, "x")));
    }

    void silentPeerTimesOut()
    {
        Endpoint alice, silent;
        connectUdp(alice, silent); // silent has a socket and nothing answering on it
        DtlsSrtpTransport::Settings settings;
        settings.handshakeTimeoutMs = 2500;
        settings.firstRetransmitMs = 200;
        alice.dtls = std::make_unique<DtlsSrtpTransport>(
            alice.certificate, DtlsSrtpTransport::Role::Client, silent.certificate->fingerprint(),
            &alice.udp, settings);
        QSignalSpy failed(alice.dtls.get(), &DtlsSrtpTransport::failed);
        QElapsedTimer clock;
        clock.start();
        alice.dtls->start();
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 8000);
        const QString why = failed.at(0).at(0).toString();
        QVERIFY2(why.contains("timed out") || why.contains("gave up"), qPrintable(why));
        QVERIFY(clock.elapsed() < 6000);
        // 200, 400, 800, 1600 ms: the hello and at most a few retransmissions.
        QTRY_VERIFY_WITH_TIMEOUT(!silent.wire.isEmpty(), 1000);
        QVERIFY2(silent.wire.size() <= 1 + settings.maxRetransmits,
                 qPrintable(QString::number(silent.wire.size())));
        QVERIFY(alice.dtls->retransmits() >= 2);
    }

    void profileFollowsWhatBothOffer()
    {
        Endpoint alice, bob;
        connectUdp(alice, bob);
        DtlsSrtpTransport::Settings cmOnly;
        cmOnly.profiles = {SrtpProfile::AesCm128HmacSha1_80};
        makeTransports(alice, bob, {}, cmOnly);
        QSignalSpy aliceUp(alice.dtls.get(), &DtlsSrtpTransport::connected);
        QSignalSpy bobUp(bob.dtls.get(), &DtlsSrtpTransport::connected);
        alice.dtls->start();
        bob.dtls->start();
        QTRY_VERIFY_WITH_TIMEOUT(aliceUp.size() == 1 && bobUp.size() == 1, 10000);
        QCOMPARE(alice.dtls->profile(), SrtpProfile::AesCm128HmacSha1_80);
        QCOMPARE(bob.dtls->profile(), SrtpProfile::AesCm128HmacSha1_80);
        QSignalSpy got(alice.dtls.get(), &DtlsSrtpTransport::rtpReceived);
        QVERIFY(bob.dtls->sendRtp(rtp(9, "cm")));
        QTRY_COMPARE_WITH_TIMEOUT(got.size(), 1, 5000);
    }

    void junkBeforeTheHandshakeIsIgnored()
    {
        Endpoint alice, bob;
        connectUdp(alice, bob);
        makeTransports(alice, bob);
        QSignalSpy aliceUp(alice.dtls.get(), &DtlsSrtpTransport::connected);
        QSignalSpy bobUp(bob.dtls.get(), &DtlsSrtpTransport::connected);
        alice.dtls->start();
        // Junk that looks like DTLS, an RTP packet before any key, and STUN.
        emit alice.udp.datagramReceived(QByteArray::fromHex("16fefd0000000000000000ffff01"));
        emit alice.udp.datagramReceived(rtp(1, "early"));
        emit alice.udp.datagramReceived(QByteArray::fromHex("0001000020"));
        bob.dtls->start();
        QTRY_VERIFY_WITH_TIMEOUT(aliceUp.size() == 1 && bobUp.size() == 1, 10000);
    }
};

QTEST_GUILESS_MAIN(TestDtlsSrtp)
#include "tst_dtlssrtp.moc"
