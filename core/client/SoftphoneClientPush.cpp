// SoftphoneClient, second part: push registration, relaying pushed payloads
// (claim) and messages. Split from SoftphoneClient.cpp to keep each file about
// one responsibility; the class and its state are the same.

#include "SoftphoneClient.h"

#include "Builders.h"
#include "Limits.h"
#include "Logging.h"

#include <QUuid>

namespace softphone::client {

namespace {
// Payloads and messages remembered to hide repeats; a push is repeated within
// minutes, so a few hundred is plenty.
constexpr int kRememberedIds = 256;

void remember(QStringList &list, const QString &id)
{
    list.append(id);
    while (list.size() > kRememberedIds)
        list.removeFirst();
}
} // namespace

bool SoftphoneClient::registerPushNotificationData(const QByteArray &data)
{
    QString problem;
    if (m_terminated)
        problem = QStringLiteral("the client was terminated");
    else if (!m_config.capabilities.push)
        problem = QStringLiteral("push support is off: enable ClientCapabilities::push before "
                                 "start()");
    else if (data.isEmpty())
        problem = QStringLiteral("push data is empty");
    else if (data.size() > protocol::kMaxPushDataBytes)
        problem = QStringLiteral("push data is %1 bytes; at most %2 are allowed")
                      .arg(data.size())
                      .arg(protocol::kMaxPushDataBytes);
    if (!problem.isEmpty()) {
        log(QtWarningMsg, QStringLiteral("push registration refused: %1").arg(problem));
        QMetaObject::invokeMethod(
            this, [this, problem] { emit pushRegistrationFailed(problem); }, Qt::QueuedConnection);
        return false;
    }
    m_pushData = data;
    m_pushIntent = PushIntent::Register;
    if (m_authenticated)
        sendPushRegistration();
    return true;
}

bool SoftphoneClient::unregisterPushNotificationData()
{
    if (m_terminated || !m_config.capabilities.push) {
        const QString problem = m_terminated ? QStringLiteral("the client was terminated")
                                             : QStringLiteral("push support is off");
        QMetaObject::invokeMethod(
            this, [this, problem] { emit pushUnregistrationFailed(problem); },
            Qt::QueuedConnection);
        return false;
    }
    m_pushData.clear();
    m_pushIntent = PushIntent::Unregister;
    if (m_authenticated)
        sendPushRegistration();
    return true;
}

void SoftphoneClient::sendPushRegistration()
{
    m_pushRequestId = nextRequestId();
    send(m_pushIntent == PushIntent::Register
             ? protocol::makePushRegister(m_pushData, m_pushRequestId)
             : protocol::makePushUnregister(m_pushRequestId));
}

bool SoftphoneClient::setPayloadKey(const QByteArray &pem)
{
    auto key = crypto::EcKey::fromPem(pem);
    if (!key || key->isNull()) {
        log(QtWarningMsg, QStringLiteral("the push payload key does not parse as a P-256 key"));
        return false;
    }
    m_payloadKey = *key;
    m_payloadKeyPem = pem;
    return true;
}

void SoftphoneClient::afterWelcome()
{
    // The registration is the device's: every new session states it again, so a
    // service that lost it (or a reconnect racing an unregister) ends up right.
    if (m_pushIntent != PushIntent::None && m_config.capabilities.push)
        sendPushRegistration();
    const QStringList claims = std::exchange(m_pendingClaims, {});
    for (const QString &callId : claims)
        sendClaim(callId);
}

bool SoftphoneClient::handlePushReply(const protocol::Message &message)
{
    const QString re = message.requestId();
    if (re.isEmpty())
        return false;
    const bool ok = message.type == protocol::MessageType::Ok;
    const QString error =
        ok ? QString()
           : QStringLiteral("%1 (%2)").arg(message.string(QLatin1StringView("message")),
                                           message.string(QLatin1StringView("code")));
    if (re == m_pushRequestId) {
        m_pushRequestId.clear();
        const bool registering = m_pushIntent == PushIntent::Register;
        if (!registering)
            m_pushIntent = ok ? PushIntent::None : m_pushIntent;
        if (!ok)
            log(QtWarningMsg, QStringLiteral("push %1 refused: %2")
                                  .arg(registering ? "registration" : "unregistration", error));
        if (registering) {
            if (ok) {
                emit pushRegistered();
            } else {
                m_pushIntent = PushIntent::None; // refused data is not sent again
                m_pushData.clear();
                emit pushRegistrationFailed(error);
            }
        } else {
            ok ? emit pushUnregistered() : emit pushUnregistrationFailed(error);
        }
        return true;
    }
    if (m_claimRequests.contains(re)) {
        const QString callId = m_claimRequests.take(re);
        if (!ok) {
            log(QtWarningMsg, QStringLiteral("claim of call %1 refused: %2").arg(callId, error));
            if (m_claimedCalls.contains(callId))
                handleClaimEnded(callId, EndCause::Failure);
        }
        return true; // ok: the service follows with incoming or ended
    }
    if (m_messageRequests.contains(re)) {
        const QString messageId = m_messageRequests.take(re);
        if (!ok) {
            log(QtWarningMsg, QStringLiteral("message %1 refused: %2").arg(messageId, error));
            emit messageFailed(messageId, QString(), error);
        }
        return true; // ok: per-recipient message.status follows
    }
    return false;
}

NotificationResult SoftphoneClient::relayRemotePushNotificationPayload(const QString &payload)
{
    NotificationResult result =
        NotificationResult::fromPayload(payload, m_payloadKey, m_config.userId);
    if (!result.isValid()) {
        log(QtWarningMsg,
            QStringLiteral("relayed push payload is invalid: %1").arg(result.error()));
        return result;
    }
    const QString id = result.isMessage() ? result.messageId() : result.callId();
    if (result.isCancel()) {
        // Remember it so a ring payload that arrives after its cancel claims nothing.
        remember(m_relayedIds, id);
        return result;
    }
    if (result.isTimedOut()) {
        log(QtInfoMsg, QStringLiteral("relayed call %1 from %2 has timed out: a missed call")
                           .arg(id, result.remoteUserId()));
        return result;
    }
    if (m_relayedIds.contains(id)) {
        log(QtInfoMsg, QStringLiteral("payload for %1 relayed again: nothing more to do").arg(id));
        return result;
    }
    remember(m_relayedIds, id);
    if (m_terminated) {
        log(QtWarningMsg, QStringLiteral("relay: the client was terminated; cannot connect"));
        return result;
    }
    if (result.isCall()) {
        if (m_activeCalls.contains(id))
            return result; // already ringing here through the normal path
        m_claimedCalls.insert(id);
        if (m_authenticated)
            sendClaim(id);
        else
            m_pendingClaims.append(id);
    }
    // Messages need only a connection: the service sends stored ones on welcome.
    if (!m_running)
        start();
    return result;
}

void SoftphoneClient::sendClaim(const QString &callId)
{
    const QString requestId = nextRequestId();
    m_claimRequests.insert(requestId, callId);
    send(protocol::makeClaim(callId, requestId));
    qCInfo(lcCall) << "claiming relayed call" << callId;
}

void SoftphoneClient::handleClaimEnded(const QString &callId, EndCause cause)
{
    m_claimedCalls.remove(callId);
    log(QtInfoMsg,
        QStringLiteral("relayed call %1 was already over: %2").arg(callId, endCauseName(cause)));
    emit relayedCallEnded(callId, cause);
}

QString SoftphoneClient::sendMessage(const QStringList &recipients, const QString &text,
                                     const protocol::Headers &headers)
{
    const QString messageId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QString problem;
    const QSet<QString> distinct(recipients.cbegin(), recipients.cend());
    if (m_terminated)
        problem = QStringLiteral("the client was terminated");
    else if (!m_config.capabilities.messaging)
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
    else if (!m_authenticated)
        problem = QStringLiteral("not connected to the calling service");
    if (!problem.isEmpty()) {
        log(QtWarningMsg, QStringLiteral("message not sent: %1").arg(problem));
        QMetaObject::invokeMethod(
            this, [this, messageId, problem] { emit messageFailed(messageId, QString(), problem); },
            Qt::QueuedConnection);
        return messageId;
    }
    const QString requestId = nextRequestId();
    m_messageRequests.insert(requestId, messageId);
    send(protocol::makeMessage(messageId, recipients, text, headers, requestId));
    return messageId;
}

void SoftphoneClient::handleMessageStatus(const protocol::Message &message)
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

void SoftphoneClient::handleMessageIncoming(const protocol::Message &message)
{
    InstantMessage incoming;
    incoming.id = message.string(QLatin1StringView("messageId"));
    incoming.from = message.string(QLatin1StringView("from"));
    incoming.text = message.string(QLatin1StringView("text"));
    incoming.headers = message.headers();
    incoming.sentAt =
        QDateTime::fromMSecsSinceEpoch(message.integer(QLatin1StringView("sentAt")), Qt::UTC);
    // A lost ack makes the service send it again: ack again, show it once.
    if (!m_seenMessages.contains(incoming.id)) {
        remember(m_seenMessages, incoming.id);
        const QPointer<SoftphoneClient> guard(this);
        emit incomingMessage(incoming);
        if (!guard)
            return;
    }
    send(protocol::makeMessageAck(incoming.id));
}

} // namespace softphone::client
