#pragma once
// One connection of the HTTP port: parses requests with HttpParser, hands each
// complete one to the routes, writes the answers in order, and holds the
// connection to HttpLimits over time: a request must arrive within the request
// timeout (408), a kept-alive connection may idle for the idle timeout, the
// unsent answer bytes are bounded (the next request is not read meanwhile, and
// a peer that takes nothing is dropped at the idle timeout). Pipelined requests
// are served one after the other; bytes the server has not read yet stay in the
// socket (its read buffer is bounded), so TCP flow control holds the sender.

#include "HttpParser.h"

#include "HttpResponse.h"
#include <QObject>
#include <QTimer>

#include <memory>

class QTcpSocket;

namespace softphone::server {

class AddressGate;
class HttpServer;
class PendingSlot;

class HttpConnection : public QObject
{
    Q_OBJECT
public:
    // Takes ownership of the connected socket. slot: this peer's place in the
    // listener's AddressGate (a child of socket), given back after the first request.
    HttpConnection(QTcpSocket *socket, const HttpServer &server, bool tls,
                   QObject *parent = nullptr);
    ~HttpConnection() override;

    // The answer to request number `request` (HttpResponder calls this).
    void answer(quint64 request, const HttpResponse &response);
    bool awaits(quint64 request) const { return m_busy && request == m_requestNumber; }

    // The bytes of an answer: status line, headers, body.
    static QByteArray serialize(const HttpResponse &response, bool close);
    // A refusal sent by the front itself (413, 431, 408, 503...), JSON like the routes'.
    static HttpResponse refusalResponse(int status, const QString &code, const QString &message);
    // A new connection's place at its listener's gate (a child of socket); when its
    // source address has none left, the socket is answered 503 and closed (owned by
    // owner meanwhile) and nullptr returned. The same answer on both ports: the
    // WebSocket handshake is HTTP too.
    static PendingSlot *admit(const std::shared_ptr<AddressGate> &gate, QTcpSocket *socket,
                              QObject *owner);

private:
    void process();
    void finish(const HttpResponse &response, bool close);
    void closeAfterWrite();
    void onTimeout();
    void armTimer();

    QTcpSocket *m_socket;
    const HttpServer &m_server;
    HttpParser m_parser;
    QTimer m_timer;
    QByteArray m_unparsed; // read from the socket, not yet taken by the parser
    quint64 m_requestNumber = 0;
    int m_served = 0;
    bool m_busy = false;     // a request is with its route
    bool m_keepAlive = true; // of the request being answered
    bool m_closing = false;  // the last answer is written; discard what comes
    bool m_head = false;     // the request being answered is a HEAD
};

} // namespace softphone::server
