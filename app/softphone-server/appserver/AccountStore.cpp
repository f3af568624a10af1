#include "AccountStore.h"

#include <QCryptographicHash>

namespace softphone::server::appserver {

AccountStore::~AccountStore() = default;

crypto::ScryptCost passwordCost(const ServerOptions &options, bool *weak)
{
    bool ok = false;
    const int log2n = options.settings.value(QStringLiteral("appserver.scrypt_log2n")).toInt(&ok);
    crypto::ScryptCost cost = crypto::kPasswordCost;
    if (ok && log2n >= 10 && log2n <= 18)
        cost.n = quint64(1) << log2n;
    if (weak)
        *weak = cost.n < crypto::kPasswordCost.n;
    return cost;
}

QString weakPasswordReason(const QString &user, const QString &password)
{
    if (password.trimmed().isEmpty())
        return QStringLiteral("the password is empty");
    if (password.toUcs4().size() < kMinPasswordLength)
        return QStringLiteral("the password is shorter than %1 characters").arg(kMinPasswordLength);
    if (password.compare(user, Qt::CaseInsensitive) == 0)
        return QStringLiteral("the password is the user name");
    return {};
}

QByteArray hashRefreshToken(const QString &token)
{
    return QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256);
}

} // namespace softphone::server::appserver
