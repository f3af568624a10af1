#pragma once
// The softphone's command line:
//   softphone [--server URL] [--user NAME] [--password-stdin] [--minimized]
//             [--dialer] [--report-startup] [--answer CALL_ID | --decline CALL_ID]
//             [--allow-insecure] [--style system|light|dark] [URI]
// URI: softphone:USER or tel:NUMBER dials once signed in.
// --answer / --decline: the tray agent's incoming-call notification actions;
// the call is answered (window shown) or declined when it rings here, at once
// if it already does. --dialer: the window with the dialer in front, its
// field focused (the tray menu's "Call…"). --style: light or dark for this
// run, whatever Settings says (system: the desktop's).

#include "client/SignInArguments.h"

#include <QString>
#include <QStringList>
#include <optional>

namespace softphone::app {

struct AppOptions : client::SignInArguments
{
    bool minimized = false;
    bool showDialer = false;    // --dialer
    bool reportStartup = false; // print {"event":"ready",...} when the window is usable
    QString dialTarget;         // from a URI
    QString answerCall;         // --answer CALL_ID
    QString declineCall;        // --decline CALL_ID
    QString style;              // --style: "system", "light", "dark"; empty: the setting
    // Test and packaging overrides (not on the command line).
    QString settingsFile;    // empty: the user's settings file
    QString databasePath;    // empty: the user's data dir
    QString keychainService; // empty: "softphone"

    // Parses the arguments (argv[0] included); an error message when they are unusable.
    static std::optional<AppOptions> parse(const QStringList &arguments, QString *error);
    // "softphone:bob" -> "bob", "tel:+4930123" -> "+4930123"; empty when not a dial URI.
    static QString dialTargetFromUri(const QString &uri);
};

} // namespace softphone::app
