#include "FlowHarness.h"

#include "client/CallVoice.h"
#include "crypto/Base64Url.h"
#include "crypto/Jwt.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

namespace softphone::test {

using namespace client;

FlowHarness::FlowHarness(QStringList serverArgs)
    : m_server(std::move(serverArgs))
{}

bool FlowHarness::start(const QStringList &users, QString *why)
{
    if (!m_server.start()) {
        *why = m_server.lastError();
        return false;
    }
    for (const QString &user : users)
        if (!m_server.addUser(user, QStringLiteral("password-") + user)) {
            *why = QStringLiteral("user add %1 failed").arg(user);
            return false;
        }
    QUrl keysUrl = m_server.appServerUrl();
    keysUrl.setPath(QStringLiteral("/v1/keys"));
    const HttpReply keys = m_server.http().get(keysUrl);
    m_payloadKeyPem = keys.json.value(QLatin1StringView("payloadKey")).toString().toUtf8();
    m_vapidKey = fromBase64Url(keys.json.value(QLatin1StringView("vapidKey")).toString().toLatin1())
                     .value_or(QByteArray());
    if (m_payloadKeyPem.isEmpty()) {
        *why = QStringLiteral("GET /v1/keys gave no payloadKey: %1").arg(QString(keys.body));
        return false;
    }
    return true;
}

std::unique_ptr<SoftphoneClient> FlowHarness::dormant(const QString &user, const QString &device,
                                                      ClientCapabilities caps)
{
    ClientConfig config;
    config.serviceUrl = m_server.callingUrl();
    config.userId = user;
    config.deviceId = device;
    config.capabilities = caps;
    auto client = std::make_unique<SoftphoneClient>(config);
    client->setCallMedia(client::CallVoice::create);
    client->setAccessToken(m_server.login(user, QStringLiteral("password-") + user, device));
    client->setPayloadKey(m_payloadKeyPem);
    return client;
}

std::unique_ptr<SoftphoneClient> FlowHarness::online(const QString &user, const QString &device,
                                                     ClientCapabilities caps)
{
    auto client = dormant(user, device, caps);
    QSignalSpy started(client.get(), &SoftphoneClient::started);
    client->start();
    if (!started.wait(15000)) {
        qWarning() << user << device << "did not start";
        return nullptr;
    }
    return client;
}

std::unique_ptr<PushTestDevice> FlowHarness::registerPushDevice(const QString &user,
                                                                const QString &device)
{
    auto pushDevice = std::make_unique<PushTestDevice>(m_server.pushWsUrl());
    pushDevice->autoAccept = false; // the relay decides, like the real apps
    if (!pushDevice->startAndSubscribe(QStringLiteral("softphone"), m_vapidKey)) {
        qWarning() << "push subscription failed";
        return nullptr;
    }
    ClientCapabilities caps;
    caps.calling = false; // an agent-like connection: does not count as online for calls
    caps.push = true;
    auto registrar = online(user, device, caps);
    if (!registrar)
        return nullptr;
    QSignalSpy registered(registrar->pushRegistration(), &PushRegistration::registered);
    QSignalSpy failed(registrar->pushRegistration(), &PushRegistration::registrationFailed);
    const QByteArray data = sealedPushData(m_server.http(), m_server.appServerUrl(),
                                           pushDevice->subscription(), user, device);
    if (data.isEmpty()) {
        qWarning() << "cannot seal the push data";
        return nullptr;
    }
    registrar->registerPushNotificationData(data);
    for (int i = 0; i < 100 && registered.isEmpty() && failed.isEmpty(); ++i)
        registered.wait(100);
    if (registered.isEmpty() && failed.isEmpty()) {
        qWarning() << "push.register got no answer";
        return nullptr;
    }
    if (!failed.isEmpty()) {
        qWarning() << "push.register failed:" << failed.first().first().toString();
        return nullptr;
    }
    registrar->terminate();
    return pushDevice;
}

std::unique_ptr<PushPairSender> FlowHarness::glue(SoftphoneClient *client)
{
    auto sender = std::make_unique<PushPairSender>(m_server.appServerUrl());
    sender->attach(client);
    return sender;
}

QString FlowHarness::payloadOf(const push::PushMessage &message)
{
    return QJsonDocument::fromJson(message.payload())
        .object()
        .value(QLatin1StringView("softphone"))
        .toString();
}

QString FlowHarness::waitForPayload(PushTestDevice &device, const QString &kind, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        // Taken off the list as they are looked at, so the next wait sees only newer pushes.
        while (!device.received().isEmpty()) {
            const push::PushMessage message = device.received().takeFirst();
            const QString payload = payloadOf(message);
            message.accept();
            const auto claims = crypto::decodeJwtUnverified(payload).claims;
            if (claims.value(QLatin1StringView("t")).toString() == kind)
                return payload;
        }
        QTest::qWait(20);
    }
    return {};
}

} // namespace softphone::test
