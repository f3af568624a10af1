#pragma once
// Reads the application server's public keys (`GET /v1/keys`): the push
// payload key that a process started by a push needs to verify the payload
// before it has any connection, and the VAPID key its push subscription is
// restricted to.

#include <QObject>
#include <QSslConfiguration>
#include <QUrl>

class QNetworkAccessManager;

namespace softphone::client {

struct ServiceKeys
{
    QByteArray tokenKeyPem;
    QByteArray payloadKeyPem;
    QByteArray vapidKey; // the raw 65-byte point
};

class ServiceKeysClient : public QObject
{
    Q_OBJECT

public:
    explicit ServiceKeysClient(const QUrl &appServerUrl, QObject *parent = nullptr);
    void setSslConfiguration(const QSslConfiguration &configuration) { m_ssl = configuration; }
    // Ends in fetched or failed.
    void fetch();

signals:
    void fetched(const softphone::client::ServiceKeys &keys);
    void failed(const QString &error);

private:
    QUrl m_baseUrl;
    QNetworkAccessManager *m_network;
    QSslConfiguration m_ssl = QSslConfiguration::defaultConfiguration();
};

} // namespace softphone::client
