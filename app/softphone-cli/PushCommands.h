#pragma once
// Push commands of softphone-cli: `push listen` (a device on a push service,
// printing each decrypted push) and `push send` (one Web Push to a subscription).
// Neither signs in at the application server: a push service needs no account.

#include "CliCommand.h"

namespace softphone::cli {

QList<CliCommand> pushCommands();

} // namespace softphone::cli
