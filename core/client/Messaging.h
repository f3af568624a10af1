#pragma once
// Instant messages through the calling service (capability `messaging`,
// docs/protocol.md "Messages"), a child of SoftphoneClient
// (SoftphoneClient::messaging()), like the seed SDK's message client: send()
// out, incomingMessage in (acked to the service after the signal), each
// message's fate through this object's own signals.

#include "InstantMessage.h"
#include "common/RecentIds.h"
#include "protocol/Message.h"

#include <QHash>
#include <QObject>

namespace softphone::client {

class SoftphoneClient;

class Messaging : public QObject
{
    Q_OBJECT
public:
    // Returns the new message id; bad input or no connection ends in
    // messageFailed (queued) with an empty recipient, nothing sent.
    QString send(const QStringList &recipients, const QString &text,
                 const protocol::Headers &headers = {});

signals:
    void messageSent(const QString &messageId, const QString &recipient);
    void messageDelivered(const QString &messageId, const QString &recipient);
    // recipient is empty when the whole message was refused before sending.
    void messageFailed(const QString &messageId, const QString &recipient, const QString &error);
    // Recipients with devices offline but registered for push: the app posts
    // the pairs to its application server (PushPairSender::attach does).
    void messageShouldSendPushNotification(const QString &messageId,
                                           const QList<softphone::protocol::PushPair> &pairs);
    // Acked to the service right after this signal returns; a repeat (lost ack)
    // is acked again but not shown twice.
    void incomingMessage(const softphone::client::InstantMessage &message);

private:
    friend class SoftphoneClient;
    explicit Messaging(SoftphoneClient *client);

    // From SoftphoneClient: a reply (true if it was ours), message.status,
    // message.incoming, a `push` for a message, the connection lost.
    bool handleReply(const protocol::Message &message);
    void handleStatus(const protocol::Message &message);
    void handleIncoming(const protocol::Message &message);
    void connectionLost() { m_requests.clear(); }

    SoftphoneClient *m_client;
    QHash<QString, QString> m_requests; // request id -> message id
    RecentIds m_seen;                   // recent incoming message ids (dedup)
};

} // namespace softphone::client
