#include "AccountUserDirectory.h"

#include "SqlAccountStore.h"

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
    if (options.database.isEmpty() && !options.hasRole(QStringLiteral("appserver")) &&
        !QFileInfo::exists(path))
        return std::make_unique<AccountUserDirectory>(nullptr);
    const auto where = SqlDatabase::forStore(options, QStringLiteral("accounts"), error);
    if (!where)
        return nullptr;
    auto store = std::make_unique<SqlAccountStore>();
    if (QString why; !store->open(*where, &why)) {
        if (error)
            *error = why;
        return nullptr;
    }
    return std::make_unique<AccountUserDirectory>(std::move(store));
}

bool AccountUserDirectory::exists(const QString &user) const
{
    // A store that cannot answer (PostgreSQL down) does not turn a user into an
    // unknown one: the call goes on to find no device rather than "no such user".
    QString error;
    return !m_store || m_store->passwordHash(user, &error).has_value() || !error.isEmpty();
}

bool AccountUserDirectory::tokenRevoked(const QString &user, qint64 issuedAtSecs,
                                        QString *error) const
{
    return m_store && m_store->tokenRevoked(user, issuedAtSecs, error);
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
