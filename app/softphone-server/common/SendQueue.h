#pragma once
// Back-pressure on the server's WebSockets. A peer that stops reading makes
// every frame sent to it wait in the server's memory (QWebSocket::bytesToWrite),
// so each connection's queue is capped: above dropMark, frames that may be lost
// (media) are not queued; above closeMark the connection is closed with
// kCloseSendQueueFull. The WebSocketListener hands the limits (--set
// ws.send_queue_drop / ws.send_queue_close, bytes) to the route with each
// socket, so every connection class reads the same numbers (not as dynamic
// properties of the socket: those cost ~0.4 kB per idle connection).

#include <QWebSocket>

namespace softphone::server {

inline constexpr quint16 kCloseSendQueueFull = 4413;

struct SendQueueLimits
{
    qint64 dropMark = 256 * 1024;
    qint64 closeMark = 1024 * 1024;

    enum class Verdict { Send, Drop, Close };
    // Whether a frame of `size` bytes may join what the socket still has to send.
    Verdict check(const QWebSocket &socket, qint64 size, bool droppable) const
    {
        const qint64 queued = socket.bytesToWrite();
        if (queued + size > closeMark)
            return Verdict::Close;
        if (droppable && queued > dropMark)
            return Verdict::Drop;
        return Verdict::Send;
    }
};

} // namespace softphone::server
