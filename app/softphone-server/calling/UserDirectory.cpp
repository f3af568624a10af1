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

bool AccountUserDirectory::tokenRevoked(const QString &user, qint64 issuedAtSecs) const
{
    return m_store && m_store->tokenRevoked(user, issuedAtSecs);
}

QStringList AccountUserDirectory::newlyRevoked()
{
    QStringList users;
    if (!m_store)
        return users;
    const bool first = m_revocationMark < 0;
    for (const auto &revocation :
         m_store->revocationsSince(std::max<qint64>(0, m_revocationMark))) {
        m_revocationMark = revocation.seq;
        if (!first)
            users << revocation.user;
    }
    m_revocationMark = std::max<qint64>(0, m_revocationMark);
    return users;
}

} // namespace softphone::server::calling
