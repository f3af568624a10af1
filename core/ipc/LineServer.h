#pragma once
// The one server of the desktop's local sockets (the softphone's instance
// socket, the tray agent's control socket): it listens on a path, splits what
// comes in into lines and hands each request to its handler, with the limits
// of its LineProtocol (see LineProtocol.h) applied before any handler runs:
//   - a line over maxLine bytes: "too_large", that connection closed;
//   - a line that is not a JSON object: "bad_json"; another "v": "unsupported_version"
//     (the connection goes on: its next line is read);
//   - no request for idleTimeoutMs (not counting the time its request is being
//     answered): "idle_timeout", closed;
//   - more than maxConnections at once: the new one gets "busy" and is closed.
// None of these touches another connection. Requests on one connection are
// answered in order, one at a time: the next line is read once the handler's
// LineReply has answered (now, or later: a sign-out answers when it is done).

#include "LineProtocol.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <functional>

class QLocalServer;

namespace softphone::ipc {

// Answers one request. Copyable; the first answer counts, later ones and
// answers to a requester that has gone do nothing.
class LineReply
{
public:
    // {"v":N,"type":"ok"} plus fields.
    void ok(const QJsonObject &fields = {}) const;
    void error(const QString &code, const QString &message) const;

private:
    friend class LineConnection;
    void send(const QJsonObject &answer) const;
    LineProtocol m_protocol{};
    QPointer<QObject> m_connection;
    quint64 m_serial = 0;
};

class LineServer : public QObject
{
    Q_OBJECT

public:
    // type: the message's "type"; message: the whole object ("v" checked).
    using Handler =
        std::function<void(const QString &type, const QJsonObject &message, const LineReply &)>;

    LineServer(const QString &path, const LineProtocol &protocol, QObject *parent = nullptr);
    ~LineServer() override;

    // Call before listen(); without one every request is "unknown_type".
    void setHandler(Handler handler) { m_handler = std::move(handler); }
    // Removes a file left at the path (call only when nobody answers there, or
    // while holding the lock that makes this process the only listener) and
    // listens, for the user only. False with the reason in *error.
    bool listen(QString *error = nullptr);

    QString path() const { return m_path; }
    const LineProtocol &protocol() const { return m_protocol; }
    int connectionCount() const { return m_connections; }

private:
    friend class LineConnection;
    void onNewConnection();
    void dispatch(const QString &type, const QJsonObject &message, const LineReply &reply);

    QString m_path;
    LineProtocol m_protocol;
    QLocalServer *m_server = nullptr;
    Handler m_handler;
    int m_connections = 0;
};

} // namespace softphone::ipc
