#include "Call.h"

#include "SoftphoneClient.h"
#include "common/Logging.h"
#include "protocol/Builders.h"

#include <QWebSocket>

namespace softphone::client {

Call::Call(SoftphoneClient *client, const QString &id, CallDirection direction,
           const QString &remoteUserId, const protocol::Headers &headers)
    : QObject(client)
    , m_client(client)
    , m_id(id)
    , m_remoteUserId(remoteUserId)
    , m_headers(headers)
    , m_machine(direction, QDateTime::currentDateTimeUtc())
{
    if (const CallMediaFactory makeMedia = client->callMedia()) {
        CallMediaLinks links;
        links.callId = id;
        links.caller = direction == CallDirection::Outgoing;
        links.udp = client->udpMedia();
        links.sendSignal = [this](const QJsonObject &message) {
            if (m_client)
                m_client->sendCallMessage(message);
        };
        links.sendRelay = [this](const QByteArray &datagram) {
            return m_client && m_client->sendMedia(this, datagram);
        };
        links.relayRoundTripMs = [this] { return m_client ? m_client->roundTripMs() : -1.0; };
        m_voice = makeMedia(links, this);
        connect(m_voice, &CallMedia::digitReceived, this, &Call::digitReceived);
        connect(m_voice, &CallMedia::qualityChanged, this, &Call::qualityChanged);
    }
}

QVariantMap Call::qualityMap() const
{
    const media::CallQuality q = quality();
    return {{QStringLiteral("lossPercent"), q.lossPercent},
            {QStringLiteral("latePercent"), q.latePercent},
            {QStringLiteral("totalLossPercent"), q.totalLossPercent},
            {QStringLiteral("totalLatePercent"), q.totalLatePercent},
            {QStringLiteral("jitterMs"), q.jitterMs},
            {QStringLiteral("bufferDelayMs"), q.bufferDelayMs},
            {QStringLiteral("captureMs"), q.captureMs},
            {QStringLiteral("sendQueueMs"), q.sendQueueMs},
            {QStringLiteral("playQueueMs"), q.playQueueMs},
            {QStringLiteral("playbackMs"), q.playbackMs},
            {QStringLiteral("playbackTargetMs"), q.playbackTargetMs},
            {QStringLiteral("underruns"), q.underruns},
            {QStringLiteral("driftDropped"), q.driftDropped},
            {QStringLiteral("roundTripMs"), q.roundTripMs},
            {QStringLiteral("framesSent"), q.framesSent},
            {QStringLiteral("framesReceived"), q.framesReceived},
            {QStringLiteral("framesPlayed"), q.framesPlayed},
            {QStringLiteral("fecRecovered"), q.fecRecovered},
            {QStringLiteral("concealed"), q.concealed},
            {QStringLiteral("malformed"), q.malformed},
            {QStringLiteral("frameMs"), q.frameMs},
            {QStringLiteral("path"),
             mediaPath().isEmpty() ? QStringLiteral("connecting") : mediaPath()}};
}

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
    // Media only when the caller offered it (an old client did not: no voice).
    const auto local = m_remoteOffer ? prepareMedia(m_remoteOffer->hasIce()) : std::nullopt;
    if (!m_client || !m_client->sendCallMessage(protocol::makeAnswer(m_id, {}, local))) {
        qCWarning(lcCall) << "answer of" << m_id << "not sent: not connected";
        if (m_voice)
            m_voice->close();
        return;
    }
    m_answerSent = true;
    if (m_voice)
        m_voice->setRemote(local ? m_remoteOffer : std::nullopt);
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
    if (m_voice)
        m_voice->setMuted(muted);
    emit mutedChanged(muted);
}

void Call::hold()
{
    sendHold(true);
}

void Call::resume()
{
    sendHold(false);
}

void Call::sendHold(bool hold)
{
    if (state() != CallState::Established || m_hangupSent) {
        qCWarning(lcCall) << (hold ? "hold" : "resume") << "ignored: call" << m_id
                          << "is not in progress";
        return;
    }
    // No request id: an error reply (e.g. the call just ended) is only logged.
    const QJsonObject message = hold ? protocol::makeHold(m_id) : protocol::makeResume(m_id);
    if (!m_client || !m_client->sendCallMessage(message))
        qCWarning(lcCall) << (hold ? "hold" : "resume") << "of" << m_id
                          << "not sent: not connected";
}

