#pragma once
// Who is online: user -> device -> the connection of that device. One
// connection per (user, device); a newer one replaces the older.

#include <QHash>
#include <QList>
#include <QString>

namespace softphone::server::calling {

class CallingConnection;

class Presence
{
public:
    // Registers an authenticated connection; returns the connection it replaces
    // (same user and device), or nullptr.
    CallingConnection *add(CallingConnection *connection);
    // Forgets the connection if it is the registered one for its device.
    void remove(CallingConnection *connection);

    CallingConnection *find(const QString &user, const QString &device) const;
    QList<CallingConnection *> devices(const QString &user) const;
    bool isOnline(const QString &user) const { return m_users.contains(user); }
    qsizetype connectionCount() const { return m_count; }

private:
    QHash<QString, QHash<QString, CallingConnection *>> m_users;
    qsizetype m_count = 0;
};

} // namespace softphone::server::calling
