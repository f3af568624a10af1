#pragma once
// A hostile peer for the listener attacks: a raw TCP connection from a chosen
// loopback source address (127.0.0.2, 127.0.0.3 ... so the per-address limits
// can be told apart), that writes exactly the bytes a test gives it, reads only
// when told to, and speaks just enough HTTP/1.1 and WebSocket (RFC 6455, masked
// client frames) to see what the server answers. Test code only: waits in
// nested event loops, every wait bounded.

#include <QByteArray>
#include <QDeadlineTimer>
#include <QHostAddress>
#include <QList>
#include <QTcpSocket>
#include <QTest>
#include <QUrl>
#include <QtEndian>

#include <optional>

namespace softphone::test {

struct RawHttpResponse
{
    int status = 0; // 0: no complete response
    QByteArray head;
    QByteArray body;
};

struct RawFrame
{
    int opcode = -1; // -1: none within the time
    QByteArray payload;
    quint16 closeCode() const
    {
        return payload.size() >= 2 ? qFromBigEndian<quint16>(payload.constData()) : 0;
    }
};

class RawPeer
{
public:
    // Connects from `source` (a loopback address) to url's host and port.
    explicit RawPeer(const QUrl &url, const QHostAddress &source = QHostAddress::LocalHost,
                     int receiveBuffer = 0)
    {
        m_socket.bind(source, 0);
        // Once bound the socket exists: set before connect, the window is small from the start.
        if (receiveBuffer > 0)
            m_socket.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, receiveBuffer);
        m_socket.connectToHost(url.host(), quint16(url.port()));
        m_socket.waitForConnected(5000);
    }

    QTcpSocket &socket() { return m_socket; }
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }

    void send(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        m_socket.flush();
    }

    // Stop taking bytes off the kernel: the server's writes pile up on its side.
    void stopReading() { m_socket.setReadBufferSize(1); }
    void resumeReading() { m_socket.setReadBufferSize(0); }

    // True once the server closed (EOF or reset) within ms; what arrived is kept.
    bool waitClosed(int ms)
    {
        QDeadlineTimer deadline(ms);
        while (isConnected() && !deadline.hasExpired()) {
            m_socket.waitForReadyRead(int(qMin(qint64(100), deadline.remainingTime() + 1)));
            m_buffer += m_socket.readAll();
        }
        m_buffer += m_socket.readAll();
        return !isConnected();
    }

    // One HTTP response (Content-Length framed) within ms.
    RawHttpResponse readResponse(int ms = 10000)
    {
        QDeadlineTimer deadline(ms);
        for (;;) {
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            if (end >= 0) {
                RawHttpResponse r;
                r.head = m_buffer.left(end);
                const QList<QByteArray> lines = r.head.split('\n');
                qsizetype length = 0;
                for (const QByteArray &line : lines)
                    if (line.toLower().startsWith("content-length:"))
                        length = line.mid(15).trimmed().toLongLong();
                if (m_buffer.size() >= end + 4 + length) {
                    r.status = lines.value(0).split(' ').value(1).toInt();
                    r.body = m_buffer.mid(end + 4, length);
                    m_buffer.remove(0, end + 4 + length);
                    return r;
                }
            }
            if (deadline.hasExpired() || !fill(deadline))
                return {};
        }
    }

    // WebSocket opening handshake on path; true on 101.
    bool upgrade(const QString &path, const QByteArray &subprotocol)
    {
        send("GET " + path.toLatin1() +
             " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
             "Upgrade: websocket\r\nConnection: Upgrade\r\n"
             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
             "Sec-WebSocket-Protocol: " +
             subprotocol + "\r\n\r\n");
        QDeadlineTimer deadline(10000);
        while (!m_buffer.contains("\r\n\r\n"))
            if (deadline.hasExpired() || !fill(deadline))
                return false;
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        const bool ok = m_buffer.startsWith("HTTP/1.1 101");
        m_buffer.remove(0, end + 4);
        return ok;
    }

    void sendText(const QByteArray &text) { send(frame(0x1, text)); }

    // The next frame from the server within ms (pings are skipped).
    RawFrame readFrame(int ms = 10000)
    {
        QDeadlineTimer deadline(ms);
        for (;;) {
            if (std::optional<RawFrame> f = takeFrame()) {
                if (f->opcode == 0x9)
                    continue;
                return *f;
            }
            if (deadline.hasExpired() || !fill(deadline))
                return {};
        }
    }

    // Frames until one of `opcode` (e.g. 0x8, close) within ms; skipped frames are counted.
    RawFrame readUntil(int opcode, int ms, int *skipped = nullptr)
    {
        QDeadlineTimer deadline(ms);
        for (;;) {
            while (std::optional<RawFrame> f = takeFrame()) {
                if (f->opcode == opcode)
                    return *f;
                if (skipped)
                    ++*skipped;
            }
            if (deadline.hasExpired() || !fill(deadline))
                return {};
        }
    }

    static QByteArray frame(int opcode, const QByteArray &payload)
    {
        QByteArray out;
        out.append(char(0x80 | opcode));
        if (payload.size() < 126) {
            out.append(char(0x80 | payload.size()));
        } else {
            out.append(char(0x80 | 126));
            out.append(char(payload.size() >> 8));
            out.append(char(payload.size() & 0xff));
        }
        const char mask[4] = {0x11, 0x22, 0x33, 0x44};
        out.append(mask, 4);
        for (qsizetype i = 0; i < payload.size(); ++i)
            out.append(char(payload[i] ^ mask[i % 4]));
        return out;
    }

private:
    bool fill(const QDeadlineTimer &deadline)
    {
        if (m_socket.bytesAvailable() == 0 &&
            !m_socket.waitForReadyRead(
                int(qBound(qint64(1), deadline.remainingTime(), qint64(1000)))))
            return isConnected() || m_socket.bytesAvailable() > 0;
        m_buffer += m_socket.readAll();
        return true;
    }

    std::optional<RawFrame> takeFrame()
    {
        if (m_buffer.size() < 2)
            return std::nullopt;
        const auto *b = reinterpret_cast<const uchar *>(m_buffer.constData());
        qsizetype length = b[1] & 0x7f;
        qsizetype header = 2;
        if (length == 126) {
            if (m_buffer.size() < 4)
                return std::nullopt;
            length = qFromBigEndian<quint16>(b + 2);
            header = 4;
        } else if (length == 127) {
            if (m_buffer.size() < 10)
                return std::nullopt;
            length = qsizetype(qFromBigEndian<quint64>(b + 2));
            header = 10;
        }
        if (m_buffer.size() < header + length)
            return std::nullopt;
        RawFrame f{b[0] & 0x0f, m_buffer.mid(header, length)};
        m_buffer.remove(0, header + length);
        return f;
    }

    QTcpSocket m_socket;
    QByteArray m_buffer;
};

} // namespace softphone::test
