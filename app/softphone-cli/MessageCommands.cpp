#include "MessageCommands.h"

#include "CliSession.h"
#include "PushSentPrinter.h"
#include "protocol/Limits.h"

#include <QTimer>

namespace softphone::cli {

using namespace client;

namespace {

const QCommandLineOption kWaitDelivered(QStringLiteral("wait-delivered"),
                                        QStringLiteral("send: exit only once the recipient's "
                                                       "device acknowledged the message"));
// After `sent`, how long a push pair may still take to come (the service sends
// them together); then the command ends.
constexpr int kSettleMs = 500;

QString runSend(CliSession &session, const QCommandLineParser &parser, const QStringList &args)
{
    if (args.size() != 2)
        return QStringLiteral("send needs USER and TEXT");
    const QString to = args.at(0);
    const QString text = args.at(1);
    if (!protocol::isValidUserId(to))
        return QStringLiteral("'%1' is not a valid user id").arg(to);
    if (text.isEmpty() || text.toUtf8().size() > protocol::kMaxTextBytes)
        return QStringLiteral("TEXT must be 1-%1 bytes").arg(protocol::kMaxTextBytes);
    const bool waitDelivered = parser.isSet(kWaitDelivered);

    ClientCapabilities capabilities;
    capabilities.calling = false;
    capabilities.messaging = true;
    session.start(capabilities, [&session, to, text, waitDelivered] {
        auto pending = std::make_shared<int>(0);
        auto settled = std::make_shared<bool>(false);
        auto maybeFinish = [&session, pending, settled] {
            if (*settled && *pending == 0)
                session.finish(ExitOk);
        };
        postPushPairsFor(session, pending, maybeFinish);
        SoftphoneClient *client = session.client();
        QObject::connect(client->messaging(), &Messaging::messageSent, &session,
                         [&session, settled, maybeFinish, waitDelivered](const QString &id,
                                                                         const QString &recipient) {
                             session.printEvent(
                                 {{"event", "message_sent"}, {"messageId", id}, {"to", recipient}});
                             if (!waitDelivered)
                                 QTimer::singleShot(kSettleMs, &session, [settled, maybeFinish] {
                                     *settled = true;
                                     maybeFinish();
                                 });
                         });
        QObject::connect(
            client->messaging(), &Messaging::messageDelivered, &session,
            [&session, settled, maybeFinish](const QString &id, const QString &recipient) {
                session.printEvent(
                    {{"event", "message_delivered"}, {"messageId", id}, {"to", recipient}});
                *settled = true;
                maybeFinish();
            });
        QObject::connect(
            client->messaging(), &Messaging::messageFailed, &session,
            [&session](const QString &id, const QString &recipient, const QString &error) {
                session.printEvent({{"event", "message_failed"},
                                    {"messageId", id},
                                    {"to", recipient},
                                    {"error", error}});
                session.fail(QStringLiteral("message failed: %1").arg(error), ExitCallFailed);
            });
        const QString id = client->messaging()->send({to}, text);
        session.printEvent({{"event", "sending"}, {"messageId", id}, {"to", to}});
    });
    return {};
}

} // namespace

QList<CliCommand> messageCommands()
{
    return {
        {QStringLiteral("send"),
         QStringLiteral("send USER TEXT [--wait-delivered]"),
         QStringLiteral("Send a text message; pushes the recipient's offline devices through "
                        "the application server; exits once sent (or delivered)."),
         {kWaitDelivered},
         runSend},
    };
}

} // namespace softphone::cli
