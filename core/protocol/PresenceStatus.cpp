#include "PresenceStatus.h"

namespace softphone::protocol {

QString presenceStatusName(PresenceStatus status)
{
    switch (status) {
    case PresenceStatus::Online:
        return QStringLiteral("online");
    case PresenceStatus::DoNotDisturb:
        return QStringLiteral("dnd");
    case PresenceStatus::Offline:
        break;
    }
    return QStringLiteral("offline");
}

std::optional<PresenceStatus> presenceStatusFromName(const QString &name)
{
    for (PresenceStatus status :
         {PresenceStatus::Offline, PresenceStatus::Online, PresenceStatus::DoNotDisturb})
        if (presenceStatusName(status) == name)
            return status;
    return std::nullopt;
}

} // namespace softphone::protocol
