#include "CoalescingSocket.h"

#include <QTimerEvent>

#include <poll.h>
#include <sys/socket.h>

#include <utility>

namespace softphone::server {

CoalescingSocket::CoalescingSocket(QObject *parent)
    : QTcpSocket(parent)
{}

CoalescingSocket::~CoalescingSocket() = default; // QBasicTimer stops itself

qint64 CoalescingSocket::bytesToWrite() const
{
    return QTcpSocket::bytesToWrite() + m_collected.size();
}

qint64 CoalescingSocket::writeData(const char *data, qint64 size)
{
    // Once QTcpSocket holds bytes (a slow reader), later ones queue behind them.
    if (state() != ConnectedState || QTcpSocket::bytesToWrite() > 0)
        return QTcpSocket::writeData(data, size);
    m_collected.append(data, size);
    // A zero timer fires once this iteration's socket events are handled, so
    // every write they made leaves in one send(). A QBasicTimer, not
    // startTimer(): QObject keeps the ids of the latter in extra data it
    // allocates for the object's life (~0.2 kB per idle connection).
    if (!m_timer.isActive())
        m_timer.start(0, Qt::CoarseTimer, this);
    return size;
}

void CoalescingSocket::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_timer.timerId()) {
        QTcpSocket::timerEvent(event);
        return;
    }
    sendCollected();
}

void CoalescingSocket::sendCollected()
{
    m_timer.stop();
    if (m_collected.isEmpty())
        return;
    const QByteArray data = std::exchange(m_collected, QByteArray());
    qint64 sent = 0;
    // Only when poll() says writable, the rule of QTcpSocket's own write
    // notifier: send() takes bytes while any room is left, which filled a
    // stalled peer's kernel buffer deeper than QTcpSocket does, and the close
    // frame queued behind it was then lost to the grace abort() (seen in
    // tst_listeners_backpressure under load).
    pollfd writable{int(socketDescriptor()), POLLOUT, 0};
    if (state() == ConnectedState && ::poll(&writable, 1, 0) == 1 && writable.revents == POLLOUT) {
        const ssize_t n = ::send(int(socketDescriptor()), data.constData(), size_t(data.size()),
                                 MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0)
            sent = n;
    }
    // The kernel's buffer is full (or the send failed): QTcpSocket queues the
    // rest and reports any error as it would have.
    if (sent < data.size())
        QTcpSocket::writeData(data.constData() + sent, data.size() - sent);
    if (sent > 0) {
        Q_EMIT bytesWritten(sent);
        Q_EMIT channelBytesWritten(0, sent);
    }
}

void CoalescingSocket::handOver()
{
    // abort() drops the write channel before it closes: nothing is to be sent.
    if (state() != ConnectedState || writeChannelCount() == 0) {
        m_timer.stop();
        m_collected = QByteArray();
        return;
    }
    // Sent now, not at the end of the iteration: QWebSocket's close() writes
    // its close frame, flush()es (QAbstractSocket::flush, which does not see
    // what we collected) and closes. With the frame still unsent, the close
    // waited for a later loop iteration's write notifier, and a device that
    // had closed its connection still took calls meanwhile (it was rung
    // instead of pushed: tst_pushpair_opaque). Sent here, QTcpSocket has
    // nothing queued and closes at once, emitting disconnected() in this
    // call, as it does without this class.
    sendCollected();
}

void CoalescingSocket::disconnectFromHost()
{
    handOver();
    QTcpSocket::disconnectFromHost();
}

void CoalescingSocket::close()
{
    handOver();
    QTcpSocket::close();
}

} // namespace softphone::server
