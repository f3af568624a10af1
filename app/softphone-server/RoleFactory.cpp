#include "RoleFactory.h"

#include "softphone-server/appserver/AccountUserDirectory.h"
#include "softphone-server/appserver/AppServerRole.h"
#include "softphone-server/calling/CallingService.h"
#include "softphone-server/push/PushRole.h"

#include <functional>
#include <utility>
#include <vector>

// Each role owner adds its include and ONE line to kRoles.

namespace softphone::server {

namespace {
using Factory = std::function<std::unique_ptr<Role>()>;

// Start order: the application server first (it owns the token key users need),
// then calling, then push.
const std::vector<std::pair<QString, Factory>> &roles()
{
    static const std::vector<std::pair<QString, Factory>> kRoles = {
        {QStringLiteral("appserver"), [] { return std::make_unique<appserver::AppServerRole>(); }},
        {QStringLiteral("calling"),
         [] {
             return std::make_unique<calling::CallingService>(&appserver::openAccountUserDirectory);
         }},
        {QStringLiteral("push"), [] { return std::make_unique<push::PushRole>(); }},
    };
    return kRoles;
}
} // namespace

std::unique_ptr<Role> createRole(const QString &name)
{
    for (const auto &[roleName, factory] : roles())
        if (roleName == name)
            return factory();
    return nullptr;
}

QStringList availableRoles()
{
    QStringList names;
    for (const auto &entry : roles())
        names << entry.first;
    return names;
}

} // namespace softphone::server
