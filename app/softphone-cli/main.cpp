// softphone-cli: a headless client over the core for scripts, monitoring, bots
// and tests (like linphonec or baresip). One JSON event per line on stdout.

#include "CliSession.h"
#include "CommandTable.h"
#include "client/ClientConfig.h"
#include "common/UnixSignalWatcher.h"
#include "common/Version.h"

#include <QCoreApplication>
#include <QSet>
#include <QTextStream>
#include <cstdio>

using namespace softphone::cli;

namespace {

int usageError(const QString &message)
{
    CliSession::printEvent({{"event", "error"}, {"message", message}});
    std::fprintf(stderr, "softphone-cli: %s (see --help)\n", qPrintable(message));
    return ExitUsage;
}

QString helpText()
{
    QString text = QStringLiteral("\nCommands:\n");
    for (const CliCommand &command : commandTable())
        text += QStringLiteral("  %1\n      %2\n").arg(command.synopsis, command.description);
    text += QStringLiteral("\nEvents are printed as one JSON object per line on stdout.\n"
                           "Exit codes: 0 done, 1 the call failed, 2 bad command line, "
                           "3 sign-in or connection failed.\n");
    return text;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("softphone-cli"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(softphone::kVersion));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Headless softphone client.") + helpText());
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption server(
        QStringLiteral("server"),
        QStringLiteral("the application server, http(s)://HOST:PORT; a service of several "
                       "nodes: their URLs separated by commas, or "
                       "--server repeated (failover in that order)"),
        QStringLiteral("URL"));
    const QCommandLineOption user(QStringLiteral("user"), QStringLiteral("your user name"),
                                  QStringLiteral("NAME"));
    const QCommandLineOption device(QStringLiteral("device"),
                                    QStringLiteral("this device's id (default: cli)"),
                                    QStringLiteral("ID"), QStringLiteral("cli"));
    const QCommandLineOption passwordStdin(
        QStringLiteral("password-stdin"),
        QStringLiteral("read the password from the first line of stdin"));
    const QCommandLineOption allowInsecure(
        QStringLiteral("allow-insecure"),
        QStringLiteral("allow http:// and ws:// to a host other than this machine"));
    const QCommandLineOption noUdpMedia(
        QStringLiteral("no-udp-media"),
        QStringLiteral("calls: voice only over the calling service's WebSocket relay (offer and "
                       "answer no UDP media, as clients before it)"));
    const QCommandLineOption noShortFrames(
        QStringLiteral("no-short-frames"),
        QStringLiteral("calls: offer 20 ms Opus frames only (10 ms frames are used peer to peer "
                       "when both ends offer them)"));
    const QCommandLineOption failoverTime(
        QStringLiteral("failover-time"),
        QStringLiteral("with several nodes in --server: how long the client goes on trying "
                       "them after losing its node before it exits with code 3 (default 30)"),
        QStringLiteral("SECONDS"), QStringLiteral("30"));
    QSet<QString> globalNames;
    for (const auto &option : {server, user, device, passwordStdin, allowInsecure, noUdpMedia,
                               noShortFrames, failoverTime}) {
        parser.addOption(option);
        globalNames.unite(QSet<QString>(option.names().cbegin(), option.names().cend()));
    }
    QSet<QString> added;
    for (const CliCommand &command : commandTable())
        for (const QCommandLineOption &option : command.options)
            if (!added.contains(option.names().first())) {
                added.insert(option.names().first());
                parser.addOption(option);
            }
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("see Commands below"));

    parser.process(app); // --help / --version / unknown options exit here
    const QStringList positionals = parser.positionalArguments();
    if (positionals.isEmpty())
        return usageError(QStringLiteral("no command given"));
    int commandWords = 0;
    const CliCommand *command = findCommand(positionals, &commandWords);
    if (!command)
        return usageError(QStringLiteral("unknown command '%1'").arg(positionals.first()));
    QSet<QString> allowed = globalNames;
    for (const QCommandLineOption &option : command->options)
        allowed.unite(QSet<QString>(option.names().cbegin(), option.names().cend()));
    for (const QString &name : parser.optionNames())
        if (!allowed.contains(name))
            return usageError(
                QStringLiteral("--%1 is not an option of '%2'").arg(name, command->name));

    SessionOptions options;
    options.server = parser.values(server).join(QLatin1Char(','));
    options.user = parser.value(user);
    options.device = parser.value(device);
    options.allowInsecure = parser.isSet(allowInsecure);
    options.udpMedia = !parser.isSet(noUdpMedia);
    options.shortFrames = !parser.isSet(noShortFrames);
    bool failoverOk = false;
    const int failoverSeconds = parser.value(failoverTime).toInt(&failoverOk);
    if (!failoverOk || failoverSeconds < 1 || failoverSeconds > 3600)
        return usageError(QStringLiteral("--failover-time takes 1 to 3600 seconds"));
    options.failoverTime = std::chrono::seconds(failoverSeconds);
    if (command->signsIn) {
        if (!parser.isSet(server))
            return usageError(QStringLiteral("--server URL (the application server) is required"));
        if (const QString problem =
                softphone::client::serviceAddressError(options.server, options.allowInsecure);
            !problem.isEmpty())
            return usageError(QStringLiteral("--server: %1").arg(problem));
        if (options.user.isEmpty())
            return usageError(QStringLiteral("--user NAME is required"));
        if (!parser.isSet(passwordStdin))
            return usageError(
                QStringLiteral("--password-stdin is required: the password is read from stdin"));
        // Read before the event loop starts; nothing else is running yet.
        options.password = QTextStream(stdin).readLine();
        if (options.password.isEmpty())
            return usageError(QStringLiteral("no password on stdin"));
    }

    CliSession session(options);
    const QString problem = command->run(session, parser, positionals.mid(commandWords));
    if (!problem.isEmpty())
        return usageError(problem);

    softphone::UnixSignalWatcher watcher;
    QObject::connect(&watcher, &softphone::UnixSignalWatcher::received, &session, [&session](int) {
        session.printEvent({{"event", "interrupted"}});
        session.finish(ExitOk);
    });
    return app.exec();
}
