#include "TrayOptions.h"

#include "client/ClientConfig.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace softphone::tray {

namespace {
const char kUsage[] =
    "Usage: softphone-tray [--server URL --user NAME [--password-stdin]] [--report-state]\n"
    "                      [--allow-insecure]\n"
    "       softphone-tray --sign-out\n"
    "The softphone's background agent: keeps the push registration alive and\n"
    "hands every push to the softphone, starting it when needed.\n"
    "  --server URL       application server (first sign-in); several nodes: a\n"
    "                     comma-separated list or --server repeated\n"
    "  --user NAME        account (first sign-in)\n"
    "  --password-stdin   read the password from the first line of standard input\n"
    "  --report-state     print {\"event\":\"state\",...} lines on standard output\n"
    "  --allow-insecure   allow http:// to a server other than this machine\n"
    "  --sign-out         sign the running agent out (no more pushes), then exit";
}

std::optional<TrayOptions> TrayOptions::parse(const QStringList &arguments, QString *error)
{
    TrayOptions options;
    for (int i = 1; i < arguments.size(); ++i) {
        const QString &arg = arguments.at(i);
        auto value = [&](QString *out) {
            if (i + 1 >= arguments.size()) {
                *error = QStringLiteral("%1 needs a value").arg(arg);
                return false;
            }
            *out = arguments.at(++i);
            return true;
        };
        if (arg == QLatin1String("--help") || arg == QLatin1String("-h")) {
            *error = QString::fromLatin1(kUsage);
            return std::nullopt;
        } else if (arg == QLatin1String("--server")) {
            // Repeated: the nodes of one service, as a comma-separated list.
            QString server;
            if (!value(&server))
                return std::nullopt;
            options.server += (options.server.isEmpty() ? QString() : QStringLiteral(",")) + server;
        } else if (arg == QLatin1String("--user")) {
            if (!value(&options.user))
                return std::nullopt;
        } else if (arg == QLatin1String("--password-stdin")) {
            options.passwordFromStdin = true;
        } else if (arg == QLatin1String("--report-state")) {
            options.reportState = true;
        } else if (arg == QLatin1String("--sign-out")) {
            options.signOut = true;
        } else if (arg == QLatin1String("--allow-insecure")) {
            options.allowInsecure = true;
        } else {
            *error = QStringLiteral("unknown argument: %1 (see --help)").arg(arg);
            return std::nullopt;
        }
    }
    if (options.signOut && (!options.server.isEmpty() || !options.user.isEmpty())) {
        *error = QStringLiteral("--sign-out takes no other arguments");
        return std::nullopt;
    }
    if (const QString wrong = options.check(); !wrong.isEmpty()) {
        *error = wrong;
        return std::nullopt;
    }
    options.softphoneBinary = qEnvironmentVariable("SOFTPHONE_BIN");
    if (options.softphoneBinary.isEmpty()) {
        // Installed side by side (packaging puts both in /usr/bin); else the PATH's.
        const QString besideUs =
            QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("softphone"));
        options.softphoneBinary =
            QFileInfo(besideUs).isExecutable() ? besideUs : QStringLiteral("softphone");
    }
    return options;
}

} // namespace softphone::tray
