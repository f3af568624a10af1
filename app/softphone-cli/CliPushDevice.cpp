#include "CliPushDevice.h"

#include "CliSession.h"
#include "keychain/InProcessKeychain.h"
#include "push/KeychainSecretStore.h"

#include "crypto/EcKey.h"
#include "push/WebPushData.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>

namespace softphone::cli {

namespace {
const QString kSubscriptionName = QStringLiteral("softphone");
}

CliPushDevice::CliPushDevice(const QString &stateDir, const QUrl &pushUrl,
                             const QByteArray &vapidKey, QObject *parent)
    : QObject(parent)
    , m_keychain(std::make_unique<keychain::InProcessKeychain>())
    , m_secrets(new push::KeychainSecretStore(*m_keychain))
    , m_vapidKey(vapidKey)
    , m_stateDir(stateDir)
{
    m_channel = new push::PushChannel(stateDir, m_secrets, this);
    m_channel->setServiceUrl(pushUrl);
    connect(m_channel, &push::PushChannel::statusChanged, this,
            [this](push::PushChannel::Status status) {
                if (status != push::PushChannel::Status::Connected || m_subscribed)
                    return;
                m_subscribed = true;
                m_channel->subscribe(kSubscriptionName, m_vapidKey);
            });
    connect(m_channel, &push::PushChannel::endpointChanged, this,
            [this](const QString &name, const push::PushSubscription &subscription) {
                if (name == kSubscriptionName)
                    emit ready(subscription);
            });
    connect(m_channel, &push::PushChannel::subscriptionFailed, this,
            [this](const QString &, const QString &reason) { emit failed(reason); });
    connect(m_channel, &push::PushChannel::errorOccurred, this, [](const QString &message) {
        CliSession::printEvent({{"event", "warning"}, {"message", message}});
    });
}

CliPushDevice::~CliPushDevice()
{
    // The channel uses the store until it is gone.
    delete m_channel;
    delete m_secrets;
}

void CliPushDevice::start()
{
    m_channel->start();
}

QByteArray CliPushDevice::pushData(const push::PushSubscription &subscription, const QString &user,
                                   const QString &device, const client::ServiceKeys &keys,
                                   QString *why)
{
    const auto key = crypto::EcKey::fromPublicRaw(keys.pushDataKey);
    if (!key) {
        *why = QStringLiteral("the application server publishes no push-data key");
        return {};
    }
    return push::WebPushData{user, device, subscription}.seal(*key, why);
}

QString CliPushDevice::registeredKeyId() const
{
    QFile file(QDir(m_stateDir).filePath(QStringLiteral("push-data-key-id")));
    return file.open(QIODevice::ReadOnly) ? QString::fromLatin1(file.read(64)).trimmed()
                                          : QString();
}

void CliPushDevice::setRegisteredKeyId(const QString &keyId)
{
    QFile file(QDir(m_stateDir).filePath(QStringLiteral("push-data-key-id")));
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        file.write(keyId.toLatin1());
}

QString CliPushDevice::defaultStateDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/push-device");
}

} // namespace softphone::cli
