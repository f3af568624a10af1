#pragma once
// Presence commands of softphone-cli: presence (watch users' statuses, and
// optionally publish do not disturb), for scripts and cross-node checks.

#include "CliCommand.h"

namespace softphone::cli {

QList<CliCommand> presenceCommands();

} // namespace softphone::cli