void Call::transfer(const QString &userId, const QString &replacesCallId)
{
    if (state() != CallState::Established || m_hangupSent || !protocol::isValidUserId(userId)) {
        qCWarning(lcCall) << "transfer of" << m_id << "to" << userId
                          << "ignored: not a call in progress or not a user id";
        return;
    }
    m_transferTarget = userId;
    if (!m_client || !m_client->sendTransfer(this, userId, replacesCallId))
        qCWarning(lcCall) << "transfer of" << m_id << "not sent: not connected";
}

void Call::reportTransfer(bool connected, const QString &cause)
{
    if (state() != CallState::Established || m_hangupSent)
        return; // the transferor ended the call meanwhile: nobody to tell
    if (!m_client ||
        !m_client->sendCallMessage(protocol::makeTransferReport(m_id, connected, cause)))
        qCWarning(lcCall) << "transfer report of" << m_id << "not sent: not connected";
}

void Call::applyHoldState(bool byMe, bool byRemote)
{
    if (state() != CallState::Established || (byMe == m_heldByMe && byRemote == m_heldByRemote))
        return;
    const bool wasHeld = isOnHold();
    m_heldByMe = byMe;
    m_heldByRemote = byRemote;
    qCInfo(lcCall) << "call" << m_id << (isOnHold() ? "on hold" : "resumed") << "(by me:" << byMe
                   << ", by the other side:" << byRemote << ")";
    if (m_voice)
        m_voice->setHold(byMe, byRemote);
    // A resumed call takes the connection's relay back, as the service does.
    if (wasHeld && !isOnHold() && m_client && media())
        m_client->m_mediaCall = this;
    emit holdChanged();
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

void Call::applyEstablished(const std::optional<protocol::MediaDescription> &remoteMedia)
{
    QString why;
    if (!m_machine.establish(QDateTime::currentDateTimeUtc(), &why)) {
        qCInfo(lcCall) << "call" << m_id << "ignores established:" << why;
        return;
    }
    // The answerer's `media` (without `ice` from the echo user or a client
    // on --no-udp-media).
    if (direction() == CallDirection::Outgoing && m_voice)
        m_voice->setRemote(remoteMedia);
    startMedia();
    emit stateChanged(state());
}

void Call::applyEnded(EndCause cause, const std::optional<CallError> &error)
{
    QString why;
    if (!m_machine.end(cause, error, QDateTime::currentDateTimeUtc(), &why)) {
        qCInfo(lcCall) << "call" << m_id << "ignores end" << endCauseName(cause) << ":" << why;
        return;
    }
    if (m_voice) {
        m_voice->stop();
        m_voice->close();
    }
    qCInfo(lcCall) << "call" << m_id << "ended:" << endCauseName(cause)
                   << (error ? error->code : QString());
    emit stateChanged(state());
}

void Call::startMedia()
{
    if (!m_client || !m_voice || m_mediaStarted)
        return;
    m_mediaStarted = true;
    // One call with media per connection: the latest established takes it over.
    m_client->m_mediaCall = this;
    m_voice->start(m_muted);
    // A fresh round trip figure now rather than at the next keepalive ping.
    m_client->m_socket.ping();
}

std::optional<protocol::MediaDescription> Call::prepareMedia(bool peerHasIce)
{
    return m_voice ? m_voice->prepare(peerHasIce) : std::nullopt;
}

bool Call::sendDigit(QChar digit)
{
    return m_voice && m_voice->sendDigit(digit);
}

void Call::applyRemoteCandidate(const protocol::Message &message)
{
    if (m_voice)
        m_voice->remoteCandidate(message.string(QLatin1StringView("ufrag")),
                                 message.string(QLatin1StringView("candidate")));
}

void Call::applyRemoteMediaUpdate(const protocol::Message &message)
{
    if (const auto media = message.media(); media && m_voice)
        m_voice->remoteUpdate(*media);
}

void Call::applyPushPairs(const QList<protocol::PushPair> &pairs)
{
    if (direction() != CallDirection::Outgoing || m_pushPairsSeen || state() == CallState::Ended)
        return;
    m_pushPairsSeen = true;
    emit shouldSendPushNotification(pairs);
}

} // namespace softphone::client
