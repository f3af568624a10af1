#include "UserDirectory.h"

#include "SqliteAccountStore.h"

#include <QDir>
#include <QFileInfo>

namespace softphone::server::calling {

UserDirectory::~UserDirectory() = default;

AccountUserDirectory::AccountUserDirectory() = default;
AccountUserDirectory::~AccountUserDirectory() = default;

bool AccountUserDirectory::open(const QString &dataDir, bool create, QString *error)
{
    const QString path = QDir(dataDir).filePath(QStringLiteral("accounts.db"));
    if (!create && !QFileInfo::exists(path))
        return true;
    auto store = std::make_unique<appserver::SqliteAccountStore>();
    if (!store->open(path, error))
        return false;
    m_store = std::move(store);
    return true;
}

bool AccountUserDirectory::exists(const QString &user) const
{
    return !m_store || m_store->passwordHash(user).has_value();
}

} // namespace softphone::server::calling
