#pragma once
// The calling service's view of the users: whether a user id names an account
// (so a call to a typo gets unknown_user rather than ringing nobody) and which
// users were disabled or removed. An interface, so the calling role never reads
// the application server's store itself: server setup hands it one
// (appserver/AccountUserDirectory in the embedded deployment); a shared
// directory can replace it.

#include <QString>
#include <QStringList>

namespace softphone::server {

class UserDirectory
{
public:
    virtual ~UserDirectory();
    virtual bool exists(const QString &user) const = 0;
    // The user was disabled or removed at or after the token's issue time; true
    // also when the directory cannot answer (its database is down), with *error set.
    virtual bool tokenRevoked(const QString &user, qint64 issuedAtSecs,
                              QString *error = nullptr) const = 0;
    // Users revoked since the last call (the first call only sets the mark):
    // the service ends their sessions. Cheap enough to poll twice a second.
    virtual QStringList newlyRevoked() = 0;
};

} // namespace softphone::server
