#include "PushSentPrinter.h"

#include <QJsonArray>

namespace softphone::cli {

using namespace client;

PushPairSender *postPushPairsFor(CliSession &session, std::shared_ptr<int> pending,
                                 std::function<void()> onPosted)
{
    if (!pending)
        pending = std::make_shared<int>(0);
    auto *sender = new PushPairSender(session.appServerUrl(), &session);
    sender->attach(session.client());
    // Counted beside attach()'s own connection, so a caller can wait for every post.
    QObject::connect(session.client(), &SoftphoneClient::callShouldSendPushNotification, sender,
                     [pending] { ++*pending; });
    QObject::connect(session.client()->messaging(), &Messaging::messageShouldSendPushNotification,
                     sender, [pending] { ++*pending; });
    QObject::connect(
        sender, &PushPairSender::posted, &session,
        [pending, onPosted](const QString &id, const QList<PushPairOutcome> &outcomes) {
            QJsonArray list;
            for (const PushPairOutcome &outcome : outcomes)
                list.append(QJsonObject{
                    {"device", outcome.device},
                    {"outcome", outcome.outcome},
                    {"error", outcome.error.isEmpty() ? QJsonValue() : QJsonValue(outcome.error)}});
            CliSession::printEvent({{"event", "push_sent"}, {"id", id}, {"results", list}});
            --*pending;
            if (onPosted)
                onPosted();
        });
    QObject::connect(
        sender, &PushPairSender::postFailed, &session,
        [pending, onPosted](const QString &id, const QString &error) {
            CliSession::printEvent({{"event", "push_sent"}, {"id", id}, {"error", error}});
            --*pending;
            if (onPosted)
                onPosted();
        });
    return sender;
}

} // namespace softphone::cli
