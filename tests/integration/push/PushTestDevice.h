#pragma once
// A device for push tests: a real PushChannel with its secrets in the real
// keychain (QtKeychain under the test's gnome-keyring), recording what the
// application saw; plus a blocking send through the real WebPushSender.

#include "keychain/InProcessKeychain.h"
#include "push/KeychainSecretStore.h"
#include "push/PushChannel.h"
#include "push/WebPushSender.h"
#include "support/HttpClient.h"

#include <QList>
#include <QTemporaryDir>

namespace softphone::test {

class PushTestDevice
{
public:
    explicit PushTestDevice(const QUrl &pushWsUrl);

    // Starts the channel and subscribes; false if no endpoint came.
    bool startAndSubscribe(const QString &name = QStringLiteral("calls"),
                           const QByteArray &vapidKey = {});
    push::PushChannel &channel() { return m_channel; }
    push::PushSubscription subscription() const { return m_subscription; }
    QStringList payloads() const; // what the application accepted, in order
    QList<push::PushMessage> &received() { return m_received; }
    bool autoAccept = true;
    int duplicates = 0;

private:
    QTemporaryDir m_dir;
    keychain::InProcessKeychain m_keychain;
    push::KeychainSecretStore m_secrets{m_keychain};
    push::PushChannel m_channel;
    push::PushSubscription m_subscription;
    QList<push::PushMessage> m_received;
};

// A real WebPushSender send, waited for in a nested event loop (test code only).
push::WebPushResult sendPush(const push::PushSubscription &subscription, const QByteArray &payload,
                             const push::WebPushOptions &options = {},
                             const crypto::EcKey &vapidKey = {});

// A subscription as user/device's push data sealed to the push-data key that
// `appServer` publishes in /v1/keys, as the real apps register it; empty on failure.
QByteArray sealedPushData(HttpClient &http, const QUrl &appServer,
                          const push::PushSubscription &subscription, const QString &user,
                          const QString &device);

// Fails the calling test with a clear message when no keychain answers.
bool keychainReachable(QString *why);

} // namespace softphone::test
