#pragma once
// The one HTTP port of the server: a QHttpServer bound to our own TCP (or TLS)
// server so the backlog and the TLS setup are ours. Roles add routes to http().

#include <QHostAddress>
#include <QHttpServer>
#include <QObject>
#include <QSslConfiguration>
#include <QUrl>

class QTcpServer;

namespace softphone::server {

class HttpListener : public QObject
{
    Q_OBJECT
public:
    static constexpr int kListenBacklog = 4096;

    explicit HttpListener(QObject *parent = nullptr);
    ~HttpListener() override;

    // Serve https:// with this configuration; call before listen().
    void setTlsConfiguration(const QSslConfiguration &configuration);
    bool isTls() const { return m_tls; }

    bool listen(const QHostAddress &address, quint16 port, QString *error);
    quint16 port() const;
    QHttpServer &http() { return m_http; }
    // http://host:port/path (https:// with TLS); a wildcard bind address reads as loopback.
    QUrl url(const QString &path = QString()) const;

private:
    QHttpServer m_http;
    QTcpServer *m_tcp = nullptr;
    QSslConfiguration m_tlsConfiguration;
    bool m_tls = false;
};

} // namespace softphone::server
