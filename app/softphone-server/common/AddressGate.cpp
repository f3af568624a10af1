#include "AddressGate.h"

#include <QTimer>

namespace softphone::server {

QHostAddress AddressGate::key(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4) : address;
}

bool AddressGate::tryAcquire(const QHostAddress &address)
{
    int &count = m_counts[key(address)];
    if (count >= m_cap) {
        if (count == 0)
            m_counts.remove(key(address));
        return false;
    }
    ++count;
    return true;
}

void AddressGate::release(const QHostAddress &address)
{
    const auto it = m_counts.find(key(address));
    if (it == m_counts.end())
        return;
    if (--it.value() <= 0)
        m_counts.erase(it);
}

PendingSlot::PendingSlot(std::shared_ptr<AddressGate> gate, const QHostAddress &peer,
                         QObject *socket)
    : QObject(socket)
    , m_gate(std::move(gate))
    , m_peer(peer)
{
    setObjectName(QStringLiteral("pending"));
}

PendingSlot *PendingSlot::acquire(const std::shared_ptr<AddressGate> &gate, QObject *socket,
                                  const QHostAddress &peer)
{
    if (!gate->tryAcquire(peer))
        return nullptr;
    return new PendingSlot(gate, peer, socket);
}

PendingSlot::~PendingSlot()
{
    m_gate->release(m_peer);
}

PendingSlot *PendingSlot::of(QObject *socket)
{
    return socket ? socket->findChild<PendingSlot *>() : nullptr;
}

void PendingSlot::authenticated(QObject *socket)
{
    delete of(socket);
}

void PendingSlot::startDeadline(int ms, std::function<void()> onExpired)
{
    if (!m_deadline) {
        m_deadline = new QTimer(this);
        m_deadline->setSingleShot(true);
    }
    m_deadline->disconnect();
    QObject::connect(m_deadline, &QTimer::timeout, this, std::move(onExpired));
    m_deadline->start(ms);
}

void PendingSlot::stopDeadline()
{
    if (m_deadline)
        m_deadline->stop();
}

} // namespace softphone::server
