#include "LoopbackClients.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

namespace softphone::test {

QVariant sqlValue(const QString &file, const QString &statement, const QVariantList &binds,
                  bool *ok)
{
    static int serial = 0;
    const QString name = QStringLiteral("peek-%1").arg(++serial);
    QVariant value;
    bool done = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(file);
        if (db.open()) {
            QSqlQuery q(db);
            q.prepare(statement);
            for (const QVariant &bind : binds)
                q.addBindValue(bind);
            done = q.exec();
            if (done && q.next())
                value = q.value(0);
        }
    }
    QSqlDatabase::removeDatabase(name);
    if (ok)
        *ok = done;
    return value;
}

namespace {
std::unique_ptr<QTcpSocket> connectFrom(const QHostAddress &from, const QUrl &url)
{
    auto socket = std::make_unique<QTcpSocket>();
    if (!socket->bind(from, 0))
        qWarning("cannot bind to %s: %s", qPrintable(from.toString()),
                 qPrintable(socket->errorString()));
    socket->connectToHost(url.host(), quint16(url.port()));
    return socket;
}

// A whole response: the head and as many body bytes as its Content-Length says
// (Qt 6.4's HTTP server keeps the connection open despite "Connection: close").
bool complete(const QByteArray &raw)
{
    const qsizetype end = raw.indexOf("\r\n\r\n");
    if (end < 0)
        return false;
    const QByteArray head = raw.left(end).toLower();
    const qsizetype at = head.indexOf("content-length:");
    if (at < 0)
        return true;
    const qsizetype eol = head.indexOf('\r', at);
    const int length = head.mid(at + 15, eol < 0 ? -1 : eol - at - 15).trimmed().toInt();
    return raw.size() >= end + 4 + length;
}

HttpReply parseReply(const QByteArray &raw)
{
    HttpReply reply;
    const qsizetype end = raw.indexOf("\r\n\r\n");
    if (end < 0)
        return reply;
    const QList<QByteArray> lines = raw.left(end).split('\n');
    const QList<QByteArray> status = lines.value(0).split(' ');
    reply.status = status.value(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0)
            reply.headers.append(
                {lines[i].left(colon).trimmed(), lines[i].mid(colon + 1).trimmed()});
    }
    reply.body = raw.mid(end + 4);
    reply.json = QJsonDocument::fromJson(reply.body).object();
    return reply;
}
} // namespace

QList<HttpReply> parallelPosts(const QUrl &url, const QList<QByteArray> &bodies,
                               const QList<QPair<QByteArray, QByteArray>> &headers,
                               const QHostAddress &from, int timeoutMs)
{
    QList<QPair<QUrl, QByteArray>> requests;
    for (const QByteArray &body : bodies)
        requests.append({url, body});
    return parallelPosts(requests, headers, from, timeoutMs);
}

QList<HttpReply> parallelPosts(const QList<QPair<QUrl, QByteArray>> &requests,
                               const QList<QPair<QByteArray, QByteArray>> &headers,
                               const QHostAddress &from, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    std::vector<std::unique_ptr<QTcpSocket>> sockets;
    for (const auto &request : requests)
        sockets.push_back(connectFrom(from, request.first));
    auto all = [&sockets](QAbstractSocket::SocketState state) {
        return std::all_of(sockets.begin(), sockets.end(),
                           [state](const auto &s) { return s->state() == state; });
    };
    (void)QTest::qWaitFor([&] { return all(QAbstractSocket::ConnectedState); },
                          int(deadline.remainingTime()));
    // Every connection is up: the requests leave back to back.
    for (qsizetype i = 0; i < requests.size(); ++i) {
        const auto &[url, body] = requests[i];
        QByteArray request =
            "POST " + url.path(QUrl::FullyEncoded).toLatin1() +
            " HTTP/1.1\r\nHost: " + url.authority().toLatin1() +
            "\r\nConnection: close\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
        for (const auto &[name, value] : headers)
            request += name + ": " + value + "\r\n";
        sockets[size_t(i)]->write(request + "\r\n" + body);
    }
    std::vector<QByteArray> raw(sockets.size());
    (void)QTest::qWaitFor(
        [&] {
            bool done = true;
            for (size_t i = 0; i < sockets.size(); ++i) {
                raw[i] += sockets[i]->readAll();
                done = done && (complete(raw[i]) ||
                                sockets[i]->state() == QAbstractSocket::UnconnectedState);
            }
            return done;
        },
        int(qMax<qint64>(0, deadline.remainingTime())));
    QList<HttpReply> replies;
    for (size_t i = 0; i < sockets.size(); ++i)
        replies.append(parseReply(raw[i] + sockets[i]->readAll()));
    return replies;
}

