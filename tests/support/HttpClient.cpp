#include "HttpClient.h"

#include <QBuffer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace softphone::test {

QByteArray HttpReply::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

void HttpClient::setCaCertificates(const QList<QSslCertificate> &certificates)
{
    m_ca = certificates;
}

HttpReply HttpClient::get(const QUrl &url, const QList<QPair<QByteArray, QByteArray>> &headers)
{
    return send("GET", url, {}, headers);
}

HttpReply HttpClient::post(const QUrl &url, const QByteArray &body,
                           const QList<QPair<QByteArray, QByteArray>> &headers)
{
    return send("POST", url, body, headers);
}

HttpReply HttpClient::postJson(const QUrl &url, const QJsonObject &body,
                               const QList<QPair<QByteArray, QByteArray>> &headers)
{
    auto all = headers;
    all.append(qMakePair(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")));
    return send("POST", url, QJsonDocument(body).toJson(QJsonDocument::Compact), all);
}

HttpReply HttpClient::send(const QByteArray &method, const QUrl &url, const QByteArray &body,
                           const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QNetworkAccessManager manager;
    QNetworkRequest request(url);
    for (const auto &[key, value] : headers)
        request.setRawHeader(key, value);
    if (!m_ca.isEmpty()) {
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.setCaCertificates(m_ca);
        request.setSslConfiguration(ssl);
    }
    QBuffer buffer;
    buffer.setData(body);
    buffer.open(QIODevice::ReadOnly);
    QNetworkReply *reply = manager.sendCustomRequest(request, method, &buffer);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(m_timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();

    HttpReply result;
    if (!reply->isFinished()) {
        result.errorString = QStringLiteral("timed out");
        reply->abort();
    }
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.headers = reply->rawHeaderPairs();
    if (reply->error() != QNetworkReply::NoError && result.status == 0)
        result.errorString = reply->errorString();
    const QJsonDocument doc = QJsonDocument::fromJson(result.body);
    if (doc.isObject())
        result.json = doc.object();
    delete reply;
    return result;
}

} // namespace softphone::test
