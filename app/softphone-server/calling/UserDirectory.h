#pragma once
// Whether a user id names an account, so a call to a typo gets unknown_user
// rather than ringing nobody. An interface: the embedded deployment reads the
// application server's accounts.db; a shared directory can replace it.

#include <QString>
#include <QStringList>
#include <memory>

namespace softphone::server::appserver {
class SqliteAccountStore;
}

namespace softphone::server::calling {

class UserDirectory
{
public:
    virtual ~UserDirectory();
    virtual bool exists(const QString &user) const = 0;
    // The user was disabled or removed at or after the token's issue time.
    virtual bool tokenRevoked(const QString &user, qint64 issuedAtSecs) const = 0;
    // Users revoked since the last call (the first call only sets the mark):
    // the service ends their sessions. Cheap enough to poll twice a second.
    virtual QStringList newlyRevoked() = 0;
};

// Reads <dataDir>/accounts.db when it exists. Without it (the calling role run
// alone with its own data dir) there is no way to know, so every well-formed
// user id counts as existing and such calls end with no_device instead.
class AccountUserDirectory : public UserDirectory
{
public:
    AccountUserDirectory();
    ~AccountUserDirectory() override;
    // false with *error when the file exists but cannot be opened.
    bool open(const QString &dataDir, bool create, QString *error);
    bool exists(const QString &user) const override;
    bool tokenRevoked(const QString &user, qint64 issuedAtSecs) const override;
    QStringList newlyRevoked() override;

private:
    std::unique_ptr<appserver::SqliteAccountStore> m_store;
    qint64 m_revocationMark = -1; // the last revocation seen, -1 before the first poll
};

} // namespace softphone::server::calling
