#include "crypto/Base64Url.h"
#include "crypto/Vapid.h"

#include <QJsonObject>
#include <QTest>

using namespace softphone;
using namespace softphone::crypto;

namespace {
const QDateTime kNow = QDateTime::fromSecsSinceEpoch(1700000000, Qt::UTC);
const QString kAud = QStringLiteral("https://push.example.net");
const QString kSub = QStringLiteral("mailto:ops@app.example");

QString header(const QString &token, const QByteArray &key)
{
    return QStringLiteral("vapid t=%1, k=%2").arg(token, QString::fromLatin1(toBase64Url(key)));
}
} // namespace

class TestVapid : public QObject
{
    Q_OBJECT
    EcKey m_key = EcKey::generate();

    QString make(qint64 expIn = 12 * 3600, const QString &aud = kAud)
    {
        return makeVapidAuthorization(aud, kSub, m_key, kNow.addSecs(expIn));
    }

private Q_SLOTS:
    void roundTrip()
    {
        const QString auth = make();
        QVERIFY(auth.startsWith(QStringLiteral("vapid t=")));
        QVERIFY(auth.contains(QStringLiteral(", k=")));
        const auto check = verifyVapidAuthorization(auth, kAud, {}, kNow);
        QVERIFY2(check.ok(), qPrintable(vapidErrorText(check.error)));
        QCOMPARE(check.publicKey, m_key.publicRaw());
        QCOMPARE(check.subject, kSub);
        QVERIFY(verifyVapidAuthorization(auth, kAud, m_key.publicRaw(), kNow).ok());
    }

    void tokenFormat()
    {
        const QString auth = make();
        const QString token = auth.mid(8, auth.indexOf(QLatin1Char(',')) - 8);
        const auto jwt = decodeJwtUnverified(token);
        QVERIFY(jwt.ok());
        QCOMPARE(jwt.header.value(QStringLiteral("alg")).toString(), QStringLiteral("ES256"));
        QCOMPARE(jwt.header.value(QStringLiteral("typ")).toString(), QStringLiteral("JWT"));
        QCOMPARE(jwt.claims.value(QStringLiteral("aud")).toString(), kAud);
        QCOMPARE(jwt.claims.value(QStringLiteral("sub")).toString(), kSub);
        QCOMPARE(qint64(jwt.claims.value(QStringLiteral("exp")).toDouble()),
                 kNow.toSecsSinceEpoch() + 12 * 3600);
    }

    void defaultExpiryIsAccepted()
    {
        const QString auth = makeVapidAuthorization(kAud, kSub, m_key);
        QVERIFY(verifyVapidAuthorization(auth, kAud).ok());
    }

    void missingAndMalformed()
    {
        QCOMPARE(verifyVapidAuthorization(QString(), kAud, {}, kNow).error, VapidError::Missing);
        QCOMPARE(verifyVapidAuthorization(QStringLiteral("  "), kAud, {}, kNow).error,
                 VapidError::Missing);
        const QString auth = make();
        const QString token = auth.mid(8, auth.indexOf(QLatin1Char(',')) - 8);
        const QString k = QString::fromLatin1(toBase64Url(m_key.publicRaw()));
        for (const QString &bad :
             {QStringLiteral("Bearer ") + token, QStringLiteral("WebPush ") + token,
              QStringLiteral("vapid"), QStringLiteral("vapid t=") + token,
              QStringLiteral("vapid k=") + k, QStringLiteral("vapid t=%1, k=AAAA").arg(token),
              QStringLiteral("vapid t=%1, k=%2!").arg(token, k),
              QStringLiteral("vapid t=%1, k=%2, t=%1").arg(token, k),
              QStringLiteral("vapid t=%1 k=%2").arg(token, k),
              QStringLiteral("vapid t=%1, k=%2")
                  .arg(token,
                       QString::fromLatin1(toBase64Url(QByteArray(1, 4) + QByteArray(64, 1)))),
              QStringLiteral("vapid garbage")}) {
            const auto check = verifyVapidAuthorization(bad, kAud, {}, kNow);
            QVERIFY2(check.error == VapidError::Malformed || check.error == VapidError::BadToken,
                     qPrintable(bad));
        }
        // Case-insensitive scheme, parameters in any order, quoted values (RFC 7235).
        QVERIFY(verifyVapidAuthorization(QStringLiteral("Vapid k=\"%1\",t=%2").arg(k, token), kAud,
                                         {}, kNow)
                    .ok());
    }

