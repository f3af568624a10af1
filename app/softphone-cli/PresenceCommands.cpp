#include "PresenceCommands.h"

#include "CliSession.h"
#include "protocol/FieldValidators.h"
#include "protocol/Limits.h"

#include <QTimer>

namespace softphone::cli {

using namespace client;

namespace {

const QCommandLineOption kDnd(QStringLiteral("dnd"),
                              QStringLiteral("presence: this device takes calls and is in do not "
                                             "disturb while the command runs"));
const QCommandLineOption kUntil(QStringLiteral("until"),
                                QStringLiteral("presence: exit once USER has STATUS (online, "
                                               "offline, dnd)"),
                                QStringLiteral("USER=STATUS"));
const QCommandLineOption kFor(QStringLiteral("for"),
                              QStringLiteral("presence: exit after SECONDS (default: run until "
                                             "--until or killed)"),
                              QStringLiteral("SECONDS"));

QString runPresence(CliSession &session, const QCommandLineParser &parser, const QStringList &args)
{
    if (args.isEmpty() || args.size() > protocol::kMaxPresenceUsers)
        return QStringLiteral("presence needs 1-%1 USERs").arg(protocol::kMaxPresenceUsers);
    for (const QString &user : args)
        if (!protocol::isValidUserId(user))
            return QStringLiteral("'%1' is not a valid user id").arg(user);
    QString untilUser;
    std::optional<protocol::PresenceStatus> untilStatus;
    if (parser.isSet(kUntil)) {
        untilUser = parser.value(kUntil).section(QLatin1Char('='), 0, 0);
        untilStatus =
            protocol::presenceStatusFromName(parser.value(kUntil).section(QLatin1Char('='), 1));
        if (!args.contains(untilUser) || !untilStatus)
            return QStringLiteral("--until needs USER=STATUS with a watched USER and a STATUS of "
                                  "online, offline or dnd");
    }
    int seconds = 0;
    if (parser.isSet(kFor)) {
        bool ok = false;
        seconds = parser.value(kFor).toInt(&ok);
        if (!ok || seconds <= 0)
            return QStringLiteral("--for needs a positive number of SECONDS");
    }
    const bool dnd = parser.isSet(kDnd);

    ClientCapabilities capabilities;
    capabilities.calling = dnd; // a watcher alone does not show as online
    session.start(capabilities, [&session, args, untilUser, untilStatus, seconds, dnd] {
        Presence *presence = session.client()->presence();
        QObject::connect(presence, &Presence::statusChanged, &session,
                         [&session, presence, untilUser, untilStatus](const QString &user) {
                             const auto status = presence->status(user);
                             session.printEvent(
                                 {{"event", "presence"},
                                  {"user", user},
                                  {"status", status ? protocol::presenceStatusName(*status)
                                                    : QStringLiteral("unknown")}});
                             if (untilStatus && user == untilUser && status == untilStatus)
                                 session.finish(ExitOk);
                         });
        if (dnd)
            presence->setDoNotDisturb(true);
        presence->subscribe(args);
        if (seconds > 0)
            QTimer::singleShot(std::chrono::seconds(seconds), &session,
                               [&session] { session.finish(ExitOk); });
    });
    return {};
}

} // namespace

QList<CliCommand> presenceCommands()
{
    return {
        {QStringLiteral("presence"),
         QStringLiteral("presence USER... [--dnd] [--until USER=STATUS] [--for SECONDS]"),
         QStringLiteral("Watch the users' presence (online, offline, dnd; unknown while not "
                        "connected): one event per change."),
         {kDnd, kUntil, kFor},
         runPresence},
    };
}

} // namespace softphone::cli
