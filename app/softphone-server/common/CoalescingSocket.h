#pragma once
// An accepted TCP socket that keeps no write buffer while its peer keeps up.
//
// QTcpSocket takes a 32 KiB chunk for its write buffer at the first write
// (the WebSocket handshake's answer) and keeps it for the connection's life:
// at 10k idle device connections that chunk was 78 % of what each one
// allocated (docs/benchmarks.md, "Idle connections per node"). This socket
// collects the writes of one event-loop iteration in a small buffer of its
// own (QWebSocket writes a frame's header and payload separately) and sends
// them with one send() once the iteration's events are handled (a zero
// timer of its own), then frees that buffer. Only what the kernel does not take goes to
// QTcpSocket's own buffer, so the 32 KiB chunk is taken by slow readers only.
//
// What a QTcpSocket promises still holds: bytesToWrite() counts the collected
// bytes (the send-queue limits of SendQueue.h read it), bytesWritten() is
// emitted for what reached the kernel, and disconnectFromHost()/close() send
// the collected bytes first (what the kernel does not take goes to QTcpSocket's
// buffer), so a close frame is never lost and a close completes in the same
// call when nothing is left to send, as QTcpSocket's does: QWebSocket's
// flush() is QAbstractSocket's (not virtual) and never sees collected bytes.

#include <QBasicTimer>
#include <QByteArray>
#include <QTcpSocket>

namespace softphone::server {

class CoalescingSocket : public QTcpSocket
{
    Q_OBJECT
public:
    explicit CoalescingSocket(QObject *parent = nullptr);
    ~CoalescingSocket() override;

    qint64 bytesToWrite() const override;
    void disconnectFromHost() override;
    void close() override;

protected:
    qint64 writeData(const char *data, qint64 size) override;
    void timerEvent(QTimerEvent *event) override; // sends what the iteration collected

private:
    // Sends the collected bytes if the socket is writable; the rest to QTcpSocket's buffer.
    void sendCollected();
    void handOver(); // before a close: sends the collected bytes now (abort(): drops them)

    QByteArray m_collected;
    QBasicTimer m_timer;
};

} // namespace softphone::server
