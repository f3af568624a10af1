#pragma once
// The one HTTP port of the server: our own TCP (or TLS) server, each connection
// an HttpConnection held to HttpLimits, and the routes (HttpServer) the roles
// add to http(). A source address may hold at most
// HttpLimits::pendingPerAddress connections that have not finished a request.

#include "AddressGate.h"
#include "HttpServer.h"

#include <QHostAddress>
#include <QObject>
#include <QSslConfiguration>
#include <QUrl>
#include <memory>

class QTcpServer;

namespace softphone::server {

struct ServerOptions;

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
    // --set http.request_timeout / http.idle_timeout (seconds) and
    // http.pending_per_address (count); call before listen().
    void configure(const ServerOptions &options);
    const HttpLimits &limits() const { return m_limits; }

    bool listen(const QHostAddress &address, quint16 port, QString *error);
    quint16 port() const;
    HttpServer &http() { return m_http; }
    // http://host:port/path (https:// with TLS); a wildcard bind address reads as loopback.
    QUrl url(const QString &path = QString()) const;

private:
    void acceptConnections();

    HttpLimits m_limits;
    HttpServer m_http{m_limits};
    std::shared_ptr<AddressGate> m_gate;
    QTcpServer *m_tcp = nullptr;
    QSslConfiguration m_tlsConfiguration;
    bool m_tls = false;
};

} // namespace softphone::server
