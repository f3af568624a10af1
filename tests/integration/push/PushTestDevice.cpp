#include "PushTestDevice.h"

#include "crypto/Base64Url.h"
#include "push/WebPushData.h"

#include <QEventLoop>
#include <QSignalSpy>
#include <QTimer>
#include <QtTest>

namespace softphone::test {

PushTestDevice::PushTestDevice(const QUrl &pushWsUrl)
    : m_channel(m_dir.path(), &m_secrets)
{
    m_channel.setServiceUrl(pushWsUrl);
    // Quick retries keep restart tests short; the policy shape is the product's.
    m_channel.setBackoffPolicy(
        {std::chrono::milliseconds(200), 1.6, 0.2, std::chrono::milliseconds(2000)});
    QObject::connect(&m_channel, &push::PushChannel::messageReceived, &m_channel,
                     [this](const push::PushMessage &message) {
                         m_received.append(message);
                         if (autoAccept)
                             message.accept();
                     });
    QObject::connect(&m_channel, &push::PushChannel::duplicateDropped, &m_channel,
                     [this] { ++duplicates; });
    QObject::connect(
        &m_channel, &push::PushChannel::endpointChanged, &m_channel,
        [this](const QString &, const push::PushSubscription &sub) { m_subscription = sub; });
}

bool PushTestDevice::startAndSubscribe(const QString &name, const QByteArray &vapidKey)
{
    QSignalSpy endpoint(&m_channel, &push::PushChannel::endpointChanged);
    QSignalSpy failed(&m_channel, &push::PushChannel::subscriptionFailed);
    m_channel.start();
    m_channel.subscribe(name, vapidKey);
    for (int i = 0; i < 200 && endpoint.isEmpty() && failed.isEmpty(); ++i)
        endpoint.wait(100);
    if (!failed.isEmpty())
        qWarning() << "subscription failed:" << failed.first().at(1).toString();
    return !endpoint.isEmpty() && m_subscription.isValid();
}

QStringList PushTestDevice::payloads() const
{
    QStringList out;
    for (const auto &message : m_received)
        out.append(QString::fromUtf8(message.payload()));
    return out;
}

push::WebPushResult sendPush(const push::PushSubscription &subscription, const QByteArray &payload,
                             const push::WebPushOptions &options, const crypto::EcKey &vapidKey)
{
    push::WebPushSender sender;
    sender.setMaxAttempts(1);
    std::optional<push::WebPushResult> result;
    QEventLoop loop;
    sender.send(subscription, payload, options, vapidKey, QStringLiteral("mailto:test@example.org"),
                [&](const push::WebPushResult &r) {
                    result = r;
                    loop.quit();
                });
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    if (!result)
        loop.exec();
    return result.value_or(push::WebPushResult{});
}

bool keychainReachable(QString *why)
{
    keychain::InProcessKeychain keychain;
    push::KeychainSecretStore store(keychain, QStringLiteral("softphone-push-test"));
    // A freshly started gnome-keyring creates and unlocks its login collection
    // asynchronously; a probe in that window fails ("locked collection", "does not
    // exist"). A few tries over 10 s tell a keyring still starting from none at all.
    for (int attempt = 0; attempt < 10; ++attempt) {
        if (attempt > 0)
            QTest::qWait(1000);
        std::optional<bool> ok;
        QEventLoop loop;
        store.write(QStringLiteral("probe"), QByteArray("x"), &loop,
                    [&](bool written, const QString &error) {
                        ok = written;
                        *why = error;
                        loop.quit();
                    });
        QTimer::singleShot(20000, &loop, &QEventLoop::quit);
        if (!ok)
            loop.exec();
        if (!ok) {
            *why = QStringLiteral("the keychain did not answer within 20 s");
            break;
        }
        if (*ok)
            return true;
    }
    *why = QStringLiteral("no OS keychain reachable (%1); run the tests through tests/run-all or "
                          "tests/desktop-session, which start an unlocked gnome-keyring")
               .arg(*why);
    return false;
}

} // namespace softphone::test

namespace softphone::test {

QByteArray sealedPushData(HttpClient &http, const QUrl &appServer,
                          const push::PushSubscription &subscription, const QString &user,
                          const QString &device)
{
    const HttpReply keys = http.get(appServer.resolved(QUrl(QStringLiteral("/v1/keys"))));
    const auto point =
        fromBase64Url(keys.json.value(QLatin1StringView("pushDataKey")).toString().toLatin1());
    const auto key = point ? crypto::EcKey::fromPublicRaw(*point) : std::nullopt;
    if (keys.status != 200 || !key)
        return {};
    return push::WebPushData{user, device, subscription}.seal(*key);
}

} // namespace softphone::test
