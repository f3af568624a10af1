#pragma once
// The parties of the push flow for tests, all real: a softphone-server process
// (calling, appserver, push roles), SoftphoneClients on its calling service, a
// PushChannel per offline device (secrets in the test keychain) and the
// PushPairSender glue posting pairs to the application server's /v1/push.

#include "client/PushPairSender.h"
#include "client/SoftphoneClient.h"
#include "integration/push/PushTestDevice.h"
#include "support/ServerProcess.h"

#include <memory>

namespace softphone::test {

class FlowHarness
{
public:
    explicit FlowHarness(QStringList serverArgs = {});
    // Starts the server, adds the users (password "password-<name>"), reads /v1/keys.
    bool start(const QStringList &users, QString *why);

    ServerProcess &server() { return m_server; }
    QByteArray payloadKeyPem() const { return m_payloadKeyPem; }

    // A started client (waits for started()); nullptr with a warning on failure.
    std::unique_ptr<client::SoftphoneClient> online(const QString &user, const QString &device,
                                                    client::ClientCapabilities caps = {});
    // A client configured and holding a token, NOT started (a device woken by push).
    std::unique_ptr<client::SoftphoneClient> dormant(const QString &user, const QString &device,
                                                     client::ClientCapabilities caps);
    // A push channel subscribed for (user, device), its subscription registered
    // as the device's push data by a short push-only connection.
    std::unique_ptr<PushTestDevice> registerPushDevice(const QString &user, const QString &device);
    // Glue for a caller: posts every push pair of `client` to /v1/push.
    std::unique_ptr<client::PushPairSender> glue(client::SoftphoneClient *client);

    // The "softphone" payload of a push body, or empty.
    static QString payloadOf(const push::PushMessage &message);
    // Waits for the next push on the device whose payload is of kind t ("call",
    // "message", "cancel"); empty on timeout.
    static QString waitForPayload(PushTestDevice &device, const QString &kind,
                                  int timeoutMs = 20000);

private:
    ServerProcess m_server;
    QByteArray m_payloadKeyPem;
    QByteArray m_vapidKey;
};

} // namespace softphone::test
