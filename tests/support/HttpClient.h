#pragma once
// A small HTTP client for test code: one request, waited for in a nested event
// loop (so other sockets of the test keep working), result as plain values.

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QSslConfiguration>
#include <QUrl>

namespace softphone::test {

struct HttpReply
{
    int status = 0; // 0 when no HTTP answer came (connection/TLS error, timeout)
    QByteArray body;
    QJsonObject json;    // body parsed as a JSON object, empty otherwise
    QString errorString; // transport error, if any
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray header(const QByteArray &name) const;
};

class HttpClient
{
public:
    // TLS: trust these certificates (e.g. the test's self-signed one).
    void setCaCertificates(const QList<QSslCertificate> &certificates);
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

    HttpReply get(const QUrl &url, const QList<QPair<QByteArray, QByteArray>> &headers = {});
    HttpReply post(const QUrl &url, const QByteArray &body,
                   const QList<QPair<QByteArray, QByteArray>> &headers = {});
    HttpReply postJson(const QUrl &url, const QJsonObject &body,
                       const QList<QPair<QByteArray, QByteArray>> &headers = {});
    HttpReply send(const QByteArray &method, const QUrl &url, const QByteArray &body,
                   const QList<QPair<QByteArray, QByteArray>> &headers);

private:
    QList<QSslCertificate> m_ca;
    int m_timeoutMs = 30000;
};

} // namespace softphone::test
