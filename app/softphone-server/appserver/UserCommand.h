#pragma once
// `softphone-server user add NAME | list | remove NAME | disable NAME | enable
// NAME`: account administration on the application server's store in
// --data-dir (safe while the server runs; remove and disable end the user's
// live sessions there, see docs/security.md "Calling service").

#include "softphone-server/common/ServerOptions.h"

#include <QStringList>
#include <QTextStream>

namespace softphone::server::appserver {

// args: the words after "user"; the password for `add` is read from `input`
// (first line). Returns the process exit code; messages go to out/err.
int runUserCommand(const QStringList &args, const ServerOptions &options, QTextStream &input,
                   QTextStream &out, QTextStream &err);

} // namespace softphone::server::appserver
