#include "Presence.h"

#include "CallingConnection.h"

namespace softphone::server::calling {

bool Presence::isAgent(const CallingConnection *connection)
{
    return !connection->capabilities().calling;
}

CallingConnection *Presence::add(CallingConnection *connection)
{
    Slot &slot = m_users[connection->user()][connection->device()];
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
    auto device = user->find(connection->device());
    if (device == user->end())
        return;
    CallingConnection *&place = isAgent(connection) ? device->agent : device->calling;
    if (place != connection)
        return;
    place = nullptr;
    --m_count;
    if (!device->calling && !device->agent)
        user->erase(device);
    if (user->isEmpty())
        m_users.erase(user);
}

CallingConnection *Presence::find(const QString &user, const QString &device) const
{
    const auto u = m_users.constFind(user);
    if (u == m_users.cend())
        return nullptr;
    return u->value(device).calling;
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
