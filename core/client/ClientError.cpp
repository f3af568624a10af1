#include "ClientError.h"

namespace softphone::client {

QString ClientError::typeName(Type type)
{
    switch (type) {
    case Type::InvalidConfig:
        return QStringLiteral("invalid_config");
    case Type::Network:
        return QStringLiteral("network");
    case Type::Unauthorized:
        return QStringLiteral("unauthorized");
    case Type::Replaced:
        return QStringLiteral("replaced");
    case Type::Terminated:
        return QStringLiteral("terminated");
    }
    return {};
}

} // namespace softphone::client
