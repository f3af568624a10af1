#include "AccountStore.h"

#include <QCryptographicHash>

namespace softphone::server::appserver {

AccountStore::~AccountStore() = default;

namespace {
bool isIdText(const QString &text, int maxLength)
{
    if (text.isEmpty() || text.size() > maxLength)
        return false;
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        const bool ok = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
                        (u >= '0' && u <= '9') || u == '.' || u == '_' || u == '~' || u == '-';
        if (!ok)
            return false;
    }
    return true;
}
} // namespace

bool isValidUserId(const QString &user)
{
    return isIdText(user, 255);
}

bool isValidDeviceId(const QString &device)
{
    return isIdText(device, 64);
}

QByteArray hashRefreshToken(const QString &token)
{
    return QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256);
}

} // namespace softphone::server::appserver
