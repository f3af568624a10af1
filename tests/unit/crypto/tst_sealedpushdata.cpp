// SealedPushData: only the key it was sealed to opens it, any change to the
// bytes is refused, and a realistic subscription fits the 1024-byte limit.
#include "crypto/SealedPushData.h"
#include "crypto/SymmetricCrypto.h"

#include <QTest>

using namespace softphone::crypto;

class TestSealedPushData : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip()
    {
        const EcKey server = EcKey::generate();
        const auto serverPublic = EcKey::fromPublicRaw(server.publicRaw());
        QVERIFY(serverPublic);
        const QByteArray plain = R"({"provider":"webpush","subscription":{}})";
        const QByteArray sealed = sealPushData(*serverPublic, plain);
        QCOMPARE(sealed.size(), plain.size() + kSealedPushDataOverhead);
        QVERIFY(!sealed.contains("webpush"));
        QCOMPARE(sealedPushDataKeyIdOf(sealed), sealedPushDataKeyId(server));
        QString why;
        QCOMPARE(openSealedPushData(server, sealed, &why), plain);
        // A fresh ephemeral key each time: two seals of the same data differ.
        QVERIFY(sealPushData(*serverPublic, plain) != sealed);
    }

    void onlyTheRightKeyOpensIt()
    {
        const EcKey server = EcKey::generate();
        const QByteArray sealed = sealPushData(server, "secret endpoint");
        QString why;
        QVERIFY(!openSealedPushData(EcKey::generate(), sealed, &why));
        QCOMPARE(why, QStringLiteral("sealed to another key"));
        // The public key alone cannot open it either.
        QVERIFY(!openSealedPushData(*EcKey::fromPublicRaw(server.publicRaw()), sealed, &why));
    }

    void everyChangedByteIsRefused()
    {
        const EcKey server = EcKey::generate();
        const QByteArray sealed = sealPushData(server, "0123456789");
        for (qsizetype i = 0; i < sealed.size(); ++i) {
            QByteArray changed = sealed;
            changed[i] = char(changed.at(i) ^ 0x01);
            QString why;
            QVERIFY2(!openSealedPushData(server, changed, &why), qPrintable(QString::number(i)));
            QVERIFY(!why.isEmpty());
        }
        QString why;
        QVERIFY(!openSealedPushData(server, sealed.left(sealed.size() - 1), &why));
        QVERIFY(!openSealedPushData(server, QByteArray(), &why));
        QCOMPARE(why, QStringLiteral("too short for sealed push data"));
        QVERIFY(!sealedPushDataKeyIdOf(R"({"provider":"webpush"})"));
    }

    void sizeLimit()
    {
        const EcKey server = EcKey::generate();
        QString why;
        QVERIFY(sealPushData(server, QByteArray(1024 - kSealedPushDataOverhead, 'x')).size() ==
                1024);
        QVERIFY(
            sealPushData(server, QByteArray(1024 - kSealedPushDataOverhead + 1, 'x'), 1024, &why)
                .isEmpty());
        QVERIFY(why.contains(QStringLiteral("too long")));
    }

    // RFC 5869 Appendix A.1 through the shared helper.
    void hkdfVector()
    {
        const QByteArray okm =
            hkdfSha256(QByteArray::fromHex("000102030405060708090a0b0c"), QByteArray(22, 0x0b),
                       QByteArray::fromHex("f0f1f2f3f4f5f6f7f8f9"), 42);
        QCOMPARE(okm.toHex(), QByteArray("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56"
                                         "ecc4c5bf34007208d5b887185865"));
    }
};

QTEST_GUILESS_MAIN(TestSealedPushData)
#include "tst_sealedpushdata.moc"
