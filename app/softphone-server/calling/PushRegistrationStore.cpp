#include "PushRegistrationStore.h"

namespace softphone::server::calling {

PushRegistrationStore::~PushRegistrationStore() = default;

} // namespace softphone::server::calling
