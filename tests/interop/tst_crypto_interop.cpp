// Our core/crypto against independent implementations: npm http_ece (the
// reference encrypted-content-encoding code), web-push (a real Web Push sender)
// and jose (JWT). Each direction is checked: what we make they accept, and
// what they make we accept.
#include "crypto/Base64Url.h"
#include "crypto/Jwt.h"
#include "crypto/Random.h"
#include "crypto/Vapid.h"
#include "crypto/WebPushEncryption.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

using namespace softphone;
using namespace softphone::crypto;

namespace {
const QString kEndpoint = QStringLiteral("https://push.example.net:8443/wpush/v2/abc");
const QString kOrigin = QStringLiteral("https://push.example.net:8443");
const QString kSubject = QStringLiteral("mailto:ops@app.example");

QString b64(const QByteArray &data)
{
    return QString::fromLatin1(toBase64Url(data));
}
QByteArray unb64(const QJsonValue &v)
{
    return fromBase64Url(v.toString().toLatin1()).value_or(QByteArray());
}

// Splits "vapid t=<jwt>, k=<key>" into its two values.
std::pair<QString, QString> vapidParts(const QString &authorization)
{
    QString t, k;
    const QStringList params =
        authorization.mid(authorization.indexOf(QLatin1Char(' ')) + 1).split(QLatin1Char(','));
    for (const QString &p : params) {
        const QString s = p.trimmed();
        if (s.startsWith(QLatin1String("t=")))
            t = s.mid(2);
        else if (s.startsWith(QLatin1String("k=")))
            k = s.mid(2);
    }
    return {t, k};
}
} // namespace

class TestCryptoInterop : public QObject
{
    Q_OBJECT
    QString m_dir;
    QString m_node;

    // Runs one crypto-peer.mjs command; fails the test on any error.
    QJsonObject peer(const QString &command, const QJsonObject &request)
    {
        QProcess process;
        process.setWorkingDirectory(m_dir);
        process.start(m_node, {QStringLiteral("crypto-peer.mjs"), command});
        if (!process.waitForStarted(10000))
            return {{QStringLiteral("__error"), QStringLiteral("node did not start")}};
        process.write(QJsonDocument(request).toJson(QJsonDocument::Compact));
        process.closeWriteChannel();
        if (!process.waitForFinished(60000)) {
            process.kill();
            process.waitForFinished();
            return {{QStringLiteral("__error"), QStringLiteral("node timed out")}};
        }
        const QByteArray err = process.readAllStandardError();
        if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
            return {{QStringLiteral("__error"), QString::fromUtf8(err)}};
        QJsonParseError parseError;
        const QJsonDocument doc =
            QJsonDocument::fromJson(process.readAllStandardOutput(), &parseError);
        if (!doc.isObject())
            return {{QStringLiteral("__error"),
                     QStringLiteral("bad JSON from node: ") + parseError.errorString()}};
        return doc.object();
    }

#define PEER(var, command, request)                                                                \
    const QJsonObject var = peer(QStringLiteral(command), request);                                \
    QVERIFY2(!var.contains(QStringLiteral("__error")),                                             \
             qPrintable(var.value(QStringLiteral("__error")).toString()))

private Q_SLOTS:
    void initTestCase()
    {
        m_dir = qEnvironmentVariable("SOFTPHONE_SOURCE_DIR") + QStringLiteral("/tests/interop");
        m_node = QStandardPaths::findExecutable(QStringLiteral("node"));
        // A missing peer is a broken test environment, not a reason to pass quietly.
        if (m_node.isEmpty())
            QFAIL("node is not on PATH: run packaging/install-deps.sh (it installs nodejs)");
        for (const char *module : {"web-push", "http_ece", "jose"}) {
            const QString path = m_dir + QStringLiteral("/node_modules/") + QLatin1String(module);
            if (!QFileInfo::exists(path + QStringLiteral("/package.json")))
                QFAIL(qPrintable(QStringLiteral("%1 is missing: run `npm ci` in %2 "
                                                "(packaging/install-deps.sh does it)")
                                     .arg(path, m_dir)));
        }
    }

    // (a) our encryptWebPush, decrypted by http_ece.
    void httpEceDecryptsOurBody_data()
    {
        QTest::addColumn<int>("size");
        QTest::newRow("empty") << 0;
        QTest::newRow("one") << 1;
        QTest::newRow("small") << 41;
        QTest::newRow("max 3993") << kWebPushMaxPlaintext;
    }
    void httpEceDecryptsOurBody()
    {
        QFETCH(int, size);
        const EcKey ua = EcKey::generate();
        const QByteArray auth = randomBytes(16);
        const QByteArray plain = randomBytes(size);
        const QByteArray body = encryptWebPush(plain, ua.publicRaw(), auth);
        QVERIFY(!body.isEmpty());
        PEER(reply, "eceDecrypt",
             (QJsonObject{{QStringLiteral("body"), b64(body)},
                          {QStringLiteral("privateKey"), b64(ua.privateRaw())},
                          {QStringLiteral("auth"), b64(auth)}}));
        QCOMPARE(unb64(reply.value(QStringLiteral("plaintext"))), plain);
    }