    void tokenSignedByAnotherKey()
    {
        const QString other =
            makeVapidAuthorization(kAud, kSub, EcKey::generate(), kNow.addSecs(3600));
        const QString token = other.mid(8, other.indexOf(QLatin1Char(',')) - 8);
        QCOMPARE(verifyVapidAuthorization(header(token, m_key.publicRaw()), kAud, {}, kNow).error,
                 VapidError::BadToken);
        QCOMPARE(verifyVapidAuthorization(QStringLiteral("vapid t=abc.def.ghi, k=") +
                                              QString::fromLatin1(toBase64Url(m_key.publicRaw())),
                                          kAud, {}, kNow)
                     .error,
                 VapidError::BadToken);
    }

    void wrongKey()
    {
        QCOMPARE(verifyVapidAuthorization(make(), kAud, EcKey::generate().publicRaw(), kNow).error,
                 VapidError::WrongKey);
    }

    void expiry()
    {
        QCOMPARE(verifyVapidAuthorization(make(-10), kAud, {}, kNow).error, VapidError::Expired);
        QCOMPARE(verifyVapidAuthorization(make(-7200), kAud, {}, kNow).error, VapidError::Expired);
        QCOMPARE(verifyVapidAuthorization(make(0), kAud, {}, kNow).error, VapidError::Expired);
        QVERIFY(verifyVapidAuthorization(make(1), kAud, {}, kNow).ok());
        QVERIFY(verifyVapidAuthorization(make(24 * 3600), kAud, {}, kNow).ok());
        QCOMPARE(verifyVapidAuthorization(make(25 * 3600), kAud, {}, kNow).error,
                 VapidError::TooLong);
        QCOMPARE(verifyVapidAuthorization(make(365 * 24 * 3600), kAud, {}, kNow).error,
                 VapidError::TooLong);
    }

    void audience()
    {
        QCOMPARE(verifyVapidAuthorization(make(3600, QStringLiteral("https://evil.example")), kAud,
                                          {}, kNow)
                     .error,
                 VapidError::WrongAudience);
        QCOMPARE(verifyVapidAuthorization(make(3600, QStringLiteral("http://push.example.net")),
                                          kAud, {}, kNow)
                     .error,
                 VapidError::WrongAudience);
        QCOMPARE(verifyVapidAuthorization(
                     make(3600, QStringLiteral("https://push.example.net:8443")), kAud, {}, kNow)
                     .error,
                 VapidError::WrongAudience);
        QCOMPARE(
            verifyVapidAuthorization(
                make(3600, QStringLiteral("https://push.example.net/wpush/abc")), kAud, {}, kNow)
                .error,
            VapidError::WrongAudience);
        QCOMPARE(verifyVapidAuthorization(make(3600, QString()), kAud, {}, kNow).error,
                 VapidError::WrongAudience);
        // The same origin written differently.
        QVERIFY(verifyVapidAuthorization(make(3600, QStringLiteral("https://Push.Example.net:443")),
                                         kAud, {}, kNow)
                    .ok());
        QVERIFY(verifyVapidAuthorization(make(3600, kAud + QLatin1Char('/')), kAud, {}, kNow).ok());
        const QString local = QStringLiteral("http://127.0.0.1:8080");
        QVERIFY(verifyVapidAuthorization(make(3600, local), local, {}, kNow).ok());
        QCOMPARE(verifyVapidAuthorization(make(3600, local),
                                          QStringLiteral("http://127.0.0.1:8081"), {}, kNow)
                     .error,
                 VapidError::WrongAudience);
    }

    void subjectIsOptional()
    {
        const QString auth = makeVapidAuthorization(kAud, QString(), m_key, kNow.addSecs(60));
        const auto check = verifyVapidAuthorization(auth, kAud, {}, kNow);
        QVERIFY(check.ok());
        QVERIFY(check.subject.isEmpty());
    }

    void publicKeyCannotSign()
    {
        QVERIFY(
            makeVapidAuthorization(kAud, kSub, *EcKey::fromPublicRaw(m_key.publicRaw())).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestVapid)
#include "tst_vapid.moc"
