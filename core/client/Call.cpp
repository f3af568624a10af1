#include "Call.h"

#include "Builders.h"
#include "Logging.h"
#include "SoftphoneClient.h"

namespace softphone::client {

Call::Call(SoftphoneClient *client, const QString &id, CallDirection direction,
           const QString &remoteUserId, const protocol::Headers &headers)
    : QObject(client)
    , m_client(client)
    , m_id(id)
    , m_remoteUserId(remoteUserId)
    , m_headers(headers)
    , m_machine(direction, QDateTime::currentDateTimeUtc())
{}

QVariantMap Call::headersMap() const
{
    QVariantMap map;
    for (auto it = m_headers.cbegin(); it != m_headers.cend(); ++it)
        map.insert(it.key(), it.value());
    return map;
}

void Call::answer()
{
    if (direction() != CallDirection::Incoming || state() != CallState::Initiating) {
        qCWarning(lcCall) << "answer ignored: call" << m_id << "is"
                          << (direction() == CallDirection::Outgoing ? "outgoing" : "not ringing");
        return;
    }
    if (m_answerSent || m_hangupSent)
        return;
    if (!m_client || !m_client->sendCallMessage(protocol::makeAnswer(m_id))) {
        qCWarning(lcCall) << "answer of" << m_id << "not sent: not connected";
        return;
    }
    m_answerSent = true;
}

void Call::hangup()
{
    if (state() == CallState::Ended || m_hangupSent)
        return;
    const bool decline =
        direction() == CallDirection::Incoming && state() != CallState::Established;
    const QJsonObject message = decline ? protocol::makeDecline(m_id) : protocol::makeHangup(m_id);
    if (!m_client || !m_client->sendCallMessage(message)) {
        qCWarning(lcCall) << "hangup of" << m_id << "not sent: not connected";
        return;
    }
    m_hangupSent = true;
}

void Call::setMuted(bool muted)
{
    if (m_muted == muted)
        return;
    m_muted = muted;
    emit mutedChanged(muted);
}

void Call::applyProgress()
{
    QString why;
    if (!m_machine.progress(QDateTime::currentDateTimeUtc(), &why)) {
        qCInfo(lcCall) << "call" << m_id << "ignores progress:" << why;
        return;
    }
    emit stateChanged(state());
}

void Call::applyEstablished()
{
    QString why;
    if (!m_machine.establish(QDateTime::currentDateTimeUtc(), &why)) {
        qCInfo(lcCall) << "call" << m_id << "ignores established:" << why;
        return;
    }
    emit stateChanged(state());
}

void Call::applyEnded(EndCause cause, const std::optional<CallError> &error)
{
    QString why;
    if (!m_machine.end(cause, error, QDateTime::currentDateTimeUtc(), &why)) {
        qCInfo(lcCall) << "call" << m_id << "ignores end" << endCauseName(cause) << ":" << why;
        return;
    }
    qCInfo(lcCall) << "call" << m_id << "ended:" << endCauseName(cause)
                   << (error ? error->code : QString());
    emit stateChanged(state());
}

void Call::applyPushPairs(const QList<protocol::PushPair> &pairs)
{
    if (direction() != CallDirection::Outgoing || m_pushPairsSeen || state() == CallState::Ended)
        return;
    m_pushPairsSeen = true;
    emit shouldSendPushNotification(pairs);
}

} // namespace softphone::client
