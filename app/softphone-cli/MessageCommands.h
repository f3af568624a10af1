#pragma once
// Message commands of softphone-cli: send.

#include "CliCommand.h"

namespace softphone::cli {

QList<CliCommand> messageCommands();

} // namespace softphone::cli
