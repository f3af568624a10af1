#include "CliPushDevice.h"

#include "CliSession.h"
#include "KeychainSecretStore.h"

#include <QJsonDocument>
#include <QStandardPaths>

namespace softphone::cli {

namespace {
const QString kSubscriptionName = QStringLiteral("softphone");
}

CliPushDevice::CliPushDevice(const QString &stateDir, const QUrl &pushUrl,
                             const QByteArray &vapidKey, QObject *parent)
    : QObject(parent)
    , m_secrets(new push::KeychainSecretStore())
    , m_vapidKey(vapidKey)
{
    m_channel = new push::PushChannel(stateDir, m_secrets, this);
    m_channel->setServiceUrl(pushUrl);
    connect(m_channel, &push::PushChannel::stateChanged, this,
            [this](push::PushChannel::State state) {
                if (state != push::PushChannel::State::Connected || m_subscribed)
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

QByteArray CliPushDevice::pushData(const push::PushSubscription &subscription)
{
    return QJsonDocument(
               QJsonObject{{"provider", "webpush"}, {"subscription", subscription.toJson()}})
        .toJson(QJsonDocument::Compact);
}

QString CliPushDevice::defaultStateDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/push-device");
}

} // namespace softphone::cli
