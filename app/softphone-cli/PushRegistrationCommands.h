#pragma once
// Push registration commands of softphone-cli: push register, push unregister.

#include "CliCommand.h"

namespace softphone::cli {

QList<CliCommand> pushRegistrationCommands();

} // namespace softphone::cli
