#include "CommandTable.h"

#include "CallCommands.h"
#include "MessageCommands.h"
#include "PresenceCommands.h"
#include "PushCommands.h"
#include "PushRegistrationCommands.h"
#include "RelayCommands.h"

namespace softphone::cli {

const QList<CliCommand> &commandTable()
{
    // One line per command group; each group lives in its own file.
    static const QList<CliCommand> table = [] {
        QList<CliCommand> all;
        all << callCommands();
        all << pushCommands();
        all << pushRegistrationCommands();
        all << relayCommands();
        all << messageCommands();
        all << presenceCommands();
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

const CliCommand *findCommand(const QStringList &positionals, int *words)
{
    const CliCommand *best = nullptr;
    int bestWords = 0;
    for (const CliCommand &command : commandTable()) {
        const QStringList name = command.name.split(QLatin1Char(' '));
        if (name.size() > bestWords && name.size() <= positionals.size() &&
            positionals.mid(0, name.size()) == name) {
            best = &command;
            bestWords = int(name.size());
        }
    }
    *words = bestWords;
    return best;
}

} // namespace softphone::cli
