#include "TcpAcceptor.h"

#include "CoalescingSocket.h"
#include "ServerLogging.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

#include <unistd.h>

namespace softphone::server {

// Lives in the acceptor thread; only takes descriptors off the kernel queue.
class AcceptServer : public QTcpServer
{
public:
    explicit AcceptServer(TcpAcceptor *owner)
        : m_owner(owner)
    {
        // Out of descriptors (EMFILE) makes QTcpServer pause accepting for
        // good; try again a second later, when connections may have closed.
        m_resume.setSingleShot(true);
        m_resume.setInterval(1000);
        connect(&m_resume, &QTimer::timeout, this, [this] { resumeAccepting(); });
        connect(this, &QTcpServer::acceptError, this, [this](QAbstractSocket::SocketError e) {
            qCWarning(lcServerApp)
                << "accept failed:" << e << errorString() << "- accepting again in 1 s";
            m_resume.start();
        });
    }

protected:
    void incomingConnection(qintptr descriptor) override { m_owner->enqueue(descriptor); }

private:
    TcpAcceptor *m_owner;
    QTimer m_resume;
};

TcpAcceptor::TcpAcceptor(std::function<void(QTcpSocket *)> onSocket, QObject *parent)
    : QObject(parent)
    , m_onSocket(std::move(onSocket))
{
    m_admit.setSingleShot(true);
    m_admit.setInterval(0);
    connect(&m_admit, &QTimer::timeout, this, &TcpAcceptor::admit);
}

TcpAcceptor::~TcpAcceptor()
{
    if (m_thread) {
        QMetaObject::invokeMethod(
            m_server, [server = m_server] { delete server; }, Qt::BlockingQueuedConnection);
        m_thread->quit();
        m_thread->wait();
        delete m_thread;
    }
    for (qintptr descriptor : m_queue)
        ::close(int(descriptor));
}

bool TcpAcceptor::listen(const QHostAddress &address, quint16 port, int backlog, QString *error)
{
    if (m_thread) {
        *error = QStringLiteral("already listening");
        return false;
    }
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("accept"));
    m_server = new AcceptServer(this);
    m_server->setListenBacklogSize(backlog);
    m_server->moveToThread(m_thread);
    m_thread->start();
    bool ok = false;
    QMetaObject::invokeMethod(
        m_server,
        [&] {
            ok = m_server->listen(address, port);
            if (ok) {
                m_address = m_server->serverAddress();
                m_port = m_server->serverPort();
            } else {
                *error = m_server->errorString();
            }
        },
        Qt::BlockingQueuedConnection);
    return ok;
}

void TcpAcceptor::enqueue(qintptr descriptor)
{
    bool wasEmpty;
    {
        QMutexLocker lock(&m_mutex);
        wasEmpty = m_queue.empty();
        m_queue.push_back(descriptor);
    }
    if (wasEmpty)
        QMetaObject::invokeMethod(
            this, [this] { m_admit.start(); }, Qt::QueuedConnection);
}

void TcpAcceptor::admit()
{
    qintptr batch[kAdmitPerBatch];
    int n = 0;
    bool more;
    {
        QMutexLocker lock(&m_mutex);
        while (n < kAdmitPerBatch && !m_queue.empty()) {
            batch[n++] = m_queue.front();
            m_queue.pop_front();
        }
        more = !m_queue.empty();
    }
    // A zero timer runs after this iteration's socket events: connections that
    // are up get served between two batches.
    if (more)
        m_admit.start();
    for (int i = 0; i < n; ++i) {
        // Idle device connections keep no 32 KiB write buffer (CoalescingSocket.h).
        auto *socket = new CoalescingSocket;
        if (!socket->setSocketDescriptor(batch[i])) {
            qCWarning(lcServerApp)
                << "cannot adopt an accepted connection:" << socket->errorString();
            delete socket;
            ::close(int(batch[i]));
            continue;
        }
        m_onSocket(socket);
    }
}

} // namespace softphone::server
