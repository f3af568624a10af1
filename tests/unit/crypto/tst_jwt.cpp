#include "EcdsaTwin.h"
#include "crypto/Base64Url.h"
#include "crypto/Jwt.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QTest>

using namespace softphone;
using namespace softphone::crypto;

namespace {
const QDateTime kNow = QDateTime::fromSecsSinceEpoch(1700000000, Qt::UTC);

QByteArray part(const QJsonObject &o)
{
    return toBase64Url(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QJsonObject claimsAt(qint64 expOffset = 3600)
{
    return {{QStringLiteral("sub"), QStringLiteral("alice")},
            {QStringLiteral("iss"), QStringLiteral("https://app.example")},
            {QStringLiteral("aud"), QStringLiteral("calls")},
            {QStringLiteral("iat"), kNow.toSecsSinceEpoch()},
            {QStringLiteral("exp"), kNow.toSecsSinceEpoch() + expOffset}};
}

JwtVerifyOptions options()
{
    JwtVerifyOptions o;
    o.audience = QStringLiteral("calls");
    o.issuer = QStringLiteral("https://app.example");
    o.now = kNow;
    return o;
}

// Signs arbitrary header and claims with our key, for tokens signJwt refuses to make.
QString forge(const QJsonObject &header, const QJsonObject &claims, const EcKey &key)
{
    const QByteArray input = part(header) + '.' + part(claims);
    return QString::fromLatin1(input + '.' + toBase64Url(key.signEs256(input)));
}

QJsonObject es256Header()
{
    return {{QStringLiteral("alg"), QStringLiteral("ES256")},
            {QStringLiteral("typ"), QStringLiteral("JWT")}};
}
} // namespace

class TestJwt : public QObject
{
    Q_OBJECT
    EcKey m_key = EcKey::generate();
    EcKey m_public = *EcKey::fromPublicRaw(m_key.publicRaw());

private Q_SLOTS:
    void signAndVerify()
    {
        const QString token =
            signJwt(claimsAt(), m_key, {{QStringLiteral("kid"), QStringLiteral("k1")}});
        QCOMPARE(token.count(QLatin1Char('.')), 2);
        const auto result = verifyJwt(token, m_public, options());
        QVERIFY2(result.ok(), qPrintable(jwtErrorText(result.error)));
        QCOMPARE(result.claims.value(QStringLiteral("sub")).toString(), QStringLiteral("alice"));
        QCOMPARE(result.header.value(QStringLiteral("alg")).toString(), QStringLiteral("ES256"));
        QCOMPARE(result.header.value(QStringLiteral("typ")).toString(), QStringLiteral("JWT"));
        QCOMPARE(result.header.value(QStringLiteral("kid")).toString(), QStringLiteral("k1"));
        const QByteArray sig = *fromBase64Url(token.section(QLatin1Char('.'), 2).toLatin1());
        QCOMPARE(sig.size(), 64);
    }

    void extraHeaderCannotChangeAlgorithm()
    {
        const QString token =
            signJwt(claimsAt(), m_key, {{QStringLiteral("alg"), QStringLiteral("none")}});
        QCOMPARE(decodeJwtUnverified(token).header.value(QStringLiteral("alg")).toString(),
                 QStringLiteral("ES256"));
        QVERIFY(verifyJwt(token, m_public, options()).ok());
    }

    void signWithoutPrivateKeyFails()
    {
        QVERIFY(signJwt(claimsAt(), m_public).isEmpty());
        QVERIFY(signJwt(claimsAt(), EcKey()).isEmpty());
    }

    void algNone()
    {
        const QJsonObject header{{QStringLiteral("alg"), QStringLiteral("none")}};
        const QString token = QString::fromLatin1(part(header) + '.' + part(claimsAt()) + '.');
        QCOMPARE(verifyJwt(token, m_public, options()).error, JwtError::BadAlgorithm);
        // Even with a valid ES256 signature attached.
        QCOMPARE(verifyJwt(forge(header, claimsAt(), m_key), m_public, options()).error,
                 JwtError::BadAlgorithm);
        for (const char *alg : {"None", "NONE", "es256", "ES384", "RS256", "PS256", "EdDSA", ""}) {
            const QJsonObject h{{QStringLiteral("alg"), QString::fromLatin1(alg)}};
            QCOMPARE(verifyJwt(forge(h, claimsAt(), m_key), m_public, options()).error,
                     JwtError::BadAlgorithm);
        }
        QCOMPARE(verifyJwt(forge({}, claimsAt(), m_key), m_public, options()).error,
                 JwtError::BadAlgorithm);
        QCOMPARE(
            verifyJwt(forge({{QStringLiteral("alg"), 256}}, claimsAt(), m_key), m_public, options())
                .error,
            JwtError::BadAlgorithm);
    }

    void hs256WithPublicKeyAsSecret()
    {
        const QJsonObject header{{QStringLiteral("alg"), QStringLiteral("HS256")},
                                 {QStringLiteral("typ"), QStringLiteral("JWT")}};
        const QByteArray input = part(header) + '.' + part(claimsAt());
        for (const QByteArray &secret :
             {m_public.publicPem(), m_public.publicRaw(), toBase64Url(m_public.publicRaw())}) {
            const QByteArray mac =
                QMessageAuthenticationCode::hash(input, secret, QCryptographicHash::Sha256);
            const QString token = QString::fromLatin1(input + '.' + toBase64Url(mac));
            QCOMPARE(verifyJwt(token, m_public, options()).error, JwtError::BadAlgorithm);
        }
    }

    void wrongKey()
    {
        const QString token = signJwt(claimsAt(), EcKey::generate());
        QCOMPARE(verifyJwt(token, m_public, options()).error, JwtError::BadSignature);
        QCOMPARE(verifyJwt(signJwt(claimsAt(), m_key), EcKey(), options()).error,
                 JwtError::BadSignature);
    }

    void tamperedClaims()
    {
        const QString token = signJwt(claimsAt(), m_key);
        QJsonObject other = claimsAt();
        other.insert(QStringLiteral("sub"), QStringLiteral("mallory"));
        const QStringList parts = token.split(QLatin1Char('.'));
        const QString tampered = parts[0] + QLatin1Char('.') + QString::fromLatin1(part(other)) +
                                 QLatin1Char('.') + parts[2];
        QCOMPARE(verifyJwt(tampered, m_public, options()).error, JwtError::BadSignature);
    }

    void signatureNot64Bytes()
    {
        const QString token = signJwt(claimsAt(), m_key);
        const QString input = token.section(QLatin1Char('.'), 0, 1);
        const QByteArray sig = *fromBase64Url(token.section(QLatin1Char('.'), 2).toLatin1());
        for (const QByteArray &s :
             {sig.left(63), sig + '\0', QByteArray(), QByteArray(70, 1), QByteArray(1, 0) + sig}) {
            const QString t = input + QLatin1Char('.') + QString::fromLatin1(toBase64Url(s));
            QVERIFY(!verifyJwt(t, m_public, options()).ok());
        }
        // A DER signature (what OpenSSL produces natively) is not JOSE.
        const QByteArray der = QByteArray::fromHex("3044022000") + sig.left(31) +
                               QByteArray::fromHex("022000") + sig.mid(32, 31);
        const QString t = input + QLatin1Char('.') + QString::fromLatin1(toBase64Url(der));
        QCOMPARE(verifyJwt(t, m_public, options()).error, JwtError::BadSignature);
    }

    // The same claims under the high-S twin of the signature: a second valid
    // byte form of one token if verify accepted it.
    void highSTwinSignatureRefused()
    {
        const QString token = signJwt(claimsAt(), m_key);
        QVERIFY(verifyJwt(token, m_public, options()).ok());
        const QString input = token.section(QLatin1Char('.'), 0, 1);
        const QByteArray sig = *fromBase64Url(token.section(QLatin1Char('.'), 2).toLatin1());
        const QByteArray twin = ecdsatest::highSTwin(sig);
        QVERIFY(ecdsatest::openSslAccepts(m_public, input.toLatin1(), twin));
        const QString twinToken = input + QLatin1Char('.') + QString::fromLatin1(toBase64Url(twin));
        QCOMPARE(verifyJwt(twinToken, m_public, options()).error, JwtError::BadSignature);
    }

    void expired()
    {
        auto o = options();
        QCOMPARE(verifyJwt(signJwt(claimsAt(-3600), m_key), m_public, o).error, JwtError::Expired);
        QCOMPARE(verifyJwt(signJwt(claimsAt(-31), m_key), m_public, o).error, JwtError::Expired);
        QVERIFY(verifyJwt(signJwt(claimsAt(-29), m_key), m_public, o).ok()); // leeway
        o.leewaySeconds = 0;
        QCOMPARE(verifyJwt(signJwt(claimsAt(0), m_key), m_public, o).error, JwtError::Expired);
        QVERIFY(verifyJwt(signJwt(claimsAt(1), m_key), m_public, o).ok());
    }

    void notYetValid()
    {
        QJsonObject c = claimsAt();
        c.insert(QStringLiteral("nbf"), kNow.toSecsSinceEpoch() + 600);
        QCOMPARE(verifyJwt(signJwt(c, m_key), m_public, options()).error, JwtError::NotYetValid);
        c.insert(QStringLiteral("nbf"), kNow.toSecsSinceEpoch() + 10); // within leeway
        QVERIFY(verifyJwt(signJwt(c, m_key), m_public, options()).ok());
        c = claimsAt();
        c.insert(QStringLiteral("iat"), kNow.toSecsSinceEpoch() + 600);
        QCOMPARE(verifyJwt(signJwt(c, m_key), m_public, options()).error, JwtError::NotYetValid);
    }

    void audience()
    {
        auto o = options();
        o.audience = QStringLiteral("other");
        QCOMPARE(verifyJwt(signJwt(claimsAt(), m_key), m_public, o).error, JwtError::WrongAudience);
        QJsonObject c = claimsAt();
        c.insert(QStringLiteral("aud"), QJsonArray{QStringLiteral("x"), QStringLiteral("calls")});
        QVERIFY(verifyJwt(signJwt(c, m_key), m_public, options()).ok());
        c.insert(QStringLiteral("aud"), QJsonArray{QStringLiteral("x"), QStringLiteral("y")});
        QCOMPARE(verifyJwt(signJwt(c, m_key), m_public, options()).error, JwtError::WrongAudience);
        c.insert(QStringLiteral("aud"), QJsonArray{});
        QCOMPARE(verifyJwt(signJwt(c, m_key), m_public, options()).error, JwtError::WrongAudience);
        c.insert(QStringLiteral("aud"), 5);
        QCOMPARE(verifyJwt(signJwt(c, m_key), m_public, options()).error, JwtError::WrongAudience);
        c.remove(QStringLiteral("aud"));
        QCOMPARE(verifyJwt(signJwt(c, m_key), m_public, options()).error, JwtError::WrongAudience);
        o.audience.clear(); // not checked
        QVERIFY(verifyJwt(signJwt(c, m_key), m_public, o).ok());
    }

    void issuer()
    {
        auto o = options();
        o.issuer = QStringLiteral("https://evil.example");
        QCOMPARE(verifyJwt(signJwt(claimsAt(), m_key), m_public, o).error, JwtError::WrongIssuer);
        QJsonObject c = claimsAt();
        c.remove(QStringLiteral("iss"));
        QCOMPARE(verifyJwt(signJwt(c, m_key), m_public, options()).error, JwtError::WrongIssuer);
    }

    void requiredClaims()
    {
        QJsonObject c = claimsAt();
        c.remove(QStringLiteral("exp"));
        QCOMPARE(verifyJwt(signJwt(c, m_key), m_public, options()).error, JwtError::MissingClaim);
        c = claimsAt();
        c.remove(QStringLiteral("sub"));
        QCOMPARE(verifyJwt(signJwt(c, m_key), m_public, options()).error, JwtError::MissingClaim);
        auto o = options();
        o.requireSubject = false;
        QVERIFY(verifyJwt(signJwt(c, m_key), m_public, o).ok());
        c = claimsAt();
        c.insert(QStringLiteral("exp"), QStringLiteral("tomorrow"));
        QCOMPARE(verifyJwt(signJwt(c, m_key), m_public, options()).error, JwtError::Malformed);
    }

    void malformed_data()
    {
        QTest::addColumn<QString>("token");
        const QString good = signJwt(claimsAt(), m_key);
        const QStringList p = good.split(QLatin1Char('.'));
        QTest::newRow("empty") << QString();
        QTest::newRow("one part") << p[0];
        QTest::newRow("two parts") << p[0] + QLatin1Char('.') + p[1];
        QTest::newRow("four parts") << good + QStringLiteral(".AAAA");
        QTest::newRow("empty header") << QLatin1Char('.') + p[1] + QLatin1Char('.') + p[2];
        QTest::newRow("bad base64 header")
            << QStringLiteral("e*J.") + p[1] + QLatin1Char('.') + p[2];
        QTest::newRow("bad base64 payload") << p[0] + QStringLiteral(".ey$$.") + p[2];
        QTest::newRow("bad base64 signature")
            << p[0] + QLatin1Char('.') + p[1] + QStringLiteral(".a+b/c");
        QTest::newRow("padding") << p[0] + QStringLiteral("=.") + p[1] + QLatin1Char('.') + p[2];
        QTest::newRow("standard base64 alphabet")
            << p[0] + QLatin1Char('.') + p[1] + QLatin1Char('.') +
                   QString(p[2])
                       .replace(QLatin1Char('-'), QLatin1Char('+'))
                       .replace(QLatin1Char('_'), QLatin1Char('/')) +
                   QStringLiteral("+/");
        QTest::newRow("header not JSON") << QString::fromLatin1(toBase64Url("not json")) +
                                                QLatin1Char('.') + p[1] + QLatin1Char('.') + p[2];
        QTest::newRow("header array") << QString::fromLatin1(toBase64Url("[1]")) +
                                             QLatin1Char('.') + p[1] + QLatin1Char('.') + p[2];
        QTest::newRow("payload array") << p[0] + QLatin1Char('.') +
                                              QString::fromLatin1(toBase64Url("[]")) +
                                              QLatin1Char('.') + p[2];
        QTest::newRow("non-latin1") << p[0] + QLatin1Char('.') + p[1] + QStringLiteral(".\u20ac");
        QTest::newRow("whitespace") << QLatin1Char(' ') + good;
        for (int cut : {1, 2, 5, 20, 43})
            QTest::newRow(qPrintable(QStringLiteral("truncated by %1").arg(cut)))
                << good.chopped(cut);
        QTest::newRow("truncated payload")
            << p[0] + QLatin1Char('.') + p[1].chopped(3) + QLatin1Char('.') + p[2];
    }
    void malformed()
    {
        QFETCH(QString, token);
        const auto result = verifyJwt(token, m_public, options());
        QVERIFY(!result.ok());
        QVERIFY(result.error == JwtError::Malformed || result.error == JwtError::BadSignature);
    }

    void critHeaderRefused()
    {
        QJsonObject h = es256Header();
        h.insert(QStringLiteral("crit"), QJsonArray{QStringLiteral("exp")});
        QVERIFY(!verifyJwt(forge(h, claimsAt(), m_key), m_public, options()).ok());
    }

    void decodeUnverified()
    {
        const QString token =
            signJwt(claimsAt(), EcKey::generate(), {{QStringLiteral("kid"), QStringLiteral("k9")}});
        const auto r = decodeJwtUnverified(token);
        QVERIFY(r.ok());
        QCOMPARE(r.header.value(QStringLiteral("kid")).toString(), QStringLiteral("k9"));
        QCOMPARE(decodeJwtUnverified(QStringLiteral("a.b")).error, JwtError::Malformed);
    }

    void errorTexts() { QVERIFY(!jwtErrorText(JwtError::BadAlgorithm).isEmpty()); }
};

QTEST_GUILESS_MAIN(TestJwt)
#include "tst_jwt.moc"
