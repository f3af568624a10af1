#include "HttpConnection.h"

#include "AddressGate.h"
#include "HttpJson.h"
#include "HttpServer.h"
#include "ServerLogging.h"

#include <QSslSocket>
#include <QTcpSocket>

#include <sys/socket.h>

namespace softphone::server {

namespace {
constexpr qint64 kReadChunk = 16 * 1024;
constexpr qint64 kSocketReadBuffer = 64 * 1024;
constexpr int kLingerMs = 2000;

// Sends what is queued, then ends our side and discards what the peer still
// sends until it closes or lingerMs passed: closing with unread input would
// reset the connection and could destroy the answer before the peer read it.
void lingeringClose(QTcpSocket *socket, int lingerMs)
{
    auto *timer = new QTimer(socket);
    timer->setSingleShot(true);
    QObject::connect(timer, &QTimer::timeout, socket, [socket] { socket->abort(); });
    timer->start(lingerMs);
    auto shutdownWhenSent = [socket] {
        if (socket->bytesToWrite() > 0 || socket->property("sp_shut").toBool())
            return;
        socket->setProperty("sp_shut", true);
        if (qobject_cast<QSslSocket *>(socket))
            socket->disconnectFromHost(); // TLS: Qt ends the session itself
        else
            ::shutdown(int(socket->socketDescriptor()), SHUT_WR);
    };
    QObject::connect(socket, &QIODevice::bytesWritten, socket, shutdownWhenSent);
    QObject::connect(socket, &QIODevice::readyRead, socket,
                     [socket] { socket->skip(socket->bytesAvailable()); });
    socket->skip(socket->bytesAvailable());
    shutdownWhenSent();
}
} // namespace

HttpConnection::HttpConnection(QTcpSocket *socket, const HttpServer &server, bool tls,
                               QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_server(server)
    , m_parser(server.limits())
{
    m_socket->setParent(this);
    // What the server has not read yet stays in the kernel: TCP holds the sender.
    m_socket->setReadBufferSize(kSocketReadBuffer);
    m_parser.setPeer(m_socket->peerAddress(), tls);
    m_parser.setBodyLimit(
        [this](const HttpRequest &request) { return m_server.bodyLimit(request); });
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &HttpConnection::onTimeout);
    connect(m_socket, &QIODevice::readyRead, this, &HttpConnection::process);
    connect(m_socket, &QIODevice::bytesWritten, this, [this] {
        if (!m_closing && !m_busy)
            process();
    });
    connect(m_socket, &QAbstractSocket::disconnected, this, &QObject::deleteLater);
    m_timer.start(m_server.limits().requestTimeout);
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        QMetaObject::invokeMethod(this, &QObject::deleteLater, Qt::QueuedConnection);
    else if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &HttpConnection::process, Qt::QueuedConnection);
}

HttpConnection::~HttpConnection() = default;

