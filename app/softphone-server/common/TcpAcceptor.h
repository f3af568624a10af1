#pragma once
// Accepts plain TCP connections on a thread of its own and hands them to the
// owner's thread in batches.
//
// During a reconnect storm thousands of clients connect within a second. If
// accept() ran on the service's loop, the kernel's accept queue (bounded by
// net.core.somaxconn) would overflow while that loop is busy with handshakes
// and hellos, and the clients would wait for their SYN retransmits (1 s, 3 s,
// 7 s...). Here one thread does nothing but accept(), so the kernel queue is
// drained at once; the owner then adopts at most kAdmitPerBatch sockets per
// loop iteration (admission control), so connections already up keep their
// latency and every adopted one finishes its handshake well inside its
// timeout instead of timing out and coming back.

#include <QHostAddress>
#include <QMutex>
#include <QObject>
#include <QTimer>

#include <deque>
#include <functional>

class QThread;
class QTcpSocket;

namespace softphone::server {

class AcceptServer;

class TcpAcceptor : public QObject
{
    Q_OBJECT
public:
    static constexpr int kAdmitPerBatch = 64;

    // onSocket receives each connection as a connected QTcpSocket owned by
    // nobody yet (in the acceptor's owner thread).
    explicit TcpAcceptor(std::function<void(QTcpSocket *)> onSocket, QObject *parent = nullptr);
    ~TcpAcceptor() override;

    bool listen(const QHostAddress &address, quint16 port, int backlog, QString *error);
    quint16 port() const { return m_port; }
    QHostAddress address() const { return m_address; }

private:
    friend class AcceptServer;
    void enqueue(qintptr descriptor); // acceptor thread
    void admit();                     // owner thread

    std::function<void(QTcpSocket *)> m_onSocket;
    QThread *m_thread = nullptr;
    AcceptServer *m_server = nullptr;
    QTimer m_admit;
    QMutex m_mutex;
    std::deque<qintptr> m_queue;
    QHostAddress m_address;
    quint16 m_port = 0;
};

} // namespace softphone::server
