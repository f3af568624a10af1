#include "SoftphoneClient.h"

#include "IceServers.h"
#include "common/Logging.h"
#include "protocol/Builders.h"
#include "protocol/Limits.h"

#include <QUuid>

namespace softphone::client {

namespace {
using namespace std::chrono_literals;

constexpr int kKeptEndedCalls = 64;
constexpr int kMaxRejectedTokensInARow = 2;

net::KeptAliveSocket::Options socketOptions()
{
    net::KeptAliveSocket::Options options;
    options.peerName = QStringLiteral("the calling service");
    options.subprotocols = {QString::fromLatin1(protocol::kSubprotocol)};
    // The service's messages are small; anything bigger is refused by the
    // WebSocket layer before it reaches memory (docs/protocol.md "Framing and limits").
    options.maxInboundBytes = protocol::kMaxControlMessageBytes;
    options.keepalive = {std::chrono::seconds(protocol::kPingIntervalSeconds),
                         std::chrono::seconds(protocol::kDeadPeerSeconds)};
    // docs/protocol.md: 1 s, x1.6, +-20 %, cap 60 s.
    options.backoff.cap = 60s;
    return options;
}

CallError networkError(const QString &code, const QString &message)
{
    return CallError{QStringLiteral("network"), code, message};
}
} // namespace

SoftphoneClient::SoftphoneClient(QObject *parent)
    : QObject(parent)
    , m_socket(socketOptions(), this)
    , m_pushRegistration(new PushRegistration(this))
    , m_messaging(new Messaging(this))
    , m_presence(new Presence(this))
    , m_iceNames(new IceServerNames(this))
{
    connect(m_iceNames, &IceServerNames::resolved, this, &SoftphoneClient::applyIceServers);
    qRegisterMetaType<ClientError>();
    qRegisterMetaType<CallDetails>();
    qRegisterMetaType<NotificationResult>();
    qRegisterMetaType<InstantMessage>();
    connect(&m_socket, &net::KeptAliveSocket::connected, this, &SoftphoneClient::onConnected);
    connect(&m_socket, &net::KeptAliveSocket::textMessageReceived, this,
            &SoftphoneClient::onTextMessage);
    connect(&m_socket, &net::KeptAliveSocket::binaryMessageReceived, this,
            &SoftphoneClient::onBinaryMessage);
    connect(&m_socket, &net::KeptAliveSocket::disconnected, this, &SoftphoneClient::onDisconnected);
    connect(&m_socket, &net::KeptAliveSocket::logMessage, this, &SoftphoneClient::log);
    connect(&m_socket, &net::KeptAliveSocket::stateChanged, this,
            [this](net::KeptAliveSocket::State state) {
                // Connected comes with the welcome; Disconnected from our own decisions.
                if (state == net::KeptAliveSocket::State::Waiting)
                    setState(ConnectionState::Reconnecting);
                else if (state == net::KeptAliveSocket::State::Connecting)
                    setState(m_started || m_socket.attempts() > 0 ? ConnectionState::Reconnecting
                                                                  : ConnectionState::Connecting);
            });
}

SoftphoneClient::SoftphoneClient(const ClientConfig &config, QObject *parent)
    : SoftphoneClient(parent)
{
    m_config = config;
}

// No signals from a dying object: m_socket drops the connection quietly; the
// service ends our calls when it sees the connection go.
SoftphoneClient::~SoftphoneClient()
{
    m_socket.disconnect(this);
}

void SoftphoneClient::setIceServers(const QJsonObject &ice)
{
    applyIceServers(ice);
    if (IceServerNames::hasNames(ice))
        m_iceNames->resolve(ice); // their addresses replace these servers when known
}

void SoftphoneClient::applyIceServers(const QJsonObject &ice)
{
    // The servers of the newest reply replace the older ones (and their credentials).
    m_udpMedia.ice.stun.reset();
    m_udpMedia.ice.turn.clear();
    m_udpMedia.ice = iceSettingsFromLogin(ice, m_udpMedia.ice);
}

bool SoftphoneClient::setConfig(const ClientConfig &config)
{
    if (m_running || m_terminated) {
        log(QtWarningMsg, QStringLiteral("configuration change refused: the client was already "
                                         "started; capabilities are fixed before start()"));
        return false;
    }
    m_config = config;
    return true;
}

bool SoftphoneClient::moveTo(const QUrl &serviceUrl)
{
    ClientConfig moved = m_config;
    moved.serviceUrl = serviceUrl;
    if (const QString problem = moved.validate(); !problem.isEmpty()) {
        log(QtWarningMsg,
            QStringLiteral("not moving to %1: %2").arg(serviceUrl.toString(), problem));
        return false;
    }
    if (serviceUrl == m_config.serviceUrl)
        return true;
    m_config = moved;
    log(QtInfoMsg, QStringLiteral("the calling service moved to %1").arg(serviceUrl.toString()));
    if (m_running && !m_authenticated && !m_waitingForToken) {
        m_socket.resetBackoff();
        m_socket.open(serviceUrl); // drops an attempt to the old node
    }
    return true;
}

void SoftphoneClient::setAccessToken(const QString &token)
{
    m_token = token;
    if (m_terminated || token.isEmpty())
        return;
    if (m_authenticated) {
        send(protocol::makeToken(token, nextRequestId()));
        return;
    }
    if (m_running && m_waitingForToken) {
        m_waitingForToken = false;
        connectNow();
    }
}

bool SoftphoneClient::start()
{
    if (m_terminated) {
        emitFailed(ClientError::Type::Terminated,
                   QStringLiteral("a terminated client cannot be started again"));
        return false;
    }
    if (m_running)
        return true;
    const QString problem = m_config.validate();
    if (!problem.isEmpty()) {
        emitFailed(ClientError::Type::InvalidConfig, problem);
        return false;
    }
    m_running = true;
    if (m_token.isEmpty()) {
        m_waitingForToken = true;
        emit credentialsRequired();
        return true;
    }
    connectNow();
    return true;
}

void SoftphoneClient::terminate()
{
    if (m_terminated)
        return;
    m_terminated = true;
    m_running = false;
    // Tell the service, then end locally with the cause the other party will see.
    for (Call *call : activeCalls()) {
        const bool established = call->state() == CallState::Established;
        const bool incoming = call->direction() == CallDirection::Incoming;
        if (m_authenticated)
            send(!established && incoming ? protocol::makeDecline(call->id())
                                          : protocol::makeHangup(call->id()));
        endCall(call,
                established ? EndCause::HungUp : (incoming ? EndCause::Denied : EndCause::Canceled),
                std::nullopt);
    }
    m_authenticated = false;
    m_socket.close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("client terminated"));
    setState(ConnectionState::Disconnected);
    if (m_started) {
        m_started = false;
        emit startedChanged(false);
    }
    log(QtInfoMsg, QStringLiteral("client terminated"));
}

