#pragma once
// The one client of the desktop's local sockets: connect to a LineServer's
// path, send one message, read the one answer line, within a time limit. The
// instance socket's clients (a second softphone launch, the tray agent's push
// hand-off and push status) and `softphone-tray --sign-out` ask through it.
//
// send() works on the event loop and calls back once with the outcome;
// exchange() blocks without running the event loop, for a command line tool or
// a process about to exit.

#include "LineProtocol.h"

#include <QJsonObject>
#include <QObject>
#include <QTimer>
#include <functional>

class QLocalSocket;

namespace softphone::ipc {

class LineRequest : public QObject
{
    Q_OBJECT

public:
    enum class Outcome {
        Answered, // answer holds the answer line (an "ok" or an "error")
        NoServer, // nobody listens at the path (no socket file, or refused)
        Failed,   // connection lost, or an answer too long or not JSON
        TimedOut,
    };
    struct Result
    {
        Outcome outcome = Outcome::Failed;
        QJsonObject answer;
        QString error; // why, unless Answered

        // Answered with "type":"ok".
        bool ok() const;
        // An error answer's "message", or error; empty for "ok".
        QString reason() const;
    };
    using Done = std::function<void(const Result &)>;

    // Starts at once; done runs exactly once, on the event loop (never inside
    // send()) and never after context died, unless cancel() came first. The
    // request belongs to context and deletes itself when done.
    static LineRequest *send(const QString &path, const LineProtocol &protocol,
                             const QJsonObject &message, int timeoutMs, QObject *context,
                             Done done);
    // No callback any more; the connection is closed.
    void cancel();

    static Result exchange(const QString &path, const LineProtocol &protocol,
                           const QJsonObject &message, int timeoutMs);

private:
    LineRequest(const LineProtocol &protocol, QObject *context, Done done);
    void onReadyRead();
    void onSocketError(const QString &path, int error);
    void finish(const Result &result);
    void deliver(const Result &result);
    // What a socket error means for the request.
    static Outcome outcomeOf(int socketError);

    qint64 m_maxLine;
    Done m_done;
    QLocalSocket *m_socket;
    QTimer m_timeout;
    QByteArray m_buffer;
    bool m_finished = false;
    bool m_inSend = false;
};

} // namespace softphone::ipc