void HttpConnection::process()
{
    if (m_closing || m_busy)
        return;
    // The peer is not taking its answers: read nothing more until it does.
    if (m_socket->bytesToWrite() > m_server.limits().writeHighMark)
        return;
    for (;;) {
        if (m_unparsed.isEmpty()) {
            m_unparsed = m_socket->read(kReadChunk);
            if (m_unparsed.isEmpty())
                return;
        }
        const bool wasStarted = m_parser.inProgress();
        const qsizetype used = m_parser.feed(m_unparsed.constData(), m_unparsed.size());
        m_unparsed.remove(0, used);
        if (!wasStarted && m_parser.inProgress() && m_served > 0)
            m_timer.start(m_server.limits().requestTimeout); // idle -> a request is coming
        if (m_parser.takeContinue())
            m_socket->write(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
        switch (m_parser.state()) {
        case HttpParser::State::NeedMore:
            continue;
        case HttpParser::State::Refused: {
            const HttpRefusal &refusal = m_parser.refusal();
            qCInfo(lcServerApp) << "HTTP request from" << m_socket->peerAddress().toString()
                                << "refused:" << refusal.status << refusal.message;
            finish(refusalResponse(refusal.status, refusal.code, refusal.message), true);
            return;
        }
        case HttpParser::State::Complete: {
            m_busy = true;
            m_timer.stop();
            m_keepAlive = m_parser.keepAlive();
            const HttpRequest request = m_parser.takeRequest();
            m_head = request.method() == HttpRequest::Method::Head;
            // A finished request: this peer is no longer a half-open connection.
            PendingSlot::authenticated(m_socket);
            m_server.dispatch(request, HttpResponder(this, ++m_requestNumber));
            return;
        }
        }
    }
}

void HttpConnection::answer(quint64 request, const HttpResponse &response)
{
    if (!awaits(request))
        return;
    m_busy = false;
    ++m_served;
    finish(response, !m_keepAlive || m_served >= m_server.limits().maxRequestsPerConnection);
}

void HttpConnection::finish(const HttpResponse &response, bool close)
{
    QByteArray bytes = serialize(response, close);
    if (m_head) // same head, no body
        bytes.truncate(bytes.size() - response.body().size());
    m_head = false;
    m_socket->write(bytes);
    m_parser.reset();
    if (close) {
        m_closing = true;
        m_timer.stop();
        lingeringClose(m_socket, kLingerMs);
        // Into the kernel now, not on the loop's next pass: a handler that
        // then holds the loop (a store waiting up to its 2 s lock bound) must
        // not let the linger timer, already running, abort the socket with
        // the answer still in Qt's buffer. (Here, not above: flush() emits
        // bytesWritten at once, and only a closing connection ignores it.)
        m_socket->flush();
        return;
    }
    m_timer.start(m_server.limits().idleTimeout);
    // A pipelined request may wait in the buffers; not from this stack (no recursion).
    QMetaObject::invokeMethod(this, &HttpConnection::process, Qt::QueuedConnection);
}

void HttpConnection::onTimeout()
{
    if (m_closing)
        return;
    if (m_socket->bytesToWrite() > 0) {
        qCInfo(lcServerApp) << "HTTP peer" << m_socket->peerAddress().toString()
                            << "does not read its answers: dropped";
        m_socket->abort();
        deleteLater();
        return;
    }
    if (m_parser.inProgress() || m_served == 0) {
        finish(refusalResponse(408, QStringLiteral("timeout"),
                               QStringLiteral("the request did not arrive within %1 s")
                                   .arg(m_server.limits().requestTimeout.count() / 1000.0)),
               true);
        return;
    }
    m_socket->disconnectFromHost(); // idle keep-alive connection
}

HttpResponse HttpConnection::refusalResponse(int status, const QString &code,
                                             const QString &message)
{
    return jsonError(HttpResponse::Status(status), code, message);
}

QByteArray HttpConnection::serialize(const HttpResponse &response, bool close)
{
    const int status = response.statusCode();
    const QByteArray &data = response.body();
    QByteArray out;
    out.reserve(256 + data.size());
    out += "HTTP/1.1 " + QByteArray::number(status) + ' ' +
           http_status_str(static_cast<http_status>(status)) + "\r\n";
    if (!data.isEmpty() && !response.contentType().isEmpty())
        out += "Content-Type: " + response.contentType() + "\r\n";
    for (const auto &[name, value] : response.headers())
        out += name + ": " + value + "\r\n";
    if (status >= 200 && status != 204 && status != 304)
        out += "Content-Length: " + QByteArray::number(data.size()) + "\r\n";
    if (close)
        out += "Connection: close\r\n";
    out += "\r\n";
    out += data;
    return out;
}

PendingSlot *HttpConnection::admit(const std::shared_ptr<AddressGate> &gate, QTcpSocket *socket,
                                   QObject *owner)
{
    const QHostAddress peer = socket->peerAddress();
    if (PendingSlot *slot = PendingSlot::acquire(gate, socket, peer))
        return slot;
    qCInfo(lcServerApp) << "connection from" << peer.toString() << "refused:" << gate->cap()
                        << "unauthenticated connections from there";
    socket->setParent(owner);
    HttpResponse response =
        refusalResponse(503, QStringLiteral("too_many_connections"),
                        QStringLiteral("too many unauthenticated connections from your address"));
    response.setHeader("Retry-After", "5");
    socket->write(serialize(response, true));
    QObject::connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
    lingeringClose(socket, kLingerMs);
    socket->flush(); // as in HttpConnection::finish
    return nullptr;
}

} // namespace softphone::server
