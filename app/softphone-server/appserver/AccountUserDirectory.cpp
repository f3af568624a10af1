#include "AccountUserDirectory.h"

#include "SqliteAccountStore.h"

#include <QDir>
#include <QFileInfo>

namespace softphone::server::appserver {

AccountUserDirectory::AccountUserDirectory(std::unique_ptr<AccountStore> store)
    : m_store(std::move(store))
{}

AccountUserDirectory::~AccountUserDirectory() = default;

std::unique_ptr<UserDirectory> openAccountUserDirectory(const ServerOptions &options,
                                                        QString *error)
{
    const QString path = QDir(options.dataDir).filePath(QStringLiteral("accounts.db"));
    if (!options.hasRole(QStringLiteral("appserver")) && !QFileInfo::exists(path))
        return std::make_unique<AccountUserDirectory>(nullptr);
    auto store = std::make_unique<SqliteAccountStore>();
    if (QString why; !store->open(path, &why)) {
        if (error)
            *error = why;
        return nullptr;
    }
    return std::make_unique<AccountUserDirectory>(std::move(store));
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

} // namespace softphone::server::appserver
