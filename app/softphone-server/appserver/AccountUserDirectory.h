#pragma once
// The UserDirectory of the embedded deployment: the application server's
// accounts (an AccountStore on <dataDir>/accounts.db), read by the calling
// role through the UserDirectory interface. Server setup (RoleFactory) hands
// openAccountUserDirectory to the calling role, so calling never links the
// SQLite account store itself.

#include "AccountStore.h"
#include "softphone-server/common/UserDirectory.h"

#include <memory>

namespace softphone::server::appserver {

class AccountUserDirectory : public UserDirectory
{
public:
    // store may be null: then every well-formed user id counts as existing and
    // nobody is revoked (the calling role run alone with its own data dir).
    explicit AccountUserDirectory(std::unique_ptr<AccountStore> store);
    ~AccountUserDirectory() override;
    bool exists(const QString &user) const override;
    bool tokenRevoked(const QString &user, qint64 issuedAtSecs,
                      QString *error = nullptr) const override;
    QStringList newlyRevoked() override;

private:
    std::unique_ptr<AccountStore> m_store;
    qint64 m_revocationMark = -1; // the last revocation seen, -1 before the first poll
};

// Reads <options.dataDir>/accounts.db when it exists, or creates it when this
// process runs the appserver role. Without it there is no way to know, so
// calls to unknown users end with no_device instead. nullptr with *error when
// the file exists but cannot be opened.
std::unique_ptr<UserDirectory> openAccountUserDirectory(const ServerOptions &options,
                                                        QString *error = nullptr);

} // namespace softphone::server::appserver
