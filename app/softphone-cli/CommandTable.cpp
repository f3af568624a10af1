#include "CommandTable.h"

#include "CallCommands.h"

namespace softphone::cli {

const QList<CliCommand> &commandTable()
{
    // One line per command group; each group lives in its own file.
    static const QList<CliCommand> table = [] {
        QList<CliCommand> all;
        all << callCommands();
        return all;
    }();
    return table;
}

const CliCommand *findCommand(const QString &name)
{
    for (const CliCommand &command : commandTable())
        if (command.name == name)
            return &command;
    return nullptr;
}

} // namespace softphone::cli