    // (b) web-push's request body, decrypted by us; (c) its VAPID header, accepted by us.
    void weDecryptWebPushRequest_data()
    {
        QTest::addColumn<int>("size");
        QTest::newRow("one") << 1;
        QTest::newRow("small") << 100;
        QTest::newRow("max 3993") << kWebPushMaxPlaintext;
    }
    void weDecryptWebPushRequest()
    {
        QFETCH(int, size);
        const EcKey ua = EcKey::generate();
        const QByteArray auth = randomBytes(16);
        const QByteArray plain = randomBytes(size);
        PEER(reply, "webPushRequest",
             (QJsonObject{{QStringLiteral("endpoint"), kEndpoint},
                          {QStringLiteral("p256dh"), b64(ua.publicRaw())},
                          {QStringLiteral("auth"), b64(auth)},
                          {QStringLiteral("payload"), b64(plain)},
                          {QStringLiteral("subject"), kSubject}}));
        QCOMPARE(reply.value(QStringLiteral("contentEncoding")).toString(),
                 QStringLiteral("aes128gcm"));
        const QByteArray body = unb64(reply.value(QStringLiteral("body")));
        QCOMPARE(body.size(), 86 + size + 1 + 16);
        const auto result = decryptWebPush(body, ua, auth);
        QVERIFY2(result.ok(), qPrintable(webPushDecryptErrorText(result.error)));
        QCOMPARE(result.plaintext, plain);

        const QString authorization = reply.value(QStringLiteral("authorization")).toString();
        const QByteArray vapidKey = unb64(reply.value(QStringLiteral("vapidPublicKey")));
        const auto check = verifyVapidAuthorization(authorization, kOrigin, vapidKey);
        QVERIFY2(check.ok(),
                 qPrintable(vapidErrorText(check.error) + QLatin1String(": ") + authorization));
        QCOMPARE(check.subject, kSubject);
        QCOMPARE(check.publicKey, vapidKey);
        QCOMPARE(
            verifyVapidAuthorization(authorization, QStringLiteral("https://other.example")).error,
            VapidError::WrongAudience);
        QCOMPARE(
            verifyVapidAuthorization(authorization, kOrigin, EcKey::generate().publicRaw()).error,
            VapidError::WrongKey);
    }

    void weDecryptWebPushEncrypt()
    {
        const EcKey ua = EcKey::generate();
        const QByteArray auth = randomBytes(16);
        for (int size : {0, 7, kWebPushMaxPlaintext}) {
            const QByteArray plain = randomBytes(size);
            PEER(reply, "webPushEncrypt",
                 (QJsonObject{{QStringLiteral("p256dh"), b64(ua.publicRaw())},
                              {QStringLiteral("auth"), b64(auth)},
                              {QStringLiteral("payload"), b64(plain)}}));
            const auto result =
                decryptWebPush(unb64(reply.value(QStringLiteral("body"))), ua, auth);
            QVERIFY2(result.ok(), qPrintable(webPushDecryptErrorText(result.error)));
            QCOMPARE(result.plaintext, plain);
        }
    }

    // web-push signing with our key: the raw key encodings agree both ways.
    void webPushSignsWithOurVapidKey()
    {
        const EcKey server = EcKey::generate();
        const EcKey ua = EcKey::generate();
        PEER(reply, "webPushRequest",
             (QJsonObject{{QStringLiteral("endpoint"), kEndpoint},
                          {QStringLiteral("p256dh"), b64(ua.publicRaw())},
                          {QStringLiteral("auth"), b64(randomBytes(16))},
                          {QStringLiteral("payload"), b64("x")},
                          {QStringLiteral("subject"), kSubject},
                          {QStringLiteral("vapidPublicKey"), b64(server.publicRaw())},
                          {QStringLiteral("vapidPrivateKey"), b64(server.privateRaw())}}));
        const auto check = verifyVapidAuthorization(
            reply.value(QStringLiteral("authorization")).toString(), kOrigin, server.publicRaw());
        QVERIFY2(check.ok(), qPrintable(vapidErrorText(check.error)));
    }

    // (c) our VAPID header, verified by jose with the k= key as JWK and as SPKI.
    void joseVerifiesOurVapid()
    {
        const EcKey server = EcKey::generate();
        const QString authorization = makeVapidAuthorization(kOrigin, kSubject, server);
        const auto [t, k] = vapidParts(authorization);
        QCOMPARE(fromBase64Url(k.toLatin1()).value_or(QByteArray()), server.publicRaw());
        PEER(viaJwk, "joseVerify",
             (QJsonObject{{QStringLiteral("token"), t},
                          {QStringLiteral("publicKey"), k},
                          {QStringLiteral("audience"), kOrigin}}));
        QVERIFY2(viaJwk.value(QStringLiteral("ok")).toBool(),
                 qPrintable(viaJwk.value(QStringLiteral("error")).toString()));
        const QJsonObject payload = viaJwk.value(QStringLiteral("payload")).toObject();
        QCOMPARE(payload.value(QStringLiteral("sub")).toString(), kSubject);
        QCOMPARE(viaJwk.value(QStringLiteral("header"))
                     .toObject()
                     .value(QStringLiteral("typ"))
                     .toString(),
                 QStringLiteral("JWT"));
        const qint64 exp = qint64(payload.value(QStringLiteral("exp")).toDouble());
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        QVERIFY(exp > now && exp <= now + 24 * 3600);

        PEER(viaSpki, "joseVerify",
             (QJsonObject{{QStringLiteral("token"), t},
                          {QStringLiteral("spki"), QString::fromLatin1(server.publicPem())}}));
        QVERIFY(viaSpki.value(QStringLiteral("ok")).toBool());

        PEER(wrongKey, "joseVerify",
             (QJsonObject{{QStringLiteral("token"), t},
                          {QStringLiteral("publicKey"), b64(EcKey::generate().publicRaw())}}));
        QVERIFY(!wrongKey.value(QStringLiteral("ok")).toBool());
    }