QList<Call *> SoftphoneClient::activeCalls() const
{
    QList<Call *> calls;
    for (const auto &call : m_activeCalls)
        if (call)
            calls << call.data();
    return calls;
}

void SoftphoneClient::setKeepAliveIntervals(std::chrono::milliseconds ping,
                                            std::chrono::milliseconds dead)
{
    m_socket.setKeepalive({ping, dead});
}

Call *SoftphoneClient::callUser(const QString &userId, const protocol::Headers &headers)
{
    const QString callId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    auto *call = new Call(this, callId, CallDirection::Outgoing, userId, headers);
    if (m_terminated) {
        failCallLater(call, CallError{QStringLiteral("other"), QStringLiteral("terminated"),
                                      QStringLiteral("the client was terminated")});
        return call;
    }
    if (!m_config.capabilities.calling) {
        failCallLater(call, CallError{QStringLiteral("capability"), QStringLiteral("capability"),
                                      QStringLiteral("this client did not declare calling")});
        return call;
    }
    if (!protocol::isValidUserId(userId)) {
        failCallLater(call, CallError{QStringLiteral("other"), QStringLiteral("bad_request"),
                                      QStringLiteral("'%1' is not a valid user id").arg(userId)});
        return call;
    }
    if (const auto problem = protocol::checkHeaders(headers)) {
        failCallLater(call, CallError{QStringLiteral("other"),
                                      protocol::errorCodeName(problem->code), problem->message});
        return call;
    }
    if (!m_authenticated) {
        failCallLater(call, networkError(QStringLiteral("not_connected"),
                                         QStringLiteral("not connected to the calling service")));
        return call;
    }
    const QString requestId = nextRequestId();
    m_activeCalls.insert(callId, call);
    m_pendingCallRequests.insert(requestId, callId);
    send(protocol::makeCall(callId, userId, headers, false, requestId, call->prepareMedia()));
    qCInfo(lcCall) << "calling" << userId << "call" << callId;
    return call;
}

