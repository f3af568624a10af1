#pragma once
// Call commands of softphone-cli: call, answer, listen.

#include "CliCommand.h"

namespace softphone::cli {

QList<CliCommand> callCommands();

} // namespace softphone::cli