    // (d) signJwt tokens verify in jose, with audience and issuer checked there too.
    void joseVerifiesOurJwt()
    {
        const EcKey key = EcKey::generate();
        const QJsonObject claims{{QStringLiteral("sub"), QStringLiteral("alice")},
                                 {QStringLiteral("iss"), QStringLiteral("https://app.example")},
                                 {QStringLiteral("aud"), QStringLiteral("calls")},
                                 {QStringLiteral("exp"), QDateTime::currentSecsSinceEpoch() + 600}};
        const QString token = signJwt(claims, key, {{QStringLiteral("kid"), QStringLiteral("k1")}});
        PEER(reply, "joseVerify",
             (QJsonObject{{QStringLiteral("token"), token},
                          {QStringLiteral("publicKey"), b64(key.publicRaw())},
                          {QStringLiteral("audience"), QStringLiteral("calls")},
                          {QStringLiteral("issuer"), QStringLiteral("https://app.example")}}));
        QVERIFY2(reply.value(QStringLiteral("ok")).toBool(),
                 qPrintable(reply.value(QStringLiteral("error")).toString()));
        QCOMPARE(reply.value(QStringLiteral("payload")).toObject(), claims);
        QCOMPARE(reply.value(QStringLiteral("header"))
                     .toObject()
                     .value(QStringLiteral("kid"))
                     .toString(),
                 QStringLiteral("k1"));

        PEER(wrongAud, "joseVerify",
             (QJsonObject{{QStringLiteral("token"), token},
                          {QStringLiteral("publicKey"), b64(key.publicRaw())},
                          {QStringLiteral("audience"), QStringLiteral("other")}}));
        QVERIFY(!wrongAud.value(QStringLiteral("ok")).toBool());
    }

    // (d) jose-signed ES256 tokens verify with our verifyJwt; tampering is caught.
    void weVerifyJoseJwt()
    {
        const QJsonObject claims{
            {QStringLiteral("sub"), QStringLiteral("bob")},
            {QStringLiteral("aud"), QJsonArray{QStringLiteral("x"), QStringLiteral("calls")}},
            {QStringLiteral("iss"), QStringLiteral("https://app.example")}};
        PEER(reply, "joseSign",
             (QJsonObject{{QStringLiteral("claims"), claims},
                          {QStringLiteral("expiresInSeconds"), 600}}));
        const QString token = reply.value(QStringLiteral("token")).toString();
        const auto key = EcKey::fromPublicRaw(unb64(reply.value(QStringLiteral("publicKey"))));
        QVERIFY(key);
        JwtVerifyOptions options;
        options.audience = QStringLiteral("calls");
        options.issuer = QStringLiteral("https://app.example");
        // jose does not normalise s (half its signatures are high-S): a token of
        // a signer we do not control is verified accepting either form. Our
        // own tokens are low-S only (tst_jwt highSTwinSignatureRefused).
        options.lowSOnly = false;
        const auto result = verifyJwt(token, *key, options);
        QVERIFY2(result.ok(), qPrintable(jwtErrorText(result.error)));
        QCOMPARE(result.claims.value(QStringLiteral("sub")).toString(), QStringLiteral("bob"));

        QCOMPARE(verifyJwt(token, EcKey::generate(), options).error, JwtError::BadSignature);
        QString tampered = token;
        const qsizetype dot = tampered.indexOf(QLatin1Char('.'));
        tampered[dot + 5] =
            tampered[dot + 5] == QLatin1Char('A') ? QLatin1Char('B') : QLatin1Char('A');
        QVERIFY(!verifyJwt(tampered, *key, options).ok());

        PEER(expired, "joseSign",
             (QJsonObject{{QStringLiteral("claims"), claims},
                          {QStringLiteral("expiresInSeconds"), -600}}));
        QCOMPARE(verifyJwt(expired.value(QStringLiteral("token")).toString(),
                           *EcKey::fromPublicRaw(unb64(expired.value(QStringLiteral("publicKey")))),
                           options)
                     .error,
                 JwtError::Expired);
    }
};

QTEST_GUILESS_MAIN(TestCryptoInterop)
#include "tst_crypto_interop.moc"
