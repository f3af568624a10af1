#include "EcdsaTwin.h"
#include "crypto/Base64Url.h"
#include "crypto/EcKey.h"

#include <QTest>

using namespace softphone;
using namespace softphone::crypto;

namespace {
QByteArray b64(const char *text)
{
    return fromBase64Url(QByteArray(text)).value_or(QByteArray());
}
// RFC 8291 Appendix A.
const QByteArray kUaPrivate = b64("q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94");
const QByteArray kUaPublic =
    b64("BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4");
const QByteArray kAsPrivate = b64("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw");
const QByteArray kAsPublic =
    b64("BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8");
const QByteArray kEcdh = b64("kyrL1jIIOHEzg3sM2ZWRHDRB62YACZhhSlknJ672kSs");
} // namespace

class TestEcKey : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void generate()
    {
        const EcKey key = EcKey::generate();
        QVERIFY(!key.isNull());
        QVERIFY(key.hasPrivate());
        QCOMPARE(key.publicRaw().size(), 65);
        QCOMPARE(key.publicRaw().at(0), '\x04');
        QCOMPARE(key.privateRaw().size(), 32);
        QVERIFY(EcKey::generate().publicRaw() != key.publicRaw());
    }

    void nullKey()
    {
        const EcKey key;
        QVERIFY(key.isNull());
        QVERIFY(!key.hasPrivate());
        QVERIFY(key.publicRaw().isEmpty());
        QVERIFY(key.privatePem().isEmpty());
        QVERIFY(key.signEs256("x").isEmpty());
        QVERIFY(!key.verifyEs256("x", QByteArray(64, 1)));
        QVERIFY(key.deriveSharedSecret(EcKey::generate()).isEmpty());
    }

    void rfc8291Keys()
    {
        const auto ua = EcKey::fromPrivateRaw(kUaPrivate);
        const auto as = EcKey::fromPrivateRaw(kAsPrivate);
        QVERIFY(ua && as);
        QCOMPARE(ua->publicRaw(), kUaPublic);
        QCOMPARE(as->publicRaw(), kAsPublic);
        QCOMPARE(ua->privateRaw(), kUaPrivate);
        const auto uaPub = EcKey::fromPublicRaw(kUaPublic);
        const auto asPub = EcKey::fromPublicRaw(kAsPublic);
        QVERIFY(uaPub && asPub);
        QVERIFY(!uaPub->hasPrivate());
        QVERIFY(uaPub->privateRaw().isEmpty());
        QCOMPARE(ua->deriveSharedSecret(*asPub), kEcdh);
        QCOMPARE(as->deriveSharedSecret(*uaPub), kEcdh);
        QVERIFY(uaPub->deriveSharedSecret(*asPub).isEmpty()); // no private half
    }

    void badRawKeys()
    {
        QVERIFY(!EcKey::fromPrivateRaw(QByteArray()));
        QVERIFY(!EcKey::fromPrivateRaw(QByteArray(31, 1)));
        QVERIFY(!EcKey::fromPrivateRaw(QByteArray(33, 1)));
        QVERIFY(!EcKey::fromPrivateRaw(QByteArray(32, 0)));      // zero scalar
        QVERIFY(!EcKey::fromPrivateRaw(QByteArray(32, '\xff'))); // above the group order
        const QByteArray order =
            QByteArray::fromHex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
        QVERIFY(!EcKey::fromPrivateRaw(order));
        QByteArray orderMinusOne = order;
        orderMinusOne[31] = char(0x50);
        QVERIFY(EcKey::fromPrivateRaw(orderMinusOne));

        QVERIFY(!EcKey::fromPublicRaw(QByteArray()));
        QVERIFY(!EcKey::fromPublicRaw(kUaPublic.left(64)));
        QVERIFY(!EcKey::fromPublicRaw(kUaPublic + '\0'));
        QByteArray compressedTag = kUaPublic;
        compressedTag[0] = 0x02;
        QVERIFY(!EcKey::fromPublicRaw(compressedTag));
        QByteArray offCurve = kUaPublic;
        offCurve[64] = char(offCurve[64] ^ 1);
        QVERIFY(!EcKey::fromPublicRaw(offCurve));
        QVERIFY(!EcKey::fromPublicRaw(QByteArray(1, 4) + QByteArray(64, 0)));
    }

    void pemRoundTrip()
    {
        const EcKey key = EcKey::generate();
        const QByteArray priv = key.privatePem();
        const QByteArray pub = key.publicPem();
        QVERIFY(priv.startsWith("-----BEGIN PRIVATE KEY-----"));
        QVERIFY(pub.startsWith("-----BEGIN PUBLIC KEY-----"));
        const auto fromPriv = EcKey::fromPem(priv);
        const auto fromPub = EcKey::fromPem(pub);
        QVERIFY(fromPriv && fromPub);
        QVERIFY(fromPriv->hasPrivate());
        QVERIFY(!fromPub->hasPrivate());
        QCOMPARE(fromPriv->privateRaw(), key.privateRaw());
        QCOMPARE(fromPub->publicRaw(), key.publicRaw());
        QVERIFY(fromPub->privatePem().isEmpty());
        QVERIFY(!EcKey::fromPem(QByteArray()));
        QVERIFY(!EcKey::fromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"));
        QVERIFY(!EcKey::fromPem(priv.left(priv.size() / 2)));
    }

    void signVerify()
    {
        const EcKey key = EcKey::generate();
        const QByteArray msg = "header.payload";
        const QByteArray sig = key.signEs256(msg);
        QCOMPARE(sig.size(), 64);
        QVERIFY(key.verifyEs256(msg, sig));
        const auto pub = EcKey::fromPublicRaw(key.publicRaw());
        QVERIFY(pub->verifyEs256(msg, sig));
        QVERIFY(!pub->verifyEs256(msg + 'x', sig));
        QVERIFY(!EcKey::generate().verifyEs256(msg, sig));
        QVERIFY(!pub->verifyEs256(msg, sig.left(63)));
        QVERIFY(!pub->verifyEs256(msg, sig + '\0'));
        QVERIFY(!pub->verifyEs256(msg, QByteArray(64, 0)));
        QByteArray flipped = sig;
        flipped[10] = char(flipped[10] ^ 0x40);
        QVERIFY(!pub->verifyEs256(msg, flipped));
        QVERIFY(pub->signEs256(msg).isEmpty()); // public key cannot sign
        QVERIFY(key.verifyEs256(QByteArray(), key.signEs256(QByteArray())));
    }

    // ECDSA is malleable: (r, n - s) verifies wherever (r, s) does. We sign
    // only low-S and refuse the high-S twin, which plain OpenSSL accepts.
    void highSTwinRefused()
    {
        const EcKey key = EcKey::generate();
        const auto pub = EcKey::fromPublicRaw(key.publicRaw());
        int twinsAccepted = 0;
        for (int i = 0; i < 64; ++i) {
            const QByteArray msg = "token-" + QByteArray::number(i);
            const QByteArray sig = key.signEs256(msg);
            QVERIFY2(ecdsatest::isLowS(sig), "signEs256 produced a high-S signature");
            QVERIFY(pub->verifyEs256(msg, sig));
            const QByteArray twin = ecdsatest::highSTwin(sig);
            QVERIFY(twin != sig);
            if (ecdsatest::openSslAccepts(*pub, msg, twin))
                ++twinsAccepted;
            QVERIFY2(!pub->verifyEs256(msg, twin), "the high-S twin verified");
            // Accepted only where asked for (signers we do not control: VAPID).
            QVERIFY(pub->verifyEs256(msg, twin, EcKey::SForm::Either));
        }
        QCOMPARE(twinsAccepted, 64); // the twins are real ECDSA signatures
    }

    void copyAndMove()
    {
        EcKey a = EcKey::generate();
        const QByteArray pub = a.publicRaw();
        EcKey b = a;
        QCOMPARE(b.publicRaw(), pub);
        EcKey c = std::move(a);
        QVERIFY(a.isNull()); // NOLINT(bugprone-use-after-move): moved-from state is part of the
                             // contract
        QCOMPARE(c.publicRaw(), pub);
        b = EcKey();
        QVERIFY(b.isNull());
        b = c;
        EcKey &alias = b;
        b = alias; // self-assignment keeps the key
        QCOMPARE(b.publicRaw(), pub);
        c = std::move(b);
        QCOMPARE(c.publicRaw(), pub);
    }
};

QTEST_GUILESS_MAIN(TestEcKey)
#include "tst_eckey.moc"
