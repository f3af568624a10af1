#pragma once
// Clients for the accounts/push attacks that Qt's own cannot be: many HTTP
// requests on parallel connections at the same instant (QNetworkAccessManager
// queues past 6 per host), and both HTTP and WebSocket clients bound to a chosen
// loopback source address (127.0.0.2, 127.0.0.3, ...), so a per-address quota
// hits the attacker's address and not another. Test code only: waits in nested
// event loops, every wait bounded. Also a peek into a server's SQLite files.

#include "support/HttpClient.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QTcpSocket>
#include <QUrl>
#include <QVariant>
#include <memory>

namespace softphone::test {

// One HTTP/1.1 request (with Connection: close) per entry of `bodies`, each on its
// own connection from `from`, all written once every connection is up; waits for
// every answer (at most timeoutMs in all). status 0: no answer in time.
QList<HttpReply> parallelPosts(const QUrl &url, const QList<QByteArray> &bodies,
                               const QList<QPair<QByteArray, QByteArray>> &headers,
                               const QHostAddress &from = QHostAddress(QHostAddress::LocalHost),
                               int timeoutMs = 60000);
// The same with each request's own URL (e.g. logins and token refreshes at once).
QList<HttpReply> parallelPosts(const QList<QPair<QUrl, QByteArray>> &requests,
                               const QList<QPair<QByteArray, QByteArray>> &headers,
                               const QHostAddress &from = QHostAddress(QHostAddress::LocalHost),
                               int timeoutMs = 60000);
inline HttpReply postFrom(const QHostAddress &from, const QUrl &url, const QByteArray &body,
                          const QList<QPair<QByteArray, QByteArray>> &headers)
{
    return parallelPosts(url, {body}, headers, from).value(0);
}

// One statement on a SQLite file of a running server (its WAL makes that safe):
// the first column of the first row, or an invalid QVariant; *ok false if it failed.
QVariant sqlValue(const QString &file, const QString &statement, const QVariantList &binds,
                  bool *ok = nullptr);

// A WebSocket client over a TCP socket bound to `from`: the handshake, masked text
// frames out, text and close frames in (no fragmentation: the servers under test
// send whole frames).
class BoundWebSocket
{
public:
    explicit BoundWebSocket(const QHostAddress &from);
    // Handshake with the given subprotocol; false if no 101 within timeoutMs.
    bool open(const QUrl &url, const QByteArray &protocol, int timeoutMs = 10000);
    void sendText(const QByteArray &text);
    // The next text frame, or empty if a close frame or nothing came within timeoutMs.
    QByteArray nextText(int timeoutMs = 10000);
    // Close code received (0: none yet) and its reason.
    int closeCode() const { return m_closeCode; }
    QByteArray closeReason() const { return m_closeReason; }
    // Waits for a close frame or the end of the connection; the close code (0 if none).
    int waitClosed(int timeoutMs = 10000);

private:
    bool readFrame(int timeoutMs, QByteArray *text);

    std::unique_ptr<QTcpSocket> m_socket;
    QHostAddress m_from;
    QByteArray m_buffer;
    int m_closeCode = 0;
    QByteArray m_closeReason;
};

} // namespace softphone::test
