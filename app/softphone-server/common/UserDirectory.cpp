#include "UserDirectory.h"

namespace softphone::server {

UserDirectory::~UserDirectory() = default;

} // namespace softphone::server
