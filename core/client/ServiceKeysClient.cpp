#include "ServiceKeysClient.h"

#include "crypto/Base64Url.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>

namespace softphone::client {

ServiceKeysClient::ServiceKeysClient(const QUrl &appServerUrl, QObject *parent)
    : QObject(parent)
    , m_baseUrl(appServerUrl)
    , m_network(new QNetworkAccessManager(this))
{}

ServiceKeys ServiceKeys::fromJson(const QJsonObject &body)
{
    auto point = [&body](QLatin1StringView name) {
        const QByteArray raw =
            fromBase64Url(body.value(name).toString().toLatin1()).value_or(QByteArray());
        return raw.size() == 65 ? raw : QByteArray();
    };
    ServiceKeys keys;
    keys.tokenKeyPem = body.value(QLatin1StringView("tokenKey")).toString().toUtf8();
    keys.payloadKeyPem = body.value(QLatin1StringView("payloadKey")).toString().toUtf8();
    keys.vapidKey = point(QLatin1StringView("vapidKey"));
    keys.pushDataKey = point(QLatin1StringView("pushDataKey"));
    keys.pushDataKeyId = body.value(QLatin1StringView("pushDataKeyId")).toString();
    return keys;
}

void ServiceKeysClient::fetch(QObject *context, Done done)
{
    Q_ASSERT(context);
    QUrl url = m_baseUrl;
    url.setPath(url.path().chopped(url.path().endsWith(QLatin1Char('/')) ? 1 : 0) +
                QStringLiteral("/v1/keys"));
    QNetworkRequest request(url);
    request.setTransferTimeout(15000);
    m_tls.applyTo(request);
    QNetworkReply *reply = m_network->get(request);
    connect(reply, &QNetworkReply::finished, this,
            [reply, guard = QPointer<QObject>(context), done = std::move(done)] {
                reply->deleteLater();
                if (!guard || !done)
                    return;
                const int status =
                    reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                if (status != 200) {
                    done({}, QStringLiteral("GET /v1/keys failed: %1")
                                 .arg(status ? QString::number(status) : reply->errorString()));
                    return;
                }
                const ServiceKeys keys =
                    ServiceKeys::fromJson(QJsonDocument::fromJson(reply->read(65536)).object());
                if (keys.payloadKeyPem.isEmpty()) {
                    done({}, QStringLiteral("GET /v1/keys: no payloadKey in the answer"));
                    return;
                }
                done(keys, {});
            });
}

} // namespace softphone::client
