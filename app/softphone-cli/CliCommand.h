#pragma once
// One softphone-cli subcommand: its name, help and options, and the function
// that starts it. A command group (calls, push, messages...) lives in its own
// file and returns its commands; CommandTable.cpp lists the groups.

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QList>
#include <QString>
#include <functional>

namespace softphone::cli {

class CliSession;

struct CliCommand
{
    QString name;     // first positional argument
    QString synopsis; // e.g. "call USER [--header K=V]... [--hangup-after SECONDS]"
    QString description;
    QList<QCommandLineOption> options; // options only this group uses; same name = same option
    // Checks the arguments (args: the positionals after the command name) and
    // sets the session up. Returns a usage error, or empty when running: the
    // command then ends through session.finish() / session.fail().
    std::function<QString(CliSession &session, const QCommandLineParser &parser,
                          const QStringList &args)>
        run;
    // false: runs without --server/--user/--password-stdin (no sign-in, e.g. push commands).
    bool signsIn = true;
};

} // namespace softphone::cli
