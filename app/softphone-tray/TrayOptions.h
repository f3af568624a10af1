#pragma once
// The tray agent's command line:
//   softphone-tray [--server URL --user NAME [--password-stdin]] [--report-state]
//                  [--allow-insecure]
//   softphone-tray --sign-out
// Without a password it signs in with the refresh token the keychain keeps for
// the settings' (or the given) server and user.

#include "client/SignInArguments.h"

#include <QString>
#include <QStringList>
#include <optional>

namespace softphone::tray {

struct TrayOptions : client::SignInArguments
{
    bool reportState = false; // print one JSON line per state change (tests, scripts)
    bool signOut = false;     // --sign-out: tell the running agent to sign out, then exit
    QString softphoneBinary;  // SOFTPHONE_BIN, else next to this executable

    // argv[0] included; nullopt with the reason (or the usage text) in *error.
    static std::optional<TrayOptions> parse(const QStringList &arguments, QString *error);
};

} // namespace softphone::tray
