// The WebSocket port's sockets as the voice on the relay needs them: every
// frame leaves when it is written (TCP_NODELAY) on both ends of a connection.
// Without it, Nagle's algorithm held a small frame written while the one
// before was unacknowledged until the peer's ACK: the relay's RTCP report,
// written between two voice frames, delayed the next frame ~5 s into each
// call (one concealed frame, then a drift drop; docs/media.md "UDP media").
#include "softphone-server/common/WebSocketListener.h"

#include <QTest>
#include <QWebSocket>

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

using softphone::server::SendQueueLimits;
using softphone::server::WebSocketListener;

namespace {
// The TCP_NODELAY of this process's socket from localPort to peerPort; -1 when no such socket.
int noDelayOf(quint16 localPort, quint16 peerPort)
{
    DIR *fds = opendir("/proc/self/fd");
    if (!fds)
        return -1;
    int found = -1;
    while (const dirent *entry = readdir(fds)) {
        const int fd = atoi(entry->d_name);
        sockaddr_in local{}, peer{};
        socklen_t localLength = sizeof local, peerLength = sizeof peer;
        if (fd <= 2 || getsockname(fd, reinterpret_cast<sockaddr *>(&local), &localLength) != 0 ||
            getpeername(fd, reinterpret_cast<sockaddr *>(&peer), &peerLength) != 0 ||
            local.sin_family != AF_INET || ntohs(local.sin_port) != localPort ||
            ntohs(peer.sin_port) != peerPort)
            continue;
        int on = 0;
        socklen_t length = sizeof on;
        if (getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, &length) == 0)
            found = on ? 1 : 0;
        break;
    }
    closedir(fds);
    return found;
}
} // namespace

class TestWebSocketListener : public QObject
{
    Q_OBJECT

private slots:
    void framesLeaveWhenWritten()
    {
        WebSocketListener listener;
        QString error;
        QVERIFY2(listener.listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
        QWebSocket *accepted = nullptr;
        listener.addRoute(
            QStringLiteral("/v1/calling"), {},
            [&accepted](QWebSocket *socket, const SendQueueLimits &) { accepted = socket; });
        QWebSocket client;
        client.open(listener.url(QStringLiteral("/v1/calling")));
        QTRY_VERIFY_WITH_TIMEOUT(accepted && client.state() == QAbstractSocket::ConnectedState,
                                 10000);
        QCOMPARE(noDelayOf(listener.port(), client.localPort()), 1); // the service's end
        QCOMPARE(noDelayOf(client.localPort(), listener.port()), 1); // the client's end
        delete accepted;
    }
};

QTEST_GUILESS_MAIN(TestWebSocketListener)
#include "tst_websocketlistener.moc"
