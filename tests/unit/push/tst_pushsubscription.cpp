// The W3C PushSubscription JSON an application server receives: what we write
// reads back the same, and a subscription that could never be pushed to is
// refused when it is read, with the reason, not at the first send.

#include "crypto/Base64Url.h"
#include "crypto/EcKey.h"
#include "crypto/Random.h"
#include "push/PushSubscription.h"

#include <QJsonDocument>
#include <QtTest>

using namespace softphone;
using namespace softphone::push;

namespace {
PushSubscription makeSubscription()
{
    PushSubscription sub;
    sub.endpoint = QUrl(QStringLiteral("https://push.example.net/wpush/abcDEF_-123"));
    sub.p256dh = crypto::EcKey::generate().publicRaw();
    sub.auth = crypto::randomBytes(16);
    return sub;
}
QString b64(const QByteArray &data)
{
    return QString::fromLatin1(toBase64Url(data));
}
} // namespace

class TestPushSubscription : public QObject
{
    Q_OBJECT
private slots:
    void roundTrip()
    {
        const PushSubscription sub = makeSubscription();
        QVERIFY(sub.isValid());
        const QJsonObject json = sub.toJson();
        // Exactly the W3C shape, base64url without padding.
        QCOMPARE(json.value("endpoint").toString(), sub.endpoint.toString());
        QCOMPARE(json.value("keys").toObject().value("p256dh").toString(), b64(sub.p256dh));
        QCOMPARE(json.value("keys").toObject().value("auth").toString(), b64(sub.auth));
        QVERIFY(!json.value("keys").toObject().value("auth").toString().contains(u'='));

        const auto back = PushSubscription::fromJsonBytes(sub.toJsonBytes());
        QVERIFY(back.has_value());
        QCOMPARE(*back, sub);
    }

    // What a browser's PushSubscription.toJSON() gives (expirationTime included) is read.
    void browserJsonIsRead()
    {
        const QByteArray json =
            "{\"endpoint\":\"https://updates.push.services.mozilla.com/wpush/v2/gAAAA\","
            "\"expirationTime\":null,\"keys\":{\"auth\":\"BTBZMqHH6r4Tts7J_aSIgg\","
            "\"p256dh\":\"BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZ"
            "GH6SRpkNtoIAiw4\"}}";
        QString error;
        const auto sub = PushSubscription::fromJsonBytes(json, &error);
        QVERIFY2(sub.has_value(), qPrintable(error));
        QCOMPARE(sub->auth.size(), 16);
        QCOMPARE(sub->p256dh.size(), 65);
    }

    void badSubscriptionsAreRefused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("reason");
        const PushSubscription good = makeSubscription();
        auto with = [&](const QString &endpoint, const QString &p256dh, const QString &auth) {
            return QJsonDocument(
                       QJsonObject{{"endpoint", endpoint},
                                   {"keys", QJsonObject{{"p256dh", p256dh}, {"auth", auth}}}})
                .toJson(QJsonDocument::Compact);
        };
        const QString endpoint = good.endpoint.toString();
        QByteArray offCurve = good.p256dh;
        offCurve[64] = char(offCurve[64] ^ 0x01); // y no longer matches x
        QByteArray compressed = good.p256dh.left(33);
        compressed[0] = 0x02;
        QTest::newRow("not json") << QByteArray("{endpoint") << "JSON";
        QTest::newRow("no endpoint") << with({}, b64(good.p256dh), b64(good.auth)) << "endpoint";
        QTest::newRow("ftp endpoint")
            << with("ftp://push.example.net/x", b64(good.p256dh), b64(good.auth)) << "endpoint";
        QTest::newRow("p256dh missing") << with(endpoint, {}, b64(good.auth)) << "p256dh";
        QTest::newRow("p256dh not base64url")
            << with(endpoint, "BCVx$$$", b64(good.auth)) << "p256dh";
        QTest::newRow("p256dh compressed")
            << with(endpoint, b64(compressed), b64(good.auth)) << "p256dh";
        QTest::newRow("p256dh off the curve")
            << with(endpoint, b64(offCurve), b64(good.auth)) << "curve";
        QTest::newRow("auth 15 bytes")
            << with(endpoint, b64(good.p256dh), b64(good.auth.left(15))) << "auth";
        QTest::newRow("auth missing") << with(endpoint, b64(good.p256dh), {}) << "auth";
    }
    void badSubscriptionsAreRefused()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, reason);
        QString error;
        QVERIFY(!PushSubscription::fromJsonBytes(json, &error).has_value());
        QVERIFY2(error.contains(reason), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestPushSubscription)
#include "tst_pushsubscription.moc"
