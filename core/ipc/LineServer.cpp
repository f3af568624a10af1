#include "LineServer.h"

#include "IpcLogging.h"

#include <QJsonDocument>
#include <QLocalServer>
#include <QLocalSocket>
#include <QScopedValueRollback>
#include <QTimer>

namespace softphone::ipc {

// One accepted connection: its socket, its idle timer and the request being
// answered. Deletes itself (and its socket) when the peer leaves.
class LineConnection : public QObject
{
public:
    LineConnection(QLocalSocket *socket, LineServer *server)
        : QObject(server)
        , m_server(server)
        , m_socket(socket)
    {
        // Counted while both live (the server's destructor deletes its
        // connections after it stopped being a LineServer).
        ++server->m_connections;
        connect(this, &QObject::destroyed, server, [server] { --server->m_connections; });
        socket->setParent(this);
        m_idle.setSingleShot(true);
        m_idle.setInterval(server->protocol().idleTimeoutMs);
        connect(&m_idle, &QTimer::timeout, this, [this] {
            qCInfo(lcIpc) << "no request within" << m_idle.interval() << "ms on" << m_server->path()
                          << "- connection closed";
            close(QStringLiteral("idle_timeout"),
                  QStringLiteral("no request within %1 ms").arg(m_idle.interval()));
        });
        connect(socket, &QLocalSocket::readyRead, this, &LineConnection::readLines);
        connect(socket, &QLocalSocket::disconnected, this, &QObject::deleteLater);
        m_idle.start();
    }

    void answer(quint64 serial, const QJsonObject &answer)
    {
        if (serial != m_serial || !m_pending || m_closing ||
            m_socket->state() != QLocalSocket::ConnectedState)
            return;
        m_pending = false;
        m_socket->write(toLine(answer));
        m_idle.start();
        if (!m_reading)
            readLines(); // lines that came while this one was answered
    }

private:
    void readLines()
    {
        // An answer given inside the handler continues this loop (no recursion).
        const QScopedValueRollback reading(m_reading, true);
        const qint64 maxLine = m_server->protocol().maxLine;
        while (!m_pending && !m_closing && m_socket->canReadLine()) {
            const QByteArray text = m_socket->readLine(maxLine + 1);
            if (!text.endsWith('\n')) {
                tooLarge();
                return;
            }
            handle(text.trimmed());
        }
        // A line without its end yet (or waiting behind an unanswered one) is
        // never buffered past the limit.
        if (!m_closing && m_socket->bytesAvailable() > maxLine)
            tooLarge();
    }

    void tooLarge()
    {
        const qint64 maxLine = m_server->protocol().maxLine;
        qCInfo(lcIpc) << "a line over" << maxLine << "bytes on" << m_server->path()
                      << "- connection closed";
        close(QStringLiteral("too_large"), QStringLiteral("line over %1 bytes").arg(maxLine));
    }

    void handle(const QByteArray &text)
    {
        const LineProtocol &protocol = m_server->protocol();
        LineReply reply;
        reply.m_protocol = protocol;
        reply.m_connection = this;
        reply.m_serial = ++m_serial;
        m_pending = true;
        m_idle.stop();
        const QJsonDocument doc = QJsonDocument::fromJson(text);
        const QJsonObject message = doc.object();
        if (!doc.isObject())
            reply.error(QStringLiteral("bad_json"), QStringLiteral("not a JSON object"));
        else if (message.value(QStringLiteral("v")).toInt(-1) != protocol.version)
            reply.error(QStringLiteral("unsupported_version"),
                        QStringLiteral("this %1 speaks version %2")
                            .arg(QLatin1String(protocol.speaker))
                            .arg(protocol.version));
        else
            m_server->dispatch(message.value(QStringLiteral("type")).toString(), message, reply);
    }

    void close(const QString &code, const QString &message)
    {
        m_closing = true;
        m_idle.stop();
        m_socket->write(toLine(lineError(m_server->protocol(), code, message)));
        m_socket->disconnectFromServer(); // after what is written; then disconnected()
    }

    LineServer *m_server;
    QLocalSocket *m_socket;
    QTimer m_idle;
    quint64 m_serial = 0;
    bool m_pending = false; // the request m_serial is being answered
    bool m_closing = false;
    bool m_reading = false; // inside readLines()
};

void LineReply::ok(const QJsonObject &fields) const
{
    send(lineMessage(m_protocol, QStringLiteral("ok"), fields));
}

void LineReply::error(const QString &code, const QString &message) const
{
    send(lineError(m_protocol, code, message));
}

void LineReply::send(const QJsonObject &answer) const
{
    if (auto *connection = static_cast<LineConnection *>(m_connection.data()))
        connection->answer(m_serial, answer);
}

LineServer::LineServer(const QString &path, const LineProtocol &protocol, QObject *parent)
    : QObject(parent)
    , m_path(path)
    , m_protocol(protocol)
{}

LineServer::~LineServer()
{
    if (m_server)
        m_server->close();
}

bool LineServer::listen(QString *error)
{
    if (!m_server) {
        m_server = new QLocalServer(this);
        m_server->setSocketOptions(QLocalServer::UserAccessOption);
        connect(m_server, &QLocalServer::newConnection, this, &LineServer::onNewConnection);
    }
    QLocalServer::removeServer(m_path);
    if (!m_server->listen(m_path)) {
        if (error)
            *error = QStringLiteral("cannot listen on %1: %2").arg(m_path, m_server->errorString());
        return false;
    }
    return true;
}

void LineServer::onNewConnection()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        if (m_connections < m_protocol.maxConnections) {
            new LineConnection(socket, this);
            continue;
        }
        qCWarning(lcIpc) << "more than" << m_protocol.maxConnections << "connections at once on"
                         << m_path << "- the new one is refused";
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        socket->write(toLine(lineError(
            m_protocol, QStringLiteral("busy"),
            QStringLiteral("more than %1 connections at once").arg(m_protocol.maxConnections))));
        socket->disconnectFromServer();
    }
}

void LineServer::dispatch(const QString &type, const QJsonObject &message, const LineReply &reply)
{
    if (m_handler)
        m_handler(type, message, reply);
    else
        reply.error(QStringLiteral("unknown_type"), QStringLiteral("unknown type '%1'").arg(type));
}

} // namespace softphone::ipc
