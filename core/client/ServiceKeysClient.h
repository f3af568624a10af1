#pragma once
// Reads the application server's public keys (`GET /v1/keys`): the push
// payload key that a process started by a push needs to verify the payload
// before it has any connection, the VAPID key its push subscription is
// restricted to, and the push-data key its push data is sealed to. The one
// reader of /v1/keys for every app (the tray's PushRegistrar, softphone-cli).

#include "RequestTls.h"

#include <QJsonObject>
#include <QObject>
#include <QSslConfiguration>
#include <QUrl>
#include <functional>
#include <optional>

class QNetworkAccessManager;

namespace softphone::client {

struct ServiceKeys
{
    QByteArray tokenKeyPem;
    QByteArray payloadKeyPem;
    QByteArray vapidKey;    // the raw 65-byte point
    QByteArray pushDataKey; // the raw 65-byte point devices seal their push data to
    QString pushDataKeyId;  // its id (base64url), to notice a rotation

    // One parse for every reader of /v1/keys; empty fields when absent.
    static ServiceKeys fromJson(const QJsonObject &body);
};

class ServiceKeysClient : public QObject
{
    Q_OBJECT

public:
    explicit ServiceKeysClient(const QUrl &appServerUrl, QObject *parent = nullptr);
    QUrl baseUrl() const { return m_baseUrl; }
    void setSslConfiguration(const QSslConfiguration &configuration) { m_tls.set(configuration); }
    // error: empty when the keys came, else a sentence for logs and the user.
    using Done =
        std::function<void(const softphone::client::ServiceKeys &keys, const QString &error)>;
    // Ends in one call of `done`, never once `context` (or this client) is destroyed.
    void fetch(QObject *context, Done done);

private:
    QUrl m_baseUrl;
    QNetworkAccessManager *m_network;
    RequestTls m_tls;
};

} // namespace softphone::client
