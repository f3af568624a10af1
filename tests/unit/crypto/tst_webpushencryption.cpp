#include "crypto/Base64Url.h"
#include "crypto/Random.h"
#include "crypto/WebPushEncryption.h"

#include <QTest>

#include <openssl/evp.h>

using namespace softphone;
using namespace softphone::crypto;

namespace {
QByteArray b64(const char *text)
{
    return fromBase64Url(QByteArray(text)).value_or(QByteArray());
}
// RFC 8291 Appendix A.
const QByteArray kPlaintext = "When I grow up, I want to be a watermelon";
const QByteArray kUaPrivate = b64("q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94");
const QByteArray kUaPublic =
    b64("BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4");
const QByteArray kAsPrivate = b64("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw");
const QByteArray kAuth = b64("BTBZMqHH6r4Tts7J_aSIgg");
const QByteArray kSalt = b64("DGv6ra1nlYgDCS1FRnbzlw");
const QByteArray kCek = b64("oIhVW04MRdy2XN9CiKLxTg");
const QByteArray kNonce = b64("4h_95klXJ5E_qnoN");
const QByteArray kBody =
    b64("DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_"
        "c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6Tlz"
        "AC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_"
        "Qulcy4a-fN");

EcKey uaKey()
{
    return *EcKey::fromPrivateRaw(kUaPrivate);
}

// A body with the vector's header and keys but a record we choose, so padding
// rules can be tested with a valid tag (the header fixes CEK and NONCE).
QByteArray vectorBodyWithRecord(const QByteArray &paddedPlaintext)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    QByteArray ct(paddedPlaintext.size(), Qt::Uninitialized);
    QByteArray tag(16, Qt::Uninitialized);
    int len = 0, fin = 0;
    EVP_EncryptInit_ex2(ctx, EVP_aes_128_gcm(), reinterpret_cast<const uchar *>(kCek.constData()),
                        reinterpret_cast<const uchar *>(kNonce.constData()), nullptr);
    EVP_EncryptUpdate(ctx, reinterpret_cast<uchar *>(ct.data()), &len,
                      reinterpret_cast<const uchar *>(paddedPlaintext.constData()),
                      paddedPlaintext.size());
    EVP_EncryptFinal_ex(ctx, reinterpret_cast<uchar *>(ct.data()) + len, &fin);
    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag.data());
    EVP_CIPHER_CTX_free(ctx);
    return kBody.left(86) + ct + tag;
}
} // namespace

