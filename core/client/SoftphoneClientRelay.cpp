// SoftphoneClient, second part: relaying pushed payloads (verify, then claim
// the call) and the service's payload key. Split from SoftphoneClient.cpp to
// keep each file about one responsibility; the class and its state are the same.

#include "SoftphoneClient.h"

#include "common/Logging.h"
#include "protocol/Builders.h"

namespace softphone::client {

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
    m_pushRegistration->afterWelcome();
    m_presence->afterWelcome();
    const QStringList claims = std::exchange(m_pendingClaims, {});
    for (const QString &callId : claims)
        sendClaim(callId);
}

void SoftphoneClient::requeueClaims()
{
    for (const QString &callId : std::as_const(m_claimRequests))
        if (!m_pendingClaims.contains(callId))
            m_pendingClaims.append(callId);
    m_claimRequests.clear();
}

bool SoftphoneClient::handleClaimReply(const protocol::Message &message)
{
    const QString re = message.requestId();
    if (re.isEmpty() || !m_claimRequests.contains(re))
        return false;
    const QString callId = m_claimRequests.take(re);
    if (message.type != protocol::MessageType::Ok) {
        log(QtWarningMsg,
            QStringLiteral("claim of call %1 refused: %2").arg(callId, replyError(message)));
        if (m_claimedCalls.contains(callId))
            handleClaimEnded(callId, EndCause::Failure);
    }
    return true; // ok: the service follows with incoming or ended
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
        m_relayedIds.remember(id);
        return result;
    }
    if (result.isTimedOut()) {
        log(QtInfoMsg, QStringLiteral("relayed call %1 from %2 has timed out: a missed call")
                           .arg(id, result.remoteUserId()));
        return result;
    }
    if (!m_relayedIds.remember(id)) {
        log(QtInfoMsg, QStringLiteral("payload for %1 relayed again: nothing more to do").arg(id));
        return result;
    }
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

} // namespace softphone::client
