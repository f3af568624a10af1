#include "CallingConnection.h"

#include "protocol/Builders.h"
#include "protocol/Limits.h"
#include "softphone-server/common/AddressGate.h"
#include "softphone-server/common/ServerLogging.h"

#include <QWebSocket>

namespace softphone::server::calling {

using namespace protocol;

namespace {
constexpr qint64 kCloseHandshakeMs = 5000;
}

CallingConnection::CallingConnection(QWebSocket *socket, Handler *handler,
                                     const SendQueueLimits &limits, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_handler(handler)
    , m_rate(kRateLimitPerSecond, kRateLimitBurst)
    , m_sendQueue(limits)
{
    m_socket->setParent(this);
    // The listener already limits sizes; set them here too so this class is
    // safe whichever route hands it a socket.
    m_socket->setMaxAllowedIncomingFrameSize(kMaxControlMessageBytes);
    m_socket->setMaxAllowedIncomingMessageSize(kMaxControlMessageBytes);
    m_sinceConnect.start();
    m_sinceHeard.start();
    m_sincePing.start();
    connect(m_socket, &QWebSocket::textMessageReceived, this, &CallingConnection::onText);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &CallingConnection::onBinary);
    connect(m_socket, &QWebSocket::pong, this, [this] { m_sinceHeard.restart(); });
    connect(m_socket, &QWebSocket::disconnected, this, &CallingConnection::onDisconnected);
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        QMetaObject::invokeMethod(this, &CallingConnection::onDisconnected, Qt::QueuedConnection);
}

CallingConnection::CallingConnection(RemoteLink *link, const QString &user, const QString &device,
                                     const QString &node, QObject *parent)
    : QObject(parent)
    , m_socket(nullptr)
    , m_handler(nullptr)
    , m_remote(link)
    , m_node(node)
    , m_rate(kRateLimitPerSecond, kRateLimitBurst)
    , m_user(user)
    , m_device(device)
{
    m_capabilities.calling = true;
}

CallingConnection::~CallingConnection() = default;

QHostAddress CallingConnection::peerAddress() const
{
    return m_remote ? QHostAddress() : m_socket->peerAddress();
}

QString CallingConnection::peer() const
{
    if (m_remote)
        return QStringLiteral("node %1").arg(m_node);
    return QStringLiteral("%1:%2")
        .arg(m_socket->peerAddress().toString())
        .arg(m_socket->peerPort());
}

void CallingConnection::authenticate(const QString &user, const QString &device,
                                     const Capabilities &capabilities, const QDateTime &tokenExpiry)
{
    m_user = user;
    m_device = device;
    m_capabilities = capabilities;
    PendingSlot::authenticated(m_socket); // no longer counts as half-open for its address
    setTokenExpiry(tokenExpiry);
}

void CallingConnection::setTokenExpiry(const QDateTime &expiry)
{
    m_tokenExpiryMs = expiry.isValid() ? expiry.toMSecsSinceEpoch() : 0;
    m_expiryNoticeSent = false;
}

void CallingConnection::send(const QJsonObject &message)
{
    if (m_closing)
        return;
    const QString text = toText(message);
    if (m_remote) {
        m_remote->deliver(this, text);
        return;
    }
    if (mayQueue(text.size(), false))
        m_socket->sendTextMessage(text);
}

bool CallingConnection::mayQueue(qint64 size, bool droppable)
{
    switch (m_sendQueue.check(*m_socket, size, droppable)) {
    case SendQueueLimits::Verdict::Send:
        return true;
    case SendQueueLimits::Verdict::Drop:
        if (m_mediaDropped++ % 500 == 0)
            qCInfo(lcServerCalling) << peer() << m_user << "does not read: media dropped ("
                                    << m_mediaDropped << "frames so far)";
        return false;
    case SendQueueLimits::Verdict::Close:
        qCWarning(lcServerCalling) << peer() << m_user << m_device << "has"
                                   << m_socket->bytesToWrite() << "bytes unread: closing";
        close(kCloseSendQueueFull, QStringLiteral("send queue full: the client does not read"));
        return false;
    }
    return false;
}

void CallingConnection::sendError(ErrorCode code, const QString &message, const QString &re)
{
    send(makeError(code, message, re));
}

void CallingConnection::close(quint16 code, const QString &reason)
{
    if (m_closing)
        return;
    m_closing = true;
    if (m_remote)
        return; // the device's own node closes its socket
    qCInfo(lcServerCalling) << "closing" << peer() << m_user << m_device << code << reason;
    m_sinceClose.start();
    m_socket->close(QWebSocketProtocol::CloseCode(code), reason);
}

void CallingConnection::keepalive(qint64 nowUtcMs, std::chrono::milliseconds authTimeout)
{
    if (m_closing) {
        if (m_sinceClose.elapsed() > kCloseHandshakeMs)
            m_socket->abort();
        return;
    }
    if (!isAuthenticated() && m_sinceConnect.elapsed() > authTimeout.count()) {
        sendError(ErrorCode::NotAuthenticated,
                  QStringLiteral("no hello within %1 s").arg(double(authTimeout.count()) / 1000));
        close(CloseAuthTimeout, QStringLiteral("authentication timeout"));
        return;
    }
    if (m_sinceHeard.elapsed() > kDeadPeerSeconds * 1000) {
        // A dead peer will not answer a close frame either.
        qCInfo(lcServerCalling) << "no answer for" << kDeadPeerSeconds << "s, dropping" << peer()
                                << m_user << m_device;
        m_socket->abort();
        return;
    }
    if (isAuthenticated() && m_tokenExpiryMs != 0) {
        const qint64 left = (m_tokenExpiryMs - nowUtcMs) / 1000;
        if (left <= 0) {
            sendError(ErrorCode::Unauthorized, QStringLiteral("the access token expired"));
            close(CloseUnauthorized, QStringLiteral("token expired"));
            return;
        }
        if (left <= kTokenExpiringNoticeSeconds && !m_expiryNoticeSent) {
            m_expiryNoticeSent = true;
            send(makeTokenExpiring(m_tokenExpiryMs));
        }
    }
    if (m_sincePing.elapsed() >= kPingIntervalSeconds * 1000) {
        m_sincePing.restart();
        m_socket->ping();
    }
}

bool CallingConnection::admit()
{
    m_sinceHeard.restart();
    if (m_closing)
        return false;
    switch (m_rate.take()) {
    case RateLimiter::Verdict::Accept:
        return true;
    case RateLimiter::Verdict::Warn:
        sendError(ErrorCode::RateLimited,
                  QStringLiteral("more than %1 messages per second").arg(kRateLimitPerSecond));
        return false;
    case RateLimiter::Verdict::Drop:
        return false;
    case RateLimiter::Verdict::Close:
        close(CloseRateLimited, QStringLiteral("rate limit exceeded"));
        return false;
    }
    return false;
}

void CallingConnection::onText(const QString &text)
{
    if (!admit())
        return;
    auto decoded = decodeFrame(text.toUtf8(), Sender::Client);
    if (auto *error = std::get_if<ProtocolError>(&decoded)) {
        send(makeError(*error));
        return;
    }
    const Message &message = std::get<Message>(decoded);
    if (message.type == MessageType::Hello) {
        if (isAuthenticated())
            sendError(ErrorCode::InvalidState, QStringLiteral("already authenticated"),
                      message.requestId());
        else if (m_handler)
            m_handler->helloReceived(this, message);
        return;
    }
    if (!isAuthenticated()) {
        sendError(ErrorCode::NotAuthenticated, QStringLiteral("send hello first"),
                  message.requestId());
        return;
    }
    if (m_handler)
        m_handler->messageReceived(this, message);
}

void CallingConnection::onBinary(const QByteArray &data)
{
    // Media has its own rate limit and size cap (MediaRelay); only frames before
    // authentication count against the control message limit.
    if (!isAuthenticated()) {
        if (admit())
            sendError(ErrorCode::NotAuthenticated, QStringLiteral("send hello first"));
        return;
    }
    m_sinceHeard.restart();
    if (!m_closing && m_handler)
        m_handler->mediaReceived(this, data);
}

void CallingConnection::sendMedia(const QByteArray &frame)
{
    if (m_remote) {
        if (!m_closing)
            m_remote->deliverMedia(this, frame);
        return;
    }
    if (!m_closing && mayQueue(frame.size(), true))
        m_socket->sendBinaryMessage(frame);
}

void CallingConnection::onDisconnected()
{
    if (m_closedEmitted)
        return;
    m_closedEmitted = true;
    m_closing = true;
    if (m_handler)
        m_handler->connectionClosed(this);
    deleteLater();
}

} // namespace softphone::server::calling
