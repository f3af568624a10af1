// An independent Web Push sender (npm web-push 3.6.7, over https as it insists)
// reaches OUR push service, and our PushChannel decrypts exactly the bytes it
// sent: any application server using the standard library can call our users.
// Also VAPID made by web-push on a subscription restricted to its key.

#include "crypto/Base64Url.h"
#include "crypto/EcKey.h"
#include "crypto/Random.h"
#include "crypto/WebPushEncryption.h"
#include "integration/push/PushTestDevice.h"
#include "support/ServerProcess.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace softphone;
using namespace softphone::test;

namespace {
QString b64(const QByteArray &data)
{
    return QString::fromLatin1(softphone::toBase64Url(data));
}
} // namespace

class TestPushInterop : public QObject
{
    Q_OBJECT
    QString m_dir = qEnvironmentVariable("SOFTPHONE_SOURCE_DIR") + QStringLiteral("/tests/interop");
    QString m_node;
    QTemporaryDir m_certDir;
    std::unique_ptr<ServerProcess> m_server;

    // One web-push sendNotification; the answer {statusCode, headers, body} or {__error}.
    QJsonObject webPushSend(const QJsonObject &request)
    {
        QProcess process;
        process.setWorkingDirectory(m_dir);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("NODE_EXTRA_CA_CERTS"), m_certDir.filePath("cert.pem"));
        process.setProcessEnvironment(env);
        process.start(m_node, {QStringLiteral("push-sender.mjs")});
        if (!process.waitForStarted(10000))
            return {{"__error", "node did not start"}};
        process.write(QJsonDocument(request).toJson(QJsonDocument::Compact));
        process.closeWriteChannel();
        if (!process.waitForFinished(60000)) {
            process.kill();
            process.waitForFinished();
            return {{"__error", "node timed out"}};
        }
        if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
            return {{"__error", QString::fromUtf8(process.readAllStandardError())}};
        const QJsonDocument doc = QJsonDocument::fromJson(process.readAllStandardOutput());
        if (!doc.isObject())
            return {{"__error", "push-sender.mjs printed no JSON object"}};
        return doc.object();
    }

    static QJsonObject request(const push::PushSubscription &subscription,
                               const QByteArray &payload, const QJsonValue &vapid = QJsonValue())
    {
        QJsonObject req{{"subscription", subscription.toJson()},
                        {"payload", b64(payload)},
                        {"ttl", 300},
                        {"urgency", "high"},
                        {"topic", "incoming-call"}};
        if (vapid.isObject())
            req.insert(QStringLiteral("vapid"), vapid);
        return req;
    }

    static QJsonObject vapidOf(const crypto::EcKey &key)
    {
        return {{"subject", "mailto:ops@app.example"},
                {"publicKey", b64(key.publicRaw())},
                {"privateKey", b64(key.privateRaw())}};
    }

#define WEBPUSH(var, req)                                                                          \
    const QJsonObject var = webPushSend(req);                                                      \
    QVERIFY2(!var.contains(QStringLiteral("__error")),                                             \
             qPrintable(var.value(QStringLiteral("__error")).toString()))

private slots:
    void initTestCase()
    {
        m_node = QStandardPaths::findExecutable(QStringLiteral("node"));
        // A missing peer is a broken test environment, not a reason to pass quietly.
        if (m_node.isEmpty())
            QFAIL("node is not on PATH: run packaging/install-deps.sh (it installs nodejs)");
        const QString webPush = m_dir + QStringLiteral("/node_modules/web-push/package.json");
        if (!QFileInfo::exists(webPush))
            QFAIL(qPrintable(QStringLiteral("%1 is missing: run `npm ci` in %2 "
                                            "(packaging/install-deps.sh does it)")
                                 .arg(webPush, m_dir)));
        QString why;
        if (!keychainReachable(&why))
            QFAIL(qPrintable(why));

        // web-push only speaks https: a self-signed P-256 certificate for 127.0.0.1.
        QProcess openssl;
        openssl.start("openssl",
                      {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                       "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
                       "subjectAltName=IP:127.0.0.1", "-keyout", m_certDir.filePath("key.pem"),
                       "-out", m_certDir.filePath("cert.pem")});
        QVERIFY(openssl.waitForFinished(30000));
        QCOMPARE(openssl.exitCode(), 0);
        const auto ca = QSslCertificate::fromPath(m_certDir.filePath("cert.pem"));
        QCOMPARE(ca.size(), 1);
        // Our devices (PushChannel's QWebSocket) trust it through the default configuration.
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.addCaCertificates(ca);
        QSslConfiguration::setDefaultConfiguration(ssl);

        m_server = std::make_unique<ServerProcess>(
            QStringList{"--roles", "push", "--tls-cert", m_certDir.filePath("cert.pem"),
                        "--tls-key", m_certDir.filePath("key.pem")});
        QVERIFY2(m_server->start(), qPrintable(m_server->lastError()));
        QCOMPARE(m_server->pushWsUrl().scheme(), QStringLiteral("wss"));
    }

    void webPushReachesOurChannel_data()
    {
        QTest::addColumn<int>("size");
        QTest::newRow("one byte") << 1;
        QTest::newRow("text sized") << 200;
        QTest::newRow("max 3993") << crypto::kWebPushMaxPlaintext;
    }
    void webPushReachesOurChannel()
    {
        QFETCH(int, size);
        PushTestDevice device(m_server->pushWsUrl());
        QVERIFY(device.startAndSubscribe());
        QCOMPARE(device.subscription().endpoint.scheme(), QStringLiteral("https"));
        const QByteArray payload = crypto::randomBytes(size);
        WEBPUSH(answer, request(device.subscription(), payload));
        QCOMPARE(answer.value("statusCode").toInt(), 201);
        QVERIFY(!answer.value("headers").toObject().value("location").toString().isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(device.received().size(), 1, 15000);
        QCOMPARE(device.received().first().payload(), payload);
    }

    void webPushVapidOnRestrictedSubscription()
    {
        const crypto::EcKey appServer = crypto::EcKey::generate();
        PushTestDevice device(m_server->pushWsUrl());
        QVERIFY(device.startAndSubscribe(QStringLiteral("calls"), appServer.publicRaw()));

        // Without VAPID and with another key the service refuses; nothing reaches the device.
        WEBPUSH(anonymous, request(device.subscription(), "no vapid"));
        QCOMPARE(anonymous.value("statusCode").toInt(), 401);
        WEBPUSH(stranger,
                request(device.subscription(), "wrong key", vapidOf(crypto::EcKey::generate())));
        QCOMPARE(stranger.value("statusCode").toInt(), 403);

        const QByteArray payload = "incoming call from alice";
        WEBPUSH(signedPush, request(device.subscription(), payload, vapidOf(appServer)));
        QCOMPARE(signedPush.value("statusCode").toInt(), 201);
        QTRY_COMPARE_WITH_TIMEOUT(device.received().size(), 1, 15000);
        QCOMPARE(device.received().first().payload(), payload);
        QTest::qWait(300); // a refused push arriving late would show up here
        QCOMPARE(device.received().size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestPushInterop)
#include "tst_push_interop.moc"
