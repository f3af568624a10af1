#include "Presence.h"

#include "CallingConnection.h"

namespace softphone::server::calling {

CallingConnection *Presence::add(CallingConnection *connection)
{
    auto &devices = m_users[connection->user()];
    CallingConnection *previous = devices.value(connection->device());
    if (!previous)
        ++m_count;
    devices.insert(connection->device(), connection);
    return previous == connection ? nullptr : previous;
}

void Presence::remove(CallingConnection *connection)
{
    auto user = m_users.find(connection->user());
    if (user == m_users.end())
        return;
    auto device = user->find(connection->device());
    if (device == user->end() || *device != connection)
        return;
    user->erase(device);
    --m_count;
    if (user->isEmpty())
        m_users.erase(user);
}

CallingConnection *Presence::find(const QString &user, const QString &device) const
{
    return m_users.value(user).value(device);
}

QList<CallingConnection *> Presence::devices(const QString &user) const
{
    return m_users.value(user).values();
}

} // namespace softphone::server::calling
