#pragma once
// Who is online: user -> device -> the connections of that device. A device has
// at most one connection of each kind: a calling connection (capability
// `calling`, the softphone itself) and an agent connection (no `calling`: the
// tray agent that only keeps the push registration alive). A newer connection
// replaces the older one of the same kind only, so the agent and the softphone
// of one machine coexist (docs/protocol.md "Agent connections").

#include <QHash>
#include <QList>
#include <QString>

#include <vector>

namespace softphone::server::calling {

class CallingConnection;

class Presence
{
public:
    // Registers an authenticated connection; returns the connection of the same
    // (user, device, kind) it replaces, or nullptr.
    CallingConnection *add(CallingConnection *connection);
    // Forgets the connection if it is the registered one for its device and kind.
    void remove(CallingConnection *connection);

    // The device's calling connection (not its agent), or nullptr.
    CallingConnection *find(const QString &user, const QString &device) const;
    // Every connection of the user, both kinds.
    QList<CallingConnection *> devices(const QString &user) const;
    // A device counts as present for calls only with a calling connection.
    bool hasCallingConnection(const QString &user, const QString &device) const
    {
        return find(user, device) != nullptr;
    }
    bool isOnline(const QString &user) const { return m_users.contains(user); }
    qsizetype connectionCount() const { return m_count; }

    static bool isAgent(const CallingConnection *connection);

private:
    struct Slot
    {
        QString device;
        CallingConnection *calling = nullptr;
        CallingConnection *agent = nullptr;
    };
    // A user has a handful of devices: a small vector searched linearly costs
    // ~40 bytes a device, where a QHash per user allocated ~1.9 kB on its
    // first insert (measured with heaptrack at 5k connections).
    using Devices = std::vector<Slot>;
    static Devices::iterator findDevice(Devices &devices, const QString &device);
    QHash<QString, Devices> m_users;
    qsizetype m_count = 0;
};

} // namespace softphone::server::calling