class TestWebPushEncryption : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void decryptRfc8291Vector()
    {
        const auto result = decryptWebPush(kBody, uaKey(), kAuth);
        QVERIFY2(result.ok(), qPrintable(webPushDecryptErrorText(result.error)));
        QCOMPARE(result.plaintext, kPlaintext);
    }

    void encryptRfc8291Vector()
    {
        WebPushEncryptParams params;
        params.senderKey = *EcKey::fromPrivateRaw(kAsPrivate);
        params.salt = kSalt;
        QCOMPARE(encryptWebPush(kPlaintext, kUaPublic, kAuth, params), kBody);
    }

    void ourRecordHelperMatchesVector()
    {
        QCOMPARE(vectorBodyWithRecord(kPlaintext + '\x02'), kBody);
    }

    void roundTrip_data()
    {
        QTest::addColumn<int>("size");
        QTest::newRow("empty") << 0;
        QTest::newRow("one") << 1;
        QTest::newRow("max") << kWebPushMaxPlaintext;
    }
    void roundTrip()
    {
        QFETCH(int, size);
        const EcKey ua = EcKey::generate();
        const QByteArray auth = randomBytes(16);
        const QByteArray plain = randomBytes(size);
        const QByteArray body = encryptWebPush(plain, ua.publicRaw(), auth);
        QCOMPARE(body.size(), 86 + size + 1 + 16);
        QVERIFY(body.size() <= kWebPushMaxBody);
        const auto result = decryptWebPush(body, ua, auth);
        QVERIFY2(result.ok(), qPrintable(webPushDecryptErrorText(result.error)));
        QCOMPARE(result.plaintext, plain);
        // Fresh salt and sender key every time.
        QVERIFY(encryptWebPush(plain, ua.publicRaw(), auth) != body);
    }

    void refusesOversizeAndBadInputs()
    {
        const EcKey ua = EcKey::generate();
        const QByteArray auth = randomBytes(16);
        QVERIFY(encryptWebPush(QByteArray(kWebPushMaxPlaintext + 1, 'x'), ua.publicRaw(), auth)
                    .isEmpty());
        QVERIFY(encryptWebPush("x", ua.publicRaw().left(64), auth).isEmpty());
        QVERIFY(encryptWebPush("x", ua.publicRaw(), auth.left(15)).isEmpty());
        WebPushEncryptParams params;
        params.salt = QByteArray(15, 'a');
        QVERIFY(encryptWebPush("x", ua.publicRaw(), auth, params).isEmpty());
        params = {};
        params.senderKey = *EcKey::fromPublicRaw(kUaPublic); // no private half
        QVERIFY(encryptWebPush("x", ua.publicRaw(), auth, params).isEmpty());
        params = {};
        params.recordSize = 17;
        QVERIFY(encryptWebPush("", ua.publicRaw(), auth, params).isEmpty());
        params.recordSize = 20;
        QVERIFY(encryptWebPush("abcd", ua.publicRaw(), auth, params).isEmpty()); // needs 21
        QVERIFY(!encryptWebPush("abc", ua.publicRaw(), auth, params).isEmpty());
    }

    void everyBitFlipRejected()
    {
        const EcKey ua = uaKey();
        for (int i = 0; i < kBody.size() * 8; ++i) {
            QByteArray body = kBody;
            body[i / 8] = char(body[i / 8] ^ (1 << (i % 8)));
            const auto result = decryptWebPush(body, ua, kAuth);
            if (result.ok())
                QFAIL(qPrintable(QStringLiteral("bit %1 flip accepted").arg(i)));
            QVERIFY(result.plaintext.isEmpty());
        }
    }

    void wrongKeyOrAuth()
    {
        QCOMPARE(decryptWebPush(kBody, EcKey::generate(), kAuth).error,
                 WebPushDecryptError::BadTag);
        QByteArray auth = kAuth;
        auth[0] = char(auth[0] ^ 1);
        QCOMPARE(decryptWebPush(kBody, uaKey(), auth).error, WebPushDecryptError::BadTag);
        QCOMPARE(decryptWebPush(kBody, uaKey(), kAuth.left(15)).error,
                 WebPushDecryptError::KeyError);
        QCOMPARE(decryptWebPush(kBody, *EcKey::fromPublicRaw(kUaPublic), kAuth).error,
                 WebPushDecryptError::KeyError);
        QCOMPARE(decryptWebPush(kBody, EcKey(), kAuth).error, WebPushDecryptError::KeyError);
    }

    void padding_data()
    {
        QTest::addColumn<QByteArray>("record");
        QTest::addColumn<int>("error");
        const auto none = int(WebPushDecryptError::None);
        const auto bad = int(WebPushDecryptError::BadPadding);
        QTest::newRow("zero padding accepted") << kPlaintext + "\x02" + QByteArray(5, 0) << none;
        QTest::newRow("only delimiter") << QByteArray("\x02") << none;
        QTest::newRow("delimiter 0x01 (not last record)") << kPlaintext + "\x01" << bad;
        QTest::newRow("delimiter 0x03") << kPlaintext + "\x03" << bad;
        QTest::newRow("no delimiter, all zero") << QByteArray(20, 0) << bad;
        QTest::newRow("empty record") << QByteArray() << bad;
        QTest::newRow("non-zero padding") << kPlaintext + "\x02" + QByteArray("\0\0\x05", 3) << bad;
        QTest::newRow("padding after 0x01") << kPlaintext + "\x01" + QByteArray(3, 0) << bad;
    }
    void padding()
    {
        QFETCH(QByteArray, record);
        QFETCH(int, error);
        const auto result = decryptWebPush(vectorBodyWithRecord(record), uaKey(), kAuth);
        QCOMPARE(int(result.error), error);
        if (result.ok())
            QCOMPARE(result.plaintext, record.left(record.lastIndexOf('\x02')));
    }

    void malformedHeaders()
    {
        const EcKey ua = uaKey();
        QCOMPARE(decryptWebPush(QByteArray(), ua, kAuth).error, WebPushDecryptError::TooShort);
        QCOMPARE(decryptWebPush(kBody.left(101), ua, kAuth).error, WebPushDecryptError::TooShort);
        QCOMPARE(decryptWebPush(kBody.left(102), ua, kAuth).error, WebPushDecryptError::BadTag);
        QCOMPARE(decryptWebPush(kBody.chopped(1), ua, kAuth).error, WebPushDecryptError::BadTag);
        QCOMPARE(decryptWebPush(kBody + '\0', ua, kAuth).error, WebPushDecryptError::BadTag);

        QByteArray body = kBody;
        body[20] = 64; // idlen
        QCOMPARE(decryptWebPush(body, ua, kAuth).error, WebPushDecryptError::BadHeader);
        body[20] = 0;
        QCOMPARE(decryptWebPush(body, ua, kAuth).error, WebPushDecryptError::BadHeader);

        body = kBody;
        body.replace(16, 4, QByteArray("\0\0\0\x11", 4)); // rs 17
        QCOMPARE(decryptWebPush(body, ua, kAuth).error, WebPushDecryptError::BadHeader);
        body.replace(16, 4, QByteArray("\xff\xff\xff\xff", 4));
        QCOMPARE(decryptWebPush(body, ua, kAuth).error, WebPushDecryptError::BadHeader);

        body = kBody;
        body.replace(21, 65, QByteArray(65, 0)); // key id not a point
        QCOMPARE(decryptWebPush(body, ua, kAuth).error, WebPushDecryptError::BadHeader);
    }

    void multiRecordRejected()
    {
        // rs 40 with a 58-byte record: the body claims a second record.
        QByteArray body = kBody;
        body.replace(16, 4, QByteArray("\0\0\0\x28", 4));
        QCOMPARE(decryptWebPush(body, uaKey(), kAuth).error, WebPushDecryptError::BadRecordSize);
        // A real two-record body made with rs 18: each record one byte + delimiter + tag.
        const EcKey ua = EcKey::generate();
        WebPushEncryptParams params;
        params.recordSize = 18;
        const QByteArray one = encryptWebPush("a", ua.publicRaw(), kAuth, params);
        QVERIFY(!one.isEmpty());
        QVERIFY(decryptWebPush(one, ua, kAuth).ok());
        QCOMPARE(decryptWebPush(one + one.mid(86), ua, kAuth).error,
                 WebPushDecryptError::BadRecordSize);
    }

    void garbageNeverCrashes()
    {
        const EcKey ua = uaKey();
        for (int size : {0, 1, 85, 86, 101, 102, 103, 200, 4096, 5000}) {
            for (int round = 0; round < 5; ++round) {
                QByteArray body = randomBytes(size);
                if (size > 86 && round % 2)
                    body.replace(0, 86, kBody.left(86)); // valid header, garbage record
                QVERIFY(!decryptWebPush(body, ua, kAuth).ok());
            }
        }
    }

    void errorTexts()
    {
        QVERIFY(!webPushDecryptErrorText(WebPushDecryptError::BadPadding).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestWebPushEncryption)
#include "tst_webpushencryption.moc"
