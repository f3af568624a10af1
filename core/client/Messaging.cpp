#include "Messaging.h"

#include "SoftphoneClient.h"
#include "protocol/Builders.h"
#include "protocol/Limits.h"

#include <QPointer>
#include <QSet>
#include <QUuid>

namespace softphone::client {

Messaging::Messaging(SoftphoneClient *client)
    : QObject(client)
    , m_client(client)
    , m_seen(SoftphoneClient::kRememberedIds)
{}

QString Messaging::send(const QStringList &recipients, const QString &text,
                        const protocol::Headers &headers)
{
    const QString messageId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QString problem;
    const QSet<QString> distinct(recipients.cbegin(), recipients.cend());
    if (m_client->isTerminated())
        problem = QStringLiteral("the client was terminated");
    else if (!m_client->config().capabilities.messaging)
        problem = QStringLiteral("this client did not declare messaging");
    else if (recipients.isEmpty() || recipients.size() > protocol::kMaxRecipients ||
             distinct.size() != recipients.size())
        problem =
            QStringLiteral("1-%1 distinct recipients are needed").arg(protocol::kMaxRecipients);
    else if (const QString *bad = [&]() -> const QString * {
                 for (const QString &user : recipients)
                     if (!protocol::isValidUserId(user))
                         return &user;
                 return nullptr;
             }())
        problem = QStringLiteral("'%1' is not a valid user id").arg(*bad);
    else if (text.isEmpty() || text.toUtf8().size() > protocol::kMaxTextBytes)
        problem = QStringLiteral("text must be 1-%1 bytes").arg(protocol::kMaxTextBytes);
    else if (const auto headerProblem = protocol::checkHeaders(headers))
        problem = headerProblem->message;
    else if (!m_client->m_authenticated)
        problem = QStringLiteral("not connected to the calling service");
    if (!problem.isEmpty()) {
        m_client->log(QtWarningMsg, QStringLiteral("message not sent: %1").arg(problem));
        QMetaObject::invokeMethod(
            this, [this, messageId, problem] { emit messageFailed(messageId, QString(), problem); },
            Qt::QueuedConnection);
        return messageId;
    }
    const QString requestId = m_client->nextRequestId();
    m_requests.insert(requestId, messageId);
    m_client->send(protocol::makeMessage(messageId, recipients, text, headers, requestId));
    return messageId;
}

bool Messaging::handleReply(const protocol::Message &message)
{
    const auto request = m_requests.constFind(message.requestId());
    if (message.requestId().isEmpty() || request == m_requests.constEnd())
        return false;
    const QString messageId = *request;
    m_requests.erase(request);
    if (message.type != protocol::MessageType::Ok) {
        const QString error = SoftphoneClient::replyError(message);
        m_client->log(QtWarningMsg, QStringLiteral("message %1 refused: %2").arg(messageId, error));
        emit messageFailed(messageId, QString(), error);
    }
    return true; // ok: per-recipient message.status follows
}

void Messaging::handleStatus(const protocol::Message &message)
{
    const QString messageId = message.string(QLatin1StringView("messageId"));
    const QString to = message.string(QLatin1StringView("to"));
    const QString status = message.string(QLatin1StringView("status"));
    if (status == QLatin1StringView("sent")) {
        emit messageSent(messageId, to);
    } else if (status == QLatin1StringView("delivered")) {
        emit messageDelivered(messageId, to);
    } else {
        const auto error = message.error();
        emit messageFailed(messageId, to,
                           error ? QStringLiteral("%1 (%2)").arg(error->message, error->code)
                                 : QStringLiteral("failed"));
    }
}

void Messaging::handleIncoming(const protocol::Message &message)
{
    InstantMessage incoming;
    incoming.id = message.string(QLatin1StringView("messageId"));
    incoming.from = message.string(QLatin1StringView("from"));
    incoming.text = message.string(QLatin1StringView("text"));
    incoming.headers = message.headers();
    incoming.sentAt =
        QDateTime::fromMSecsSinceEpoch(message.integer(QLatin1StringView("sentAt")), Qt::UTC);
    // A lost ack makes the service send it again: ack again, show it once.
    if (m_seen.remember(incoming.id)) {
        const QPointer<SoftphoneClient> guard(m_client);
        emit incomingMessage(incoming);
        if (!guard)
            return;
    }
    m_client->send(protocol::makeMessageAck(incoming.id));
}

} // namespace softphone::client
