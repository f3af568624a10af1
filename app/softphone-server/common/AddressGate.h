#pragma once
// Counts, per source address, the connections of one listener that have not
// authenticated yet (HTTP: no request finished; WebSocket: handshake or hello
// still to come) and refuses more than a cap. One address can then no longer
// hold a listener's half-open capacity, while every other address keeps its own
// budget. A slot is a QObject child of the connection's socket, so it is given
// back whichever way the socket goes away.

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <functional>
#include <memory>

class QTimer;

namespace softphone::server {

class AddressGate
{
public:
    explicit AddressGate(int capPerAddress)
        : m_cap(capPerAddress)
    {}
    void setCap(int capPerAddress) { m_cap = capPerAddress; }
    int cap() const { return m_cap; }
    int count(const QHostAddress &address) const { return m_counts.value(key(address)); }

    bool tryAcquire(const QHostAddress &address);
    void release(const QHostAddress &address);

private:
    static QHostAddress key(const QHostAddress &address); // IPv4-mapped IPv6 as IPv4
    int m_cap;
    QHash<QHostAddress, int> m_counts;
};

// A held place of the gate, owned by (a child of) the connection's socket.
class PendingSlot : public QObject
{
    Q_OBJECT
public:
    // Takes a place for socket's peer; nullptr (nothing taken) when the address is at its cap.
    static PendingSlot *acquire(const std::shared_ptr<AddressGate> &gate, QObject *socket,
                                const QHostAddress &peer);
    ~PendingSlot() override;

    // The connection that owns `socket` (or a socket wrapping it) authenticated:
    // its place is given back. Safe to call more than once.
    static void authenticated(QObject *socket);
    static PendingSlot *of(QObject *socket);

    // Aborts the socket unless stopped within ms (e.g. the WebSocket handshake).
    void startDeadline(int ms, std::function<void()> onExpired);
    void stopDeadline();

private:
    PendingSlot(std::shared_ptr<AddressGate> gate, const QHostAddress &peer, QObject *socket);
    std::shared_ptr<AddressGate> m_gate;
    QHostAddress m_peer;
    QTimer *m_deadline = nullptr;
};

} // namespace softphone::server
