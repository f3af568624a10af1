#include "LineRequest.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QLocalSocket>
#include <utility>

namespace softphone::ipc {

namespace {

// The first line of buffer as a JSON object: Answered, or Failed with why.
LineRequest::Result parseAnswer(const QByteArray &buffer)
{
    LineRequest::Result result;
    const QJsonDocument doc = QJsonDocument::fromJson(buffer.left(buffer.indexOf('\n')));
    if (!doc.isObject()) {
        result.error = QStringLiteral("the answer is not a JSON object");
        return result;
    }
    result.outcome = LineRequest::Outcome::Answered;
    result.answer = doc.object();
    return result;
}

// The first line (its newline included) is over the limit, or will be.
bool lineTooLong(const QByteArray &buffer, qint64 maxLine)
{
    const qsizetype end = buffer.indexOf('\n');
    return (end < 0 ? buffer.size() : end + 1) > maxLine;
}

QString tooLong(qint64 maxLine)
{
    return QStringLiteral("the answer is longer than %1 bytes").arg(maxLine);
}

} // namespace

bool LineRequest::Result::ok() const
{
    return outcome == Outcome::Answered &&
           answer.value(QStringLiteral("type")).toString() == QLatin1String("ok");
}

QString LineRequest::Result::reason() const
{
    if (ok())
        return {};
    if (outcome != Outcome::Answered)
        return error;
    const QString message = answer.value(QStringLiteral("message")).toString();
    return message.isEmpty() ? QStringLiteral("an answer that is neither ok nor an error")
                             : message;
}

LineRequest::LineRequest(const LineProtocol &protocol, QObject *context, Done done)
    : QObject(context)
    , m_maxLine(protocol.maxLine)
    , m_done(std::move(done))
    , m_socket(new QLocalSocket(this))
{}

LineRequest::Outcome LineRequest::outcomeOf(int socketError)
{
    return socketError == QLocalSocket::ServerNotFoundError ||
                   socketError == QLocalSocket::ConnectionRefusedError
               ? Outcome::NoServer
               : Outcome::Failed;
}

LineRequest *LineRequest::send(const QString &path, const LineProtocol &protocol,
                               const QJsonObject &message, int timeoutMs, QObject *context,
                               Done done)
{
    auto *request = new LineRequest(protocol, context, std::move(done));
    QLocalSocket *socket = request->m_socket;
    const QByteArray line = toLine(message);
    connect(socket, &QLocalSocket::connected, request, [socket, line] { socket->write(line); });
    connect(socket, &QLocalSocket::readyRead, request, &LineRequest::onReadyRead);
    connect(socket, &QLocalSocket::errorOccurred, request,
            [request, path](QLocalSocket::LocalSocketError error) {
                request->onSocketError(path, error);
            });
    request->m_timeout.setSingleShot(true);
    connect(&request->m_timeout, &QTimer::timeout, request, [request, timeoutMs] {
        request->finish(
            {Outcome::TimedOut, {}, QStringLiteral("no answer within %1 ms").arg(timeoutMs)});
    });
    request->m_timeout.start(timeoutMs);
    // A missing socket fails inside connectToServer(): see finish().
    request->m_inSend = true;
    socket->connectToServer(path);
    request->m_inSend = false;
    return request;
}

void LineRequest::cancel()
{
    m_done = nullptr;
    finish({});
}

void LineRequest::onSocketError(const QString &path, int error)
{
    // The server may answer and close at once: the answer may be in the buffer.
    onReadyRead();
    if (m_finished)
        return;
    if (outcomeOf(error) == Outcome::NoServer)
        finish({Outcome::NoServer, {}, QStringLiteral("nobody listens at %1").arg(path)});
    else if (error == QLocalSocket::PeerClosedError)
        finish({Outcome::Failed, {}, QStringLiteral("the connection closed without an answer")});
    else
        finish({Outcome::Failed, {}, m_socket->errorString()});
}

void LineRequest::onReadyRead()
{
    if (m_finished || !m_socket->isReadable())
        return;
    m_buffer += m_socket->readAll();
    if (lineTooLong(m_buffer, m_maxLine))
        finish({Outcome::Failed, {}, tooLong(m_maxLine)});
    else if (m_buffer.contains('\n'))
        finish(parseAnswer(m_buffer));
}

void LineRequest::finish(const Result &result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_timeout.stop();
    m_socket->disconnect(this);
    m_socket->abort();
    // Never inside send(): the caller has not even got the request yet.
    if (m_inSend)
        QMetaObject::invokeMethod(
            this, [this, result] { deliver(result); }, Qt::QueuedConnection);
    else
        deliver(result);
}

void LineRequest::deliver(const Result &result)
{
    if (Done done = std::exchange(m_done, nullptr))
        done(result);
    deleteLater();
}

LineRequest::Result LineRequest::exchange(const QString &path, const LineProtocol &protocol,
                                          const QJsonObject &message, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    const auto remaining = [&deadline] { return int(qMax<qint64>(0, deadline.remainingTime())); };
    const auto timedOut = [timeoutMs] {
        return Result{
            Outcome::TimedOut, {}, QStringLiteral("no answer within %1 ms").arg(timeoutMs)};
    };
    QLocalSocket socket;
    socket.connectToServer(path);
    if (!socket.waitForConnected(remaining())) {
        if (outcomeOf(socket.error()) == Outcome::NoServer)
            return {Outcome::NoServer, {}, QStringLiteral("nobody listens at %1").arg(path)};
        return deadline.hasExpired() ? timedOut()
                                     : Result{Outcome::Failed, {}, socket.errorString()};
    }
    socket.write(toLine(message));
    socket.waitForBytesWritten(remaining());
    QByteArray buffer;
    for (;;) {
        buffer += socket.readAll();
        if (lineTooLong(buffer, protocol.maxLine))
            return {Outcome::Failed, {}, tooLong(protocol.maxLine)};
        if (buffer.contains('\n'))
            return parseAnswer(buffer);
        if (deadline.hasExpired())
            return timedOut();
        if (!socket.waitForReadyRead(remaining()) && !deadline.hasExpired() &&
            socket.bytesAvailable() == 0)
            return {Outcome::Failed, {}, QStringLiteral("the connection closed without an answer")};
    }
}

} // namespace softphone::ipc
