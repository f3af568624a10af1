#include "Presence.h"

#include "CallingConnection.h"

#include <algorithm>

namespace softphone::server::calling {

bool Presence::isAgent(const CallingConnection *connection)
{
    return !connection->capabilities().calling;
}

Presence::Devices::iterator Presence::findDevice(Devices &devices, const QString &device)
{
    return std::find_if(devices.begin(), devices.end(),
                        [&](const Slot &slot) { return slot.device == device; });
}

CallingConnection *Presence::add(CallingConnection *connection)
{
    Devices &devices = m_users[connection->user()];
    auto it = findDevice(devices, connection->device());
    if (it == devices.end()) {
        devices.push_back(Slot{connection->device()});
        it = devices.end() - 1;
    }
    Slot &slot = *it;
    CallingConnection *&place = isAgent(connection) ? slot.agent : slot.calling;
    CallingConnection *previous = place;
    if (!previous)
        ++m_count;
    place = connection;
    return previous == connection ? nullptr : previous;
}

void Presence::remove(CallingConnection *connection)
{
    auto user = m_users.find(connection->user());
    if (user == m_users.end())
        return;
    auto device = findDevice(*user, connection->device());
    if (device == user->end())
        return;
    CallingConnection *&place = isAgent(connection) ? device->agent : device->calling;
    if (place != connection)
        return;
    place = nullptr;
    --m_count;
    if (!device->calling && !device->agent)
        user->erase(device);
    if (user->empty())
        m_users.erase(user);
}

CallingConnection *Presence::find(const QString &user, const QString &device) const
{
    const auto u = m_users.constFind(user);
    if (u == m_users.cend())
        return nullptr;
    for (const Slot &slot : *u)
        if (slot.device == device)
            return slot.calling;
    return nullptr;
}

QList<CallingConnection *> Presence::devices(const QString &user) const
{
    QList<CallingConnection *> result;
    const auto u = m_users.constFind(user);
    if (u == m_users.cend())
        return result;
    for (const Slot &slot : *u) {
        if (slot.calling)
            result.append(slot.calling);
        if (slot.agent)
            result.append(slot.agent);
    }
    return result;
}

} // namespace softphone::server::calling
