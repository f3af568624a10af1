#include "ClientConfig.h"

#include "FieldValidators.h"

namespace softphone::client {

QString ClientConfig::validate() const
{
    if (!serviceUrl.isValid() || serviceUrl.host().isEmpty())
        return QStringLiteral("the service URL is missing or invalid");
    if (serviceUrl.scheme() != QLatin1StringView("ws") &&
        serviceUrl.scheme() != QLatin1StringView("wss"))
        return QStringLiteral("the service URL must be ws:// or wss://, not %1://")
            .arg(serviceUrl.scheme());
    if (!protocol::isValidUserId(userId))
        return QStringLiteral("the user id must be 1-255 characters of A-Z a-z 0-9 . _ ~ -");
    if (!protocol::isValidDeviceId(deviceId))
        return QStringLiteral("the device id must be 1-64 characters of A-Z a-z 0-9 . _ ~ -");
    if (clientName.size() > 1024)
        return QStringLiteral("the client name is longer than 1024 characters");
    return {};
}

} // namespace softphone::client
