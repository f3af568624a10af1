#include "Role.h"

namespace softphone::server {

// Out of line so the vtable and moc output live in one translation unit.
Role::~Role() = default;

} // namespace softphone::server