bool SoftphoneClient::sendCallMessage(const QJsonObject &message)
{
    return m_authenticated && send(message);
}

void SoftphoneClient::connectNow()
{
    if (!m_running)
        return;
    m_authenticated = false;
    m_tokenRejected = false;
    m_socket.setOrigin(m_config.clientName);
    if (m_socket.state() == net::KeptAliveSocket::State::Idle)
        m_socket.open(m_config.serviceUrl);
    else
        m_socket.reconnectNow();
}

void SoftphoneClient::onConnected()
{
    m_tokenRejected = false;
    m_helloRequestId = nextRequestId();
    const ClientCapabilities &caps = m_config.capabilities;
    protocol::Capabilities wire;
    wire.calling = caps.calling;
    wire.messaging = caps.messaging;
    wire.push = caps.push;
    send(protocol::makeHello(m_token, m_config.deviceId, wire, m_config.clientName,
                             m_helloRequestId));
}

void SoftphoneClient::onTextMessage(const QString &text)
{
    auto decoded = protocol::decodeFrame(text.toUtf8(), protocol::Sender::Server);
    if (const auto *error = std::get_if<protocol::ProtocolError>(&decoded)) {
        // A newer or broken service: drop this one message, keep the rest.
        log(QtWarningMsg,
            QStringLiteral("ignored a message from the service: %1").arg(error->message));
        return;
    }
    handleMessage(std::get<protocol::Message>(decoded));
}

void SoftphoneClient::onBinaryMessage(const QByteArray &frame)
{
    // DTLS, SRTP or SRTCP of the connection's established call
    // (docs/protocol.md "Media"); frames arriving without one are late frames
    // of an ended call.
    if (m_mediaCall && m_mediaCall->m_voice)
        m_mediaCall->m_voice->relayDatagramReceived(frame);
}

bool SoftphoneClient::sendMedia(const Call *call, const QByteArray &frame)
{
    if (!m_authenticated || call != m_mediaCall)
        return false;
    m_socket.sendBinary(frame);
    return true;
}

void SoftphoneClient::onDisconnected(int closeCode, const QString &reason)
{
    const bool wasAuthenticated = m_authenticated;
    m_authenticated = false;
    m_pendingCallRequests.clear();
    m_transferRequests.clear();
    // Requests in flight are lost with the connection; claims not yet answered
    // are sent again after the next welcome.
    requeueClaims();
    m_pushRegistration->connectionLost();
    m_messaging->connectionLost();
    m_presence->connectionLost();
    endAllCalls(EndCause::Failure,
                networkError(QStringLiteral("connection_lost"),
                             QStringLiteral("the connection to the calling service was lost")));
    if (!m_running) {
        m_socket.close();
        return;
    }
    if (closeCode == protocol::CloseReplaced) {
        m_socket.close();
        m_running = false;
        setState(ConnectionState::Disconnected);
        emitFailed(ClientError::Type::Replaced,
                   QStringLiteral("this user and device connected from somewhere else"));
        return;
    }
    if (m_tokenRejected || closeCode == protocol::CloseUnauthorized) {
        m_socket.close(); // dialled again when setAccessToken() brings a new token
        m_token.clear();
        m_waitingForToken = true;
        setState(ConnectionState::Disconnected);
        if (++m_rejectedTokens > kMaxRejectedTokensInARow) {
            emitFailed(
                ClientError::Type::Unauthorized,
                QStringLiteral("the calling service rejected the access token: %1").arg(reason));
            return;
        }
        emit credentialsRequired();
        return;
    }
    if (!wasAuthenticated && !m_started && !m_networkFailureReported) {
        // The app learns the service is unreachable; the client keeps trying.
        m_networkFailureReported = true;
        emitFailed(ClientError::Type::Network,
                   QStringLiteral("cannot reach the calling service at %1: %2")
                       .arg(m_config.serviceUrl.toString(), reason));
        // The app may have terminated us from its slot (that closed the socket);
        // otherwise the socket dials again after its backoff delay.
    }
}

