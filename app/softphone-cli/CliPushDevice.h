#pragma once
// This machine's push channel for the CLI's push-flow commands (push register,
// offline): a PushChannel with its secrets in the keychain and one subscription
// named "softphone", subscribed once the channel is connected (so a stored
// subscription is re-announced rather than replaced). Also builds the push data
// the device registers: {"provider":"webpush","subscription":{W3C JSON}}.

#include "PushChannel.h"

#include <QObject>

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
    static QByteArray pushData(const push::PushSubscription &subscription);
    static QString defaultStateDir();

signals:
    void ready(const softphone::push::PushSubscription &subscription);
    void failed(const QString &reason);

private:
    push::KeychainSecretStore *m_secrets;
    push::PushChannel *m_channel;
    QByteArray m_vapidKey;
    bool m_subscribed = false;
};

} // namespace softphone::cli
