#include "HttpListener.h"

#include "Logging.h"

#include <QSslServer>
#include <QTcpServer>

namespace softphone::server {

HttpListener::HttpListener(QObject *parent)
    : QObject(parent)
{}

HttpListener::~HttpListener() = default;

void HttpListener::setTlsConfiguration(const QSslConfiguration &configuration)
{
    m_tlsConfiguration = configuration;
    m_tls = true;
}

bool HttpListener::listen(const QHostAddress &address, quint16 port, QString *error)
{
    if (m_tcp) {
        *error = QStringLiteral("the HTTP listener is already listening");
        return false;
    }
    QTcpServer *server = nullptr;
    if (m_tls) {
        auto *ssl = new QSslServer(&m_http);
        ssl->setSslConfiguration(m_tlsConfiguration);
        ssl->setHandshakeTimeout(10000);
        server = ssl;
    } else {
        server = new QTcpServer(&m_http);
    }
    server->setListenBacklogSize(kListenBacklog);
    server->setMaxPendingConnections(100000);
    if (!server->listen(address, port)) {
        *error = QStringLiteral("cannot listen on %1:%2 (HTTP): %3")
                     .arg(address.toString())
                     .arg(port)
                     .arg(server->errorString());
        delete server;
        return false;
    }
    m_http.bind(server);
    m_tcp = server;
    return true;
}

quint16 HttpListener::port() const
{
    return m_tcp ? m_tcp->serverPort() : 0;
}

QUrl HttpListener::url(const QString &path) const
{
    QHostAddress address = m_tcp ? m_tcp->serverAddress() : QHostAddress(QHostAddress::LocalHost);
    QUrl u;
    u.setScheme(m_tls ? QStringLiteral("https") : QStringLiteral("http"));
    if (address == QHostAddress::Any || address == QHostAddress::AnyIPv4)
        u.setHost(QStringLiteral("127.0.0.1"));
    else if (address == QHostAddress::AnyIPv6)
        u.setHost(QStringLiteral("::1"));
    else
        u.setHost(address.toString());
    u.setPort(port());
    u.setPath(path);
    return u;
}

} // namespace softphone::server
