#pragma once
// Where the calling service keeps each device's push data (docs/protocol.md
// "Push registration"): opaque bytes per (user, device), durable across
// restarts. An interface so a shared deployment can swap the embedded SQLite.

#include <QByteArray>
#include <QMap>
#include <QString>

namespace softphone::server::calling {

class PushRegistrationStore
{
public:
    virtual ~PushRegistrationStore();
    // Replaces the device's earlier registration; past kMaxPushRegistrationsPerUser
    // devices the least recently registered one is dropped. false with *error on
    // failure (nothing changed then).
    virtual bool put(const QString &user, const QString &device, const QByteArray &data,
                     QString *error) = 0;
    // Removes it (also true when there was none).
    virtual bool remove(const QString &user, const QString &device, QString *error) = 0;
    // device -> push data, ordered by device id.
    virtual QMap<QString, QByteArray> registrations(const QString &user) const = 0;
};

} // namespace softphone::server::calling
