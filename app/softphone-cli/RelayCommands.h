#pragma once
// The pushed device's commands of softphone-cli: relay PAYLOAD, offline.

#include "CliCommand.h"

namespace softphone::cli {

QList<CliCommand> relayCommands();

} // namespace softphone::cli
