#pragma once
// The softphone's command line:
//   softphone [--server URL] [--user NAME] [--password-stdin] [--minimized]
//             [--report-startup] [--answer CALL_ID | --decline CALL_ID]
//             [--allow-insecure] [URI]
// URI: softphone:USER or tel:NUMBER dials once signed in.
// --answer / --decline: the tray agent's incoming-call notification actions;
// the call is answered (window shown) or declined when it rings here, at once
// if it already does.

#include "client/SignInArguments.h"

#include <QString>
#include <QStringList>
#include <optional>

namespace softphone::app {

struct AppOptions : client::SignInArguments
{
    bool minimized = false;
    bool reportStartup = false; // print {"event":"ready",...} when the window is usable
    QString dialTarget;         // from a URI
    QString answerCall;         // --answer CALL_ID
    QString declineCall;        // --decline CALL_ID
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