BoundWebSocket::BoundWebSocket(const QHostAddress &from)
    : m_from(from)
{}

bool BoundWebSocket::open(const QUrl &url, const QByteArray &protocol, int timeoutMs)
{
    m_socket = connectFrom(m_from, url);
    if (!m_socket->waitForConnected(timeoutMs))
        return false;
    QByteArray nonce(16, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(nonce.data()), 4);
    m_socket->write(
        "GET " + url.path(QUrl::FullyEncoded).toLatin1() +
        " HTTP/1.1\r\nHost: " + url.authority().toLatin1() +
        "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + nonce.toBase64() +
        "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: " + protocol + "\r\n\r\n");
    const QDeadlineTimer deadline(timeoutMs);
    while (!m_buffer.contains("\r\n\r\n") && !deadline.hasExpired() &&
           m_socket->waitForReadyRead(int(deadline.remainingTime())))
        m_buffer += m_socket->readAll();
    const qsizetype end = m_buffer.indexOf("\r\n\r\n");
    if (end < 0 || !m_buffer.startsWith("HTTP/1.1 101"))
        return false;
    m_buffer.remove(0, end + 4);
    return true;
}

void BoundWebSocket::sendText(const QByteArray &text)
{
    QByteArray frame;
    frame.append(char(0x81)); // FIN + text
    if (text.size() < 126) {
        frame.append(char(0x80 | text.size()));
    } else {
        frame.append(char(0x80 | 126));
        frame.append(char((text.size() >> 8) & 0xff));
        frame.append(char(text.size() & 0xff));
    }
    const quint32 mask = QRandomGenerator::global()->generate();
    const char *m = reinterpret_cast<const char *>(&mask);
    frame.append(m, 4);
    for (qsizetype i = 0; i < text.size(); ++i)
        frame.append(char(text[i] ^ m[i % 4]));
    m_socket->write(frame);
    m_socket->flush();
}

bool BoundWebSocket::readFrame(int timeoutMs, QByteArray *text)
{
    const QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        m_buffer += m_socket->readAll();
        if (m_buffer.size() >= 2) {
            const int opcode = quint8(m_buffer[0]) & 0x0f;
            qsizetype length = quint8(m_buffer[1]) & 0x7f;
            qsizetype offset = 2;
            if (length == 126 && m_buffer.size() >= 4) {
                length = (qsizetype(quint8(m_buffer[2])) << 8) | quint8(m_buffer[3]);
                offset = 4;
            }
            if (length < 126 || offset == 4) {
                if (m_buffer.size() >= offset + length) {
                    const QByteArray payload = m_buffer.mid(offset, length);
                    m_buffer.remove(0, offset + length);
                    if (opcode == 0x8) {
                        m_closeCode = payload.size() >= 2
                                          ? (quint8(payload[0]) << 8) | quint8(payload[1])
                                          : 1005;
                        m_closeReason = payload.mid(2);
                        return false;
                    }
                    if (opcode == 0x1) {
                        *text = payload;
                        return true;
                    }
                    continue; // ping/pong and the like
                }
            }
        }
        if (deadline.hasExpired() || m_socket->state() != QAbstractSocket::ConnectedState)
            return false;
        m_socket->waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
    }
}

QByteArray BoundWebSocket::nextText(int timeoutMs)
{
    QByteArray text;
    return readFrame(timeoutMs, &text) ? text : QByteArray();
}

int BoundWebSocket::waitClosed(int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    QByteArray ignored;
    while (m_closeCode == 0 && !deadline.hasExpired() &&
           m_socket->state() == QAbstractSocket::ConnectedState)
        readFrame(int(deadline.remainingTime()), &ignored);
    return m_closeCode;
}

} // namespace softphone::test
