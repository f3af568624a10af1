// NotificationResult: what a relayed push payload is, checked with a key the
// test generates the way the calling service signs payloads (ES256 JWT).
// Also the client's refusals that need no service: push data over 1024 bytes,
// push support off, relaying without the payload key.

#include "client/NotificationResult.h"
#include "client/SoftphoneClient.h"
#include "crypto/EcKey.h"
#include "crypto/Jwt.h"

#include <QSignalSpy>
#include <QTest>
#include <QUuid>

using namespace softphone;
using namespace softphone::client;

class TestNotificationResult : public QObject
{
    Q_OBJECT

    crypto::EcKey m_key = crypto::EcKey::generate();
    QString m_callId = QUuid::createUuid().toString(QUuid::WithoutBraces);

    QString payload(const QString &kind, qint64 expInSeconds, const crypto::EcKey &key,
                    const QString &to = QStringLiteral("bob"))
    {
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        QJsonObject claims{{"t", kind}, {"id", m_callId}, {"from", "alice"},
                           {"to", to},  {"iat", now},     {"exp", now + expInSeconds},
                           {"v", false}};
        if (kind == QLatin1StringView("call"))
            claims.insert(QStringLiteral("h"), QJsonObject{{"subject", "lunch"}});
        return crypto::signJwt(claims, key, QJsonObject{{"typ", "sp-push"}});
    }
    crypto::EcKey publicKey() const { return *crypto::EcKey::fromPem(m_key.publicPem()); }

private slots:
    void liveCall()
    {
        const auto result =
            NotificationResult::fromPayload(payload("call", 45, m_key), publicKey(), "bob");
        QVERIFY2(result.isValid(), qPrintable(result.error()));
        QVERIFY(result.isCall());
        QCOMPARE(result.callId(), m_callId);
        QCOMPARE(result.remoteUserId(), QStringLiteral("alice"));
        QCOMPARE(result.headers().value("subject"), QStringLiteral("lunch"));
        QVERIFY(!result.isTimedOut());
        QVERIFY(!result.isCanceled());
        QCOMPARE(result.toJson().value("callId").toString(), m_callId);
    }

    void pastDeadlineIsTimedOutNotInvalid()
    {
        const auto result =
            NotificationResult::fromPayload(payload("call", -5, m_key), publicKey(), "bob");
        QVERIFY2(result.isValid(), qPrintable(result.error()));
        QVERIFY(result.isTimedOut());
    }

    void messageAndCancel()
    {
        const auto message =
            NotificationResult::fromPayload(payload("message", 86400, m_key), publicKey(), "bob");
        QVERIFY(message.isMessage());
        QCOMPARE(message.messageId(), m_callId);
        QVERIFY(message.callId().isEmpty());
        const auto cancel =
            NotificationResult::fromPayload(payload("cancel", 45, m_key), publicKey(), "bob");
        QVERIFY(cancel.isCancel());
        QVERIFY(cancel.isCanceled());
        QCOMPARE(cancel.callId(), m_callId);
    }

    void everyFlippedByteIsInvalid()
    {
        const QString good = payload("call", 45, m_key);
        // One byte changed anywhere (header, claims or signature) must not verify.
        for (int i = 0; i < good.size(); i += 7) {
            QString bad = good;
            bad[i] = bad[i] == QLatin1Char('A') ? QLatin1Char('B') : QLatin1Char('A');
            if (bad == good || bad[i] == good[i])
                continue;
            const auto result = NotificationResult::fromPayload(bad, publicKey(), "bob");
            QVERIFY2(!result.isValid(), qPrintable(QString::number(i)));
            QVERIFY(!result.error().isEmpty());
        }
    }

    void forgedMalformedOrNotOurs()
    {
        const crypto::EcKey other = crypto::EcKey::generate();
        QVERIFY(!NotificationResult::fromPayload(payload("call", 45, other), publicKey(), "bob")
                     .isValid());
        QVERIFY(!NotificationResult::fromPayload("not.a.jwt", publicKey(), "bob").isValid());
        QVERIFY(!NotificationResult::fromPayload("", publicKey(), "bob").isValid());
        QVERIFY(!NotificationResult::fromPayload(QString(5000, 'a'), publicKey(), "bob").isValid());
        QVERIFY(!NotificationResult::fromPayload(payload("call", 45, m_key, "carol"), publicKey(),
                                                 "bob")
                     .isValid());
        QVERIFY(!NotificationResult::fromPayload(payload("party", 45, m_key), publicKey(), "bob")
                     .isValid());
        // Without the service's key nothing can be trusted.
        QVERIFY(!NotificationResult::fromPayload(payload("call", 45, m_key), crypto::EcKey(), "bob")
                     .isValid());
    }

    void clientRefusesBadPushData()
    {
        ClientConfig config;
        config.serviceUrl = QUrl("ws://127.0.0.1:1/v1/calling");
        config.userId = "bob";
        config.deviceId = "desk";
        config.capabilities.push = true;
        SoftphoneClient client(config);
        QSignalSpy failed(client.pushRegistration(), &PushRegistration::registrationFailed);
        QVERIFY(!client.registerPushNotificationData(QByteArray(1025, 'x')));
        QVERIFY(failed.wait(2000));
        QVERIFY(failed.first().first().toString().contains("1024"));
        QVERIFY(client.pushNotificationData().isEmpty());
        QVERIFY(client.registerPushNotificationData(QByteArray(1024, 'x')));
        QCOMPARE(client.pushNotificationData().size(), 1024);

        config.capabilities.push = false;
        SoftphoneClient noPush(config);
        QSignalSpy refused(noPush.pushRegistration(), &PushRegistration::registrationFailed);
        QVERIFY(!noPush.registerPushNotificationData("data"));
        QVERIFY(refused.wait(2000));
        QVERIFY(refused.first().first().toString().contains("push support is off"));
    }

    void relayWithoutKeyIsInvalidAndStartsNothing()
    {
        ClientConfig config;
        config.serviceUrl = QUrl("ws://127.0.0.1:1/v1/calling");
        config.userId = "bob";
        config.deviceId = "desk";
        config.capabilities.push = true;
        SoftphoneClient client(config);
        client.setAccessToken("token");
        const auto result = client.relayRemotePushNotificationPayload(payload("call", 45, m_key));
        QVERIFY(!result.isValid());
        QCOMPARE(client.connectionState(), SoftphoneClient::ConnectionState::Disconnected);
        QVERIFY(client.setPayloadKey(m_key.publicPem()));
        QVERIFY(!client.setPayloadKey("garbage"));
        QVERIFY(client.relayRemotePushNotificationPayload(payload("call", 45, m_key)).isValid());
        // A valid live call starts the client to claim it.
        QVERIFY(client.connectionState() != SoftphoneClient::ConnectionState::Disconnected);
        client.terminate();
    }
};

QTEST_GUILESS_MAIN(TestNotificationResult)
#include "tst_notificationresult.moc"
