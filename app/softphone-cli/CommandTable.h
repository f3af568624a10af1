#pragma once
// Every subcommand of softphone-cli, group by group.

#include "CliCommand.h"

namespace softphone::cli {

const QList<CliCommand> &commandTable();
const CliCommand *findCommand(const QString &name);

} // namespace softphone::cli