void SoftphoneClient::handleMessage(const protocol::Message &message)
{
    using protocol::MessageType;
    const QString callId = message.string(QLatin1StringView("callId"));
    Call *call = m_activeCalls.value(callId);
    switch (message.type) {
    case MessageType::Welcome:
        handleWelcome(message);
        return;
    case MessageType::Error:
    case MessageType::Ok:
        if (m_pushRegistration->handleReply(message) || m_messaging->handleReply(message) ||
            m_presence->handleReply(message) || handleClaimReply(message) ||
            handleTransferReply(message))
            return;
        if (message.type == MessageType::Error)
            handleError(message);
        else
            m_pendingCallRequests.remove(message.requestId());
        return;
    case MessageType::TokenExpiring:
        log(QtInfoMsg, QStringLiteral("the access token expires soon"));
        emit credentialsRequired();
        return;
    case MessageType::Incoming:
        handleIncoming(message);
        return;
    case MessageType::Progress:
        if (call)
            call->applyProgress();
        return;
    case MessageType::Established:
        if (call)
            call->applyEstablished(message.media());
        return;
    case MessageType::RemoteCandidate:
        if (call)
            call->applyRemoteCandidate(message);
        return;
    case MessageType::RemoteMediaUpdate:
        if (call)
            call->applyRemoteMediaUpdate(message);
        return;
    case MessageType::TransferRequest:
    case MessageType::TransferResult:
        handleTransferMessage(message, call);
        return;
    case MessageType::HoldState:
        if (call)
            call->applyHoldState(message.boolean(QLatin1StringView("byYou")),
                                 message.boolean(QLatin1StringView("byPeer")));
        return;
    case MessageType::Ended:
        handleEnded(message);
        return;
    case MessageType::Push:
        handlePush(message, call);
        return;
    case MessageType::MessageStatus:
        m_messaging->handleStatus(message);
        return;
    case MessageType::MessageIncoming:
        m_messaging->handleIncoming(message);
        return;
    case MessageType::Presence:
        m_presence->handleEvent(message);
        return;
    default:
        log(QtInfoMsg, QStringLiteral("ignored '%1': not handled by this client version")
                           .arg(protocol::messageTypeName(message.type)));
        return;
    }
}

void SoftphoneClient::handleWelcome(const protocol::Message &message)
{
    m_authenticated = true;
    m_rejectedTokens = 0;
    m_networkFailureReported = false;
    m_socket.resetBackoff();
    m_serverUser = message.string(QLatin1StringView("user"));
    setState(ConnectionState::Connected);
    log(QtInfoMsg,
        QStringLiteral("signed in as %1 on device %2").arg(m_serverUser, m_config.deviceId));
    const QString payloadKey = message.string(QLatin1StringView("payloadKey"));
    if (!payloadKey.isEmpty() && payloadKey.toUtf8() != m_payloadKeyPem &&
        setPayloadKey(payloadKey.toUtf8()))
        emit payloadKeyChanged(m_payloadKeyPem);
    if (!m_started) {
        m_started = true;
        emit startedChanged(true);
        emit started();
    }
    afterWelcome();
}

void SoftphoneClient::handleError(const protocol::Message &message)
{
    const QString code = message.string(QLatin1StringView("code"));
    const QString text = message.string(QLatin1StringView("message"));
    const QString re = message.requestId();
    if (code == QLatin1StringView("unauthorized") || (!re.isEmpty() && re == m_helloRequestId)) {
        m_tokenRejected = code == QLatin1StringView("unauthorized");
        log(QtWarningMsg, QStringLiteral("sign-in refused: %1 (%2)").arg(text, code));
        return;
    }
    const QString callId = m_pendingCallRequests.take(re);
    if (Call *call = m_activeCalls.value(callId)) {
        const QString domain = code == QLatin1StringView("capability")
                                   ? QStringLiteral("capability")
                                   : QStringLiteral("other");
        endCall(call, EndCause::Failure, CallError{domain, code, text});
        return;
    }
    log(QtWarningMsg, QStringLiteral("the service reported: %1 (%2)").arg(text, code));
}

