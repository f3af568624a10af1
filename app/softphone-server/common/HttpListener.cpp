#include "HttpListener.h"

#include "HttpConnection.h"
#include "ServerOptions.h"

#include <QSslServer>
#include <QTcpServer>

namespace softphone::server {

HttpListener::HttpListener(QObject *parent)
    : QObject(parent)
    , m_gate(std::make_shared<AddressGate>(m_limits.pendingPerAddress))
{}

HttpListener::~HttpListener() = default;

void HttpListener::setTlsConfiguration(const QSslConfiguration &configuration)
{
    m_tlsConfiguration = configuration;
    m_tls = true;
}

void HttpListener::configure(const ServerOptions &options)
{
    m_limits.requestTimeout =
        options.milliseconds(QStringLiteral("http.request_timeout"), m_limits.requestTimeout);
    m_limits.idleTimeout =
        options.milliseconds(QStringLiteral("http.idle_timeout"), m_limits.idleTimeout);
    m_limits.pendingPerAddress =
        options.count(QStringLiteral("http.pending_per_address"), m_limits.pendingPerAddress);
    m_gate->setCap(m_limits.pendingPerAddress);
}

bool HttpListener::listen(const QHostAddress &address, quint16 port, QString *error)
{
    if (m_tcp) {
        *error = QStringLiteral("the HTTP listener is already listening");
        return false;
    }
    QTcpServer *server = nullptr;
    if (m_tls) {
        auto *ssl = new QSslServer(this);
        ssl->setSslConfiguration(m_tlsConfiguration);
        ssl->setHandshakeTimeout(10000);
        server = ssl;
    } else {
        server = new QTcpServer(this);
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
    // QSslServer hands over connections once their TLS handshake is done.
    connect(server, &QTcpServer::pendingConnectionAvailable, this,
            &HttpListener::acceptConnections);
    m_tcp = server;
    return true;
}

void HttpListener::acceptConnections()
{
    while (m_tcp->hasPendingConnections()) {
        QTcpSocket *socket = m_tcp->nextPendingConnection();
        if (!socket)
            continue;
        if (HttpConnection::admit(m_gate, socket, this))
            new HttpConnection(socket, m_http, m_tls, this);
    }
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
