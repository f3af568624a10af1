#pragma once
// Every subcommand of softphone-cli, group by group.

#include "CliCommand.h"

namespace softphone::cli {

const QList<CliCommand> &commandTable();
const CliCommand *findCommand(const QString &name);
// A command's name may be several words ("push register"): the longest name
// that starts the positionals wins; *words says how many it took.
const CliCommand *findCommand(const QStringList &positionals, int *words);

} // namespace softphone::cli