void SoftphoneClient::handlePush(const protocol::Message &message, Call *call)
{
    if (message.has(QLatin1StringView("messageId"))) {
        emit m_messaging->messageShouldSendPushNotification(
            message.string(QLatin1StringView("messageId")), message.pairs());
        return;
    }
    if (call && call->direction() == CallDirection::Outgoing && !call->m_pushPairsSeen &&
        call->state() != CallState::Ended) {
        const QPointer<Call> guard(call);
        call->applyPushPairs(message.pairs());
        if (guard)
            emit callShouldSendPushNotification(call, message.pairs());
    }
}

void SoftphoneClient::handleIncoming(const protocol::Message &message)
{
    const QString callId = message.string(QLatin1StringView("callId"));
    if (m_activeCalls.contains(callId)) {
        log(QtInfoMsg, QStringLiteral("duplicate incoming for call %1 ignored").arg(callId));
        return;
    }
    m_claimedCalls.remove(callId);
    auto *call = new Call(this, callId, CallDirection::Incoming,
                          message.string(QLatin1StringView("from")), message.headers());
    call->m_remoteOffer = message.media();
    m_activeCalls.insert(callId, call);
    qCInfo(lcCall) << "incoming call" << callId << "from" << call->remoteUserId();
    // Ringing first, so an app answering inside the slot keeps the order the service expects.
    send(protocol::makeRinging(callId));
    takeOverReplacedCall(call);
    emit incomingCall(call);
}

void SoftphoneClient::handleEnded(const protocol::Message &message)
{
    const QString callId = message.string(QLatin1StringView("callId"));
    Call *call = m_activeCalls.value(callId);
    const auto cause = message.cause();
    if (!call) {
        // The answer to a claim of a call that is already over.
        if (m_claimedCalls.contains(callId))
            handleClaimEnded(callId, cause ? endCauseFromProtocol(*cause) : EndCause::Failure);
        return;
    }
    endCall(call, cause ? endCauseFromProtocol(*cause) : EndCause::Failure, message.error());
}

void SoftphoneClient::endAllCalls(EndCause cause, const std::optional<CallError> &error)
{
    for (Call *call : activeCalls())
        endCall(call, cause, error);
}

void SoftphoneClient::endCall(Call *call, EndCause cause, const std::optional<CallError> &error)
{
    m_activeCalls.remove(call->id());
    call->applyEnded(cause, error);
    // Keep recent ended calls for the app's late readers; drop the oldest.
    m_endedCalls.append(call);
    while (m_endedCalls.size() > kKeptEndedCalls) {
        if (Call *old = m_endedCalls.takeFirst())
            old->deleteLater();
    }
}

void SoftphoneClient::failCallLater(Call *call, const CallError &error)
{
    log(QtWarningMsg,
        QStringLiteral("call to %1 not placed: %2").arg(call->remoteUserId(), error.message));
    QTimer::singleShot(0, call, [this, call, error] { endCall(call, EndCause::Failure, error); });
}

void SoftphoneClient::setState(ConnectionState state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit connectionStateChanged(state);
}

void SoftphoneClient::emitFailed(ClientError::Type type, const QString &message)
{
    log(QtWarningMsg, message);
    emit failed(ClientError{type, message});
}

void SoftphoneClient::log(QtMsgType type, const QString &message)
{
    switch (type) {
    case QtWarningMsg:
    case QtCriticalMsg:
    case QtFatalMsg:
        qCWarning(lcClient).noquote() << message;
        break;
    case QtDebugMsg:
        qCDebug(lcClient).noquote() << message;
        break;
    case QtInfoMsg:
        qCInfo(lcClient).noquote() << message;
        break;
    }
    emit logMessage(type, message);
}

QString SoftphoneClient::nextRequestId()
{
    return QString::number(++m_requestCounter);
}

bool SoftphoneClient::send(const QJsonObject &message)
{
    return m_socket.sendText(protocol::toText(message));
}

QString SoftphoneClient::replyError(const protocol::Message &message)
{
    if (message.type == protocol::MessageType::Ok)
        return QString();
    return QStringLiteral("%1 (%2)").arg(message.string(QLatin1StringView("message")),
                                         message.string(QLatin1StringView("code")));
}

} // namespace softphone::client
