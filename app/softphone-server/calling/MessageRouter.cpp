#include "MessageRouter.h"

#include "CallingConnection.h"
#include "Presence.h"
#include "PushPayload.h"
#include "PushRegistrationStore.h"
#include "SqlMessageStore.h"
#include "protocol/Builders.h"
#include "protocol/Limits.h"
#include "softphone-server/common/ServerLogging.h"
#include "softphone-server/common/UserDirectory.h"

#include <QDateTime>
#include <QSet>

namespace softphone::server::calling {

using namespace protocol;

MessageRouter::MessageRouter(const Presence &presence, const UserDirectory &users,
                             PushRegistrationStore &pushStore, SqlMessageStore &messages,
                             const crypto::EcKey &payloadKey, QObject *parent)
    : QObject(parent)
    , m_presence(presence)
    , m_users(users)
    , m_pushStore(pushStore)
    , m_messages(messages)
    , m_payloadKey(payloadKey)
{
    m_pacer.setInterval(0);
    connect(&m_pacer, &QTimer::timeout, this, &MessageRouter::deliverBacklogs);
}

bool MessageRouter::handles(MessageType type)
{
    return type == MessageType::Message || type == MessageType::MessageAck;
}

void MessageRouter::handle(CallingConnection *from, const Message &message)
{
    if (!from->capabilities().messaging) {
        from->sendError(ErrorCode::Capability,
                        QStringLiteral("this device did not declare capability 'messaging'"),
                        message.requestId());
        return;
    }
    if (message.type == MessageType::Message)
        onMessage(from, message);
    else
        onAck(from, message);
}

QList<CallingConnection *> MessageRouter::messagingConnections(const QString &user) const
{
    QList<CallingConnection *> result;
    for (CallingConnection *connection : m_presence.devices(user)) {
        if (connection->capabilities().messaging && !connection->isClosing())
            result.append(connection);
    }
    return result;
}

void MessageRouter::onMessage(CallingConnection *from, const Message &message)
{
    const QString messageId = message.string(QLatin1StringView("messageId"));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    from->send(makeOk(message.requestId()));

    QList<PushPair> pairs;
    QSet<QString> seen;
    for (const QString &to : message.recipients()) {
        if (seen.contains(to))
            continue; // one status per recipient, however often it is listed
        seen.insert(to);
        if (!m_presence.isOnline(to) && !m_users.exists(to)) {
            from->send(
                makeMessageStatus(messageId, to, MessageStatus::Failed,
                                  CallError{QStringLiteral("other"), QStringLiteral("unknown_user"),
                                            QStringLiteral("no user '%1'").arg(to)}));
            continue;
        }
        const StoredMessage stored{
            messageId,         from->user(), to, message.string(QLatin1StringView("text")),
            message.headers(), now};
        QString error;
        const SqlMessageStore::AddResult added = m_messages.add(stored, &error);
        if (added == SqlMessageStore::AddResult::OverQuota) {
            qCInfo(lcServerCalling)
                << "message" << messageId << "from" << from->user() << "refused:" << error;
            from->send(makeMessageStatus(
                messageId, to, MessageStatus::Failed,
                CallError{QStringLiteral("other"), QStringLiteral("quota_exceeded"), error}));
            continue;
        }
        if (added != SqlMessageStore::AddResult::Stored) {
            qCWarning(lcServerCalling) << "message" << messageId << "not stored:" << error;
            from->send(makeMessageStatus(
                messageId, to, MessageStatus::Failed,
                CallError{QStringLiteral("other"), QStringLiteral("not_stored"),
                          QStringLiteral("the message could not be stored (id reused?)")}));
            continue;
        }
        from->send(makeMessageStatus(messageId, to, MessageStatus::Sent));
        if (m_stored)
            m_stored(to);

        const QJsonObject incoming =
            makeMessageIncoming(messageId, stored.from, stored.text, stored.headers, now);
        QSet<QString> reached = m_elsewhere ? m_elsewhere(to) : QSet<QString>();
        for (CallingConnection *device : messagingConnections(to)) {
            if (device == from)
                continue; // a message to yourself goes to your other devices
            device->send(incoming);
            m_messages.markSent(messageId, to, device->device());
            reached.insert(device->device());
        }
        const QMap<QString, QByteArray> registered = m_pushStore.registrations(to);
        for (auto it = registered.cbegin(); it != registered.cend(); ++it) {
            if (reached.contains(it.key()) || (to == from->user() && it.key() == from->device()))
                continue;
            PushPayload payload;
            payload.kind = QStringLiteral("message");
            payload.id = messageId;
            payload.from = from->user();
            payload.to = to;
            payload.device = it.key();
            payload.pushData = it.value();
            payload.issuedAt = now / 1000;
            payload.expiresAt = payload.issuedAt + PushPayload::kMessageLifetimeSeconds;
            const QString signedPayload = payload.sign(m_payloadKey);
            if (!signedPayload.isEmpty() && pairs.size() < kMaxPushPairs)
                pairs.append({it.key(), signedPayload, it.value()});
        }
    }
    if (!pairs.isEmpty())
        from->send(makeMessagePush(messageId, pairs));
}

void MessageRouter::onAck(CallingConnection *from, const Message &message)
{
    const QString messageId = message.string(QLatin1StringView("messageId"));
    // Only the first ack of any of the recipient's devices counts; later ones
    // (and acks of unknown ids) are ignored, so acking is idempotent.
    const std::optional<StoredMessage> acked = m_messages.acknowledge(messageId, from->user());
    if (!message.requestId().isEmpty())
        from->send(makeOk(message.requestId()));
    if (!acked)
        return;
    // The sender hears it on the devices connected now; with none, the status
    // is dropped (docs/protocol.md "Messages").
    const QJsonObject status = makeMessageStatus(messageId, from->user(), MessageStatus::Delivered);
    for (CallingConnection *device : messagingConnections(acked->from))
        device->send(status);
}

void MessageRouter::deliverPending(CallingConnection *connection)
{
    if (!connection->capabilities().messaging)
        return;
    if (deliverBatch(connection))
        return;
    // More are waiting: one batch per connection per event-loop turn, so a
    // backlog of thousands neither blocks the loop nor floods the socket at once.
    m_backlogs.append(connection);
    if (!m_pacer.isActive())
        m_pacer.start();
}

bool MessageRouter::deliverBatch(CallingConnection *connection)
{
    const QString user = connection->user();
    const QString device = connection->device();
    const QList<StoredMessage> batch = m_messages.pendingFor(user, device, kPendingDeliveryBatch);
    for (const StoredMessage &m : batch) {
        connection->send(makeMessageIncoming(m.id, m.from, m.text, m.headers, m.sentAtMs));
        m_messages.markSent(m.id, user, device);
    }
    return batch.size() < kPendingDeliveryBatch;
}

void MessageRouter::deliverBacklogs()
{
    const QList<QPointer<CallingConnection>> backlogs = std::exchange(m_backlogs, {});
    for (const QPointer<CallingConnection> &connection : backlogs) {
        if (connection && !connection->isClosing() && !deliverBatch(connection))
            m_backlogs.append(connection);
    }
    if (m_backlogs.isEmpty())
        m_pacer.stop();
}

} // namespace softphone::server::calling
