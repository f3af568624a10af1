#pragma once
// Keeps this device reachable by push: the PushChannel (subscription
// "softphone", restricted to the application server's VAPID key) and an
// agent-capability SoftphoneClient (calling off, push on, the softphone's device
// id) that registers exactly that subscription as the device's push data.
// The push data is sealed to the application server's push-data key
// (WebPushData). Registers again whenever something may have made the service
// forget it (a new endpoint, a new access token, the network back, resume from
// suspend) and whenever /v1/keys, read again at each of those moments, names
// another push-data key than the registration used (the operator rotated it).

#include "client/AppServerClient.h"
#include "push/PushChannel.h"

#include <QObject>
#include <QPointer>
#include <functional>
#include <memory>

namespace softphone::client {
class ServiceKeysClient;
class SoftphoneClient;
} // namespace softphone::client
namespace softphone::push {
class PushSecretStore;
}

namespace softphone::tray {

class PushRegistrar : public QObject
{
    Q_OBJECT

public:
    // Offline: the push or calling service cannot be reached (retried).
    // Failed: reached, but the subscription or the registration was refused or
    // could not be made (retried where a retry can help; the reason says why).
    enum class Status { Stopped, Connecting, Online, Offline, Failed };
    Q_ENUM(Status)

    static constexpr auto kSubscription = "softphone";

    // stateDir: where the PushChannel keeps its state file.
    PushRegistrar(const QString &stateDir, push::PushSecretStore *secrets,
                  QObject *parent = nullptr);
    ~PushRegistrar() override;

    void start(const QUrl &appServer, const client::LoginResult &login, const QString &deviceId);
    // --allow-insecure: ws:// to a calling service other than this machine.
    void setAllowInsecure(bool allow) { m_allowInsecure = allow; }
    void setAccessToken(const QString &token);
    // The agent's client moved to another node of the service (ServiceFailover):
    // keys, the push channel and the registration follow that node.
    void moveTo(const QUrl &appServer, const client::LoginResult &login);
    // The agent's calling client (null before start()), for ServiceFailover.
    client::SoftphoneClient *client() const;
    // The network or the machine woke up: reconnect both and register again.
    void reconnect();
    // Unregisters (so the device gets no more pushes), then stops; done() after.
    void stop(std::function<void()> done);

    Status status() const { return m_status; }
    // The calling service's push-payload key (SPKI PEM) from /v1/keys or the
    // agent's welcome; empty until known. Pushes are verified with it.
    QByteArray payloadKey() const { return m_payloadKeyPem; }
    QString reason() const { return m_reason; }
    push::PushChannel &channel() { return m_channel; }

signals:
    void statusChanged(softphone::tray::PushRegistrar::Status status, const QString &reason);
    void messageReceived(const softphone::push::PushMessage &message);
    void payloadKeyChanged(const QByteArray &pem);

private:
    // Reads /v1/keys; registration waits for the answer (or its failure).
    void fetchKeys();
    void startClient();
    void registerIfReady();
    void onRegistered();
    void onRegisterFailed(const QString &reason);
    void setPayloadKey(const QByteArray &pem);
    void update();
    void setStatus(Status status, const QString &reason = {});

    push::PushChannel m_channel;
    QPointer<client::ServiceKeysClient> m_keys; // reads /v1/keys of m_appServer
    QPointer<client::SoftphoneClient> m_client;
    QUrl m_appServer;
    client::LoginResult m_login;
    QString m_deviceId;
    bool m_allowInsecure = false;
    QByteArray m_vapidKey;
    QByteArray m_payloadKeyPem;
    QByteArray m_pushDataKey; // raw point the push data is sealed to
    QString m_pushDataKeyId;  // its id as /v1/keys names it
    bool m_fetchingKeys = false;
    // What was (or is being) registered: the push data before sealing and the
    // key id it was sealed to (sealed bytes differ every time).
    QByteArray m_sentData;
    QByteArray m_registeredData; // empty: say it again
    bool m_registering = false;
    bool m_running = false;
    Status m_status = Status::Stopped;
    QString m_reason;
};

} // namespace softphone::tray
