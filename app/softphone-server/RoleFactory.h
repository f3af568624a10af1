#pragma once
// The roles built into this softphone-server, by name.

#include "softphone-server/common/Role.h"

#include <QStringList>
#include <memory>

namespace softphone::server {

// nullptr for a name that is not built in.
std::unique_ptr<Role> createRole(const QString &name);
// Every role built in, in start order; the default for --roles.
QStringList availableRoles();

} // namespace softphone::server
