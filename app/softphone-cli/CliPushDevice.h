#pragma once
// This machine's push channel for the CLI's push-flow commands (push register,
// offline): a PushChannel with its secrets in the keychain and one subscription
// named "softphone", subscribed once the channel is connected (so a stored
// subscription is re-announced rather than replaced). Also seals the push data
// the device registers (WebPushData) and remembers, in the state dir, which
// push-data key the registration used, so `offline` registers again after the
// operator rotated it.

#include "client/ServiceKeysClient.h"
#include "push/PushChannel.h"

#include <QObject>
#include <memory>

namespace softphone::keychain {
class InProcessKeychain;
}
namespace softphone::push {
class KeychainSecretStore;
}

namespace softphone::cli {

class CliPushDevice : public QObject
{
    Q_OBJECT

public:
    // vapidKey: the application server's raw VAPID point (restricts the subscription).
    CliPushDevice(const QString &stateDir, const QUrl &pushUrl, const QByteArray &vapidKey,
                  QObject *parent = nullptr);
    ~CliPushDevice() override;

    void start();
    push::PushChannel *channel() const { return m_channel; }
    // The subscription as this user's device's push data, sealed to the
    // application server's push-data key; empty and *why on failure.
    static QByteArray pushData(const push::PushSubscription &subscription, const QString &user,
                               const QString &device, const client::ServiceKeys &keys,
                               QString *why);
    // The push-data key id of the last confirmed registration ("" if unknown).
    QString registeredKeyId() const;
    void setRegisteredKeyId(const QString &keyId);
    static QString defaultStateDir();

signals:
    void ready(const softphone::push::PushSubscription &subscription);
    void failed(const QString &reason);

private:
    std::unique_ptr<keychain::InProcessKeychain> m_keychain; // outlives m_secrets
    push::KeychainSecretStore *m_secrets;
    push::PushChannel *m_channel;
    QByteArray m_vapidKey;
    QString m_stateDir;
    bool m_subscribed = false;
};

} // namespace softphone::cli
