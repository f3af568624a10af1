#pragma once
// The sign-in part of a desktop app's command line, shared by the softphone and
// its tray agent: --server, --user, --password-stdin, --allow-insecure. The
// password is read from standard input only (never an argument, never logged).

#include <QString>

namespace softphone::client {

struct SignInArguments
{
    // A service address: one URL, or several separated by commas (also given
    // as --server repeated; serviceUrls() in ClientConfig.h).
    QString server;
    QString user;
    bool passwordFromStdin = false;
    QString password;           // read from stdin by readPassword(), never from the command line
    bool allowInsecure = false; // --allow-insecure: http:// to another machine

    // What is wrong with the combination (a --server that may not be used, a
    // --password-stdin without --server and --user); empty when it is usable.
    QString check() const;
    // With --password-stdin: reads one line, the password, from standard input.
    // False with the reason in *error when it cannot be read.
    bool readPassword(QString *error);
};

} // namespace softphone::client
