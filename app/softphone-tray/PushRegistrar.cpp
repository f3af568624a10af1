#include "PushRegistrar.h"

#include "TrayLogging.h"
#include "client/ServiceKeysClient.h"
#include "client/SoftphoneClient.h"
#include "common/Version.h"
#include "crypto/EcKey.h"
#include "push/WebPushData.h"

#include <QTimer>
#include <memory>

namespace softphone::tray {

using Connection = client::SoftphoneClient::ConnectionState;

PushRegistrar::PushRegistrar(const QString &stateDir, push::PushSecretStore *secrets,
                             QObject *parent)
    : QObject(parent)
    , m_channel(stateDir, secrets)
{
    connect(&m_channel, &push::PushChannel::statusChanged, this, &PushRegistrar::update);
    connect(&m_channel, &push::PushChannel::endpointChanged, this,
            [this](const QString &name, const push::PushSubscription &) {
                if (name == QLatin1String(kSubscription))
                    registerIfReady();
            });
    connect(&m_channel, &push::PushChannel::subscriptionFailed, this,
            [this](const QString &name, const QString &reason) {
                qCWarning(lcTray) << "push subscription" << name << "failed:" << reason;
                setStatus(Status::Failed, tr("Push subscription failed: %1").arg(reason));
            });
    connect(&m_channel, &push::PushChannel::messageReceived, this, &PushRegistrar::messageReceived);
}

PushRegistrar::~PushRegistrar()
{
    if (m_client)
        m_client->terminate();
}

void PushRegistrar::start(const QUrl &appServer, const client::LoginResult &login,
                          const QString &deviceId)
{
    // The push channel carries the uaid: not in the clear to another machine.
    if (const QString insecure = client::insecureTransportError(login.pushWsUrl, m_allowInsecure);
        !insecure.isEmpty()) {
        qCWarning(lcTray) << "push service:" << insecure;
        setStatus(Status::Failed, insecure);
        return;
    }
    m_appServer = appServer;
    m_login = login;
    m_deviceId = deviceId;
    m_running = true;
    m_registeredData.clear();
    setStatus(Status::Connecting);
    m_channel.setServiceUrl(login.pushWsUrl);
    m_channel.start();
    startClient();
    fetchKeys();
}

void PushRegistrar::fetchKeys()
{
    if (m_fetchingKeys)
        return;
    m_fetchingKeys = true;
    if (!m_keys || m_keys->baseUrl() != m_appServer) {
        delete m_keys;
        m_keys = new client::ServiceKeysClient(m_appServer, this);
    }
    m_keys->fetch(this, [this](const client::ServiceKeys &keys, const QString &error) {
        m_fetchingKeys = false;
        if (!m_running)
            return;
        if (!error.isEmpty() || keys.vapidKey.isEmpty() || keys.pushDataKey.isEmpty()) {
            const QString why = !error.isEmpty()
                                    ? error
                                    : QStringLiteral("no usable vapidKey/pushDataKey in /v1/keys");
            qCWarning(lcTray) << "application server keys:" << why;
            if (m_pushDataKey.isEmpty()) {
                setStatus(Status::Offline, tr("Application server: %1").arg(why));
                QTimer::singleShot(10000, this, [this] {
                    if (m_running && m_pushDataKey.isEmpty())
                        fetchKeys();
                });
            } else {
                registerIfReady(); // with the key we know: the server keeps the previous one
            }
            return;
        }
        setPayloadKey(keys.payloadKeyPem);
        if (keys.pushDataKeyId != m_pushDataKeyId && !m_pushDataKeyId.isEmpty())
            qCInfo(lcTray) << "the push-data key changed to" << keys.pushDataKeyId
                           << "- registering again";
        m_pushDataKey = keys.pushDataKey;
        m_pushDataKeyId = keys.pushDataKeyId;
        if (keys.vapidKey != m_vapidKey) {
            m_vapidKey = keys.vapidKey;
            // Only this application server may push to the subscription.
            m_channel.subscribe(QLatin1String(kSubscription), m_vapidKey);
        }
        registerIfReady();
    });
}

void PushRegistrar::startClient()
{
    client::ClientConfig config;
    config.serviceUrl = m_login.callingUrl;
    config.allowInsecure = m_allowInsecure;
    config.userId = m_login.user;
    config.deviceId = m_deviceId;
    // An "agent" connection: reachable by push only, never rings, never replaces the softphone.
    config.capabilities.calling = false;
    config.capabilities.push = true;
    config.clientName = clientName("softphone-tray");
    m_client = new client::SoftphoneClient(config, this);
    connect(m_client, &client::SoftphoneClient::connectionStateChanged, this, [this](Connection c) {
        if (c == Connection::Connected) {
            m_registeredData.clear(); // a fresh session: say it again,
            fetchKeys();              // sealed to the key the server publishes now
        }
        update();
    });
    connect(
        m_client, &client::SoftphoneClient::failed, this, [this](const client::ClientError &error) {
            qCWarning(lcTray) << "agent connection:" << client::ClientError::typeName(error.type)
                              << error.message;
            setStatus(error.type == client::ClientError::Type::Network ? Status::Offline
                                                                       : Status::Failed,
                      error.message);
        });
    connect(m_client->pushRegistration(), &client::PushRegistration::registered, this,
            &PushRegistrar::onRegistered);
    connect(m_client->pushRegistration(), &client::PushRegistration::registrationFailed, this,
            &PushRegistrar::onRegisterFailed);
    connect(m_client, &client::SoftphoneClient::payloadKeyChanged, this,
            &PushRegistrar::setPayloadKey);
    connect(m_client, &client::SoftphoneClient::logMessage, this,
            [](QtMsgType, const QString &message) { qCDebug(lcTray) << message; });
    m_client->setAccessToken(m_login.accessToken);
    m_client->start();
}

void PushRegistrar::setAccessToken(const QString &token)
{
    m_login.accessToken = token;
    if (!m_client)
        return;
    m_client->setAccessToken(token);
    // A refreshed session is a moment the service may have lost us: confirm again.
    m_registeredData.clear();
    fetchKeys();
}

client::SoftphoneClient *PushRegistrar::client() const
{
    return m_client;
}

void PushRegistrar::moveTo(const QUrl &appServer, const client::LoginResult &login)
{
    if (!m_running)
        return;
    m_appServer = appServer;
    m_login = login;
    if (client::insecureTransportError(login.pushWsUrl, m_allowInsecure).isEmpty())
        m_channel.setServiceUrl(login.pushWsUrl);
    m_registeredData.clear();
    fetchKeys();
}

void PushRegistrar::reconnect()
{
    if (!m_running)
        return;
    m_registeredData.clear();
    m_channel.reconnect();
    fetchKeys();
}

void PushRegistrar::registerIfReady()
{
    const auto subscription = m_channel.subscription(QLatin1String(kSubscription));
    if (!m_running || !m_client || !subscription || !subscription->isValid() ||
        m_client->connectionState() != Connection::Connected || m_registering || m_fetchingKeys ||
        m_pushDataKey.isEmpty())
        return;
    const push::WebPushData data{m_login.user, m_deviceId, *subscription};
    const QByteArray what = data.toJson() + '\n' + m_pushDataKeyId.toLatin1();
    if (what == m_registeredData)
        return;
    QString why;
    const auto key = crypto::EcKey::fromPublicRaw(m_pushDataKey);
    const QByteArray sealed = key ? data.seal(*key, &why) : QByteArray();
    if (sealed.isEmpty()) {
        qCWarning(lcTray) << "cannot seal the push data:" << why;
        setStatus(Status::Failed, tr("Push registration failed: %1").arg(why));
        return;
    }
    m_registering = true;
    m_sentData = what;
    update();
    // Failure comes as pushRegistrationFailed (queued), handled in onRegisterFailed.
    m_client->registerPushNotificationData(sealed);
}

void PushRegistrar::onRegistered()
{
    m_registering = false;
    m_registeredData = m_sentData;
    qCInfo(lcTray) << "push registration confirmed";
    update();
    registerIfReady(); // the endpoint may have changed meanwhile
}

void PushRegistrar::onRegisterFailed(const QString &reason)
{
    m_registering = false;
    qCWarning(lcTray) << "push registration failed:" << reason;
    setStatus(Status::Failed, tr("Push registration failed: %1").arg(reason));
    QTimer::singleShot(15000, this, &PushRegistrar::registerIfReady);
}

void PushRegistrar::setPayloadKey(const QByteArray &pem)
{
    if (pem.isEmpty() || pem == m_payloadKeyPem)
        return;
    m_payloadKeyPem = pem;
    emit payloadKeyChanged(pem);
}

void PushRegistrar::update()
{
    if (!m_running)
        return setStatus(Status::Stopped);
    const auto channel = m_channel.status();
    const bool clientUp = m_client && m_client->connectionState() == Connection::Connected;
    if (channel == push::PushChannel::Status::Connected && clientUp &&
        !m_registeredData.isEmpty() && !m_registering)
        return setStatus(Status::Online);
    if (channel == push::PushChannel::Status::Waiting)
        return setStatus(Status::Offline, tr("The push service cannot be reached"));
    if (m_client && m_client->connectionState() == Connection::Reconnecting)
        return setStatus(Status::Offline, tr("The calling service cannot be reached"));
    if ((m_status != Status::Offline && m_status != Status::Failed) || clientUp)
        setStatus(Status::Connecting);
}

void PushRegistrar::setStatus(Status status, const QString &reason)
{
    if (status == m_status && reason == m_reason)
        return;
    m_status = status;
    m_reason = reason;
    emit statusChanged(status, reason);
}

void PushRegistrar::stop(std::function<void()> done)
{
    m_running = false;
    auto finish = [this, done] {
        if (m_client) {
            m_client->terminate();
            m_client->deleteLater();
        }
        m_channel.unsubscribe(QLatin1String(kSubscription));
        m_channel.stop();
        m_registeredData.clear();
        m_vapidKey.clear();
        m_pushDataKey.clear();
        m_pushDataKeyId.clear();
        setStatus(Status::Stopped);
        if (done)
            done();
    };
    if (!m_client || m_client->connectionState() != Connection::Connected) {
        finish();
        return;
    }
    // From the service's answer on the device gets no pushes; a silent service
    // must not keep the user from signing out.
    auto once = std::make_shared<bool>(false);
    auto finishOnce = [finish, once] {
        if (!*once) {
            *once = true;
            finish();
        }
    };
    connect(m_client->pushRegistration(), &client::PushRegistration::unregistered, this,
            finishOnce);
    connect(m_client->pushRegistration(), &client::PushRegistration::unregistrationFailed, this,
            [finishOnce](const QString &error) {
                qCWarning(lcTray) << "push unregistration failed:" << error;
                finishOnce();
            });
    QTimer::singleShot(10000, this, finishOnce);
    m_client->unregisterPushNotificationData();
}

} // namespace softphone::tray
