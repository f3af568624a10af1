#include "KeptAliveSocket.h"

#include "NetworkWatch.h"

#include <QNetworkRequest>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

namespace softphone::net {

namespace {
// A closing socket whose peer never answers the close frame is dropped after this.
constexpr std::chrono::milliseconds kCloseGrace{5000};
} // namespace

KeptAliveSocket::KeptAliveSocket(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_backoff(m_options.backoff)
{
    m_silenceTimer.setSingleShot(true);
    m_retryTimer.setSingleShot(true);
    connect(&m_pingTimer, &QTimer::timeout, this, &KeptAliveSocket::ping);
    connect(&m_silenceTimer, &QTimer::timeout, this, &KeptAliveSocket::onSilence);
    connect(&m_retryTimer, &QTimer::timeout, this, &KeptAliveSocket::connectNow);
    setKeepalive(m_options.keepalive);
}

KeptAliveSocket::~KeptAliveSocket()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

void KeptAliveSocket::setKeepalive(Keepalive keepalive)
{
    m_options.keepalive = keepalive;
    m_pingTimer.setInterval(keepalive.ping);
    m_silenceTimer.setInterval(keepalive.silence);
}

void KeptAliveSocket::open(const QUrl &url)
{
    if (m_state != State::Idle && url == m_url)
        return;
    m_url = url;
    connectNow();
}

void KeptAliveSocket::close(QWebSocketProtocol::CloseCode code, const QString &reason)
{
    m_retryTimer.stop();
    m_pingTimer.stop();
    m_silenceTimer.stop();
    m_heldOff = false;
    if (QWebSocket *socket = m_socket) {
        m_socket = nullptr;
        socket->disconnect(this);
        if (socket->state() == QAbstractSocket::ConnectedState) {
            // The close frame leaves; the socket goes when the peer answers it.
            connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
            QTimer::singleShot(kCloseGrace, socket, &QObject::deleteLater);
            socket->close(code, reason);
        } else {
            socket->abort();
            socket->deleteLater();
        }
    }
    setState(State::Idle);
}

void KeptAliveSocket::reconnectNow()
{
    if (m_state == State::Idle)
        return;
    m_backoff.reset();
    m_heldOff = false;
    dropSocket();
    connectNow();
}

void KeptAliveSocket::abort()
{
    if (QWebSocket *socket = m_socket) {
        socket->abort();
        onSocketGone(socket); // no-op if abort() already reported it
    }
}

void KeptAliveSocket::holdOff(std::chrono::milliseconds minimum)
{
    m_holdOff = std::max(m_holdOff, minimum);
}

bool KeptAliveSocket::sendText(const QString &text)
{
    if (!m_socket || !m_socket->isValid())
        return false;
    m_socket->sendTextMessage(text);
    return true;
}

bool KeptAliveSocket::sendBinary(const QByteArray &frame)
{
    if (!m_socket || !m_socket->isValid())
        return false;
    m_socket->sendBinaryMessage(frame);
    return true;
}

void KeptAliveSocket::ping()
{
    if (m_socket && m_socket->isValid())
        m_socket->ping();
}

void KeptAliveSocket::connectNow()
{
    if (m_state == State::Idle && !m_url.isValid())
        return;
    dropSocket();
    m_heldOff = false;
    setState(State::Connecting);
    auto *socket = new QWebSocket(m_options.origin, QWebSocketProtocol::VersionLatest, this);
    // Refused by the WebSocket layer before it reaches memory (close 1009).
    socket->setMaxAllowedIncomingFrameSize(quint64(m_options.maxInboundBytes));
    socket->setMaxAllowedIncomingMessageSize(quint64(m_options.maxInboundBytes));
    m_socket = socket;
    connect(socket, &QWebSocket::connected, this, [this] {
        alive();
        m_pingTimer.start();
        setState(State::Open);
        emit connected();
    });
    connect(socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        alive();
        emit textMessageReceived(text);
    });
    connect(socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &frame) {
        alive();
        emit binaryMessageReceived(frame);
    });
    connect(socket, &QWebSocket::pong, this, [this](quint64 elapsedMs, const QByteArray &) {
        alive();
        m_roundTripMs = double(elapsedMs);
    });
    connect(socket, &QWebSocket::disconnected, this, [this, socket] { onSocketGone(socket); });
    connect(
        socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
        [this, socket](QAbstractSocket::SocketError) {
            emit logMessage(
                QtWarningMsg,
                QStringLiteral("%1 connection: %2").arg(m_options.peerName, socket->errorString()));
            // Some failures (refused, TLS) never reach the connected state and
            // therefore may not emit disconnected; handle both, once.
            if (socket->state() == QAbstractSocket::UnconnectedState)
                onSocketGone(socket);
        });
    connect(socket, &QWebSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        for (const QSslError &error : errors)
            emit logMessage(QtWarningMsg, QStringLiteral("TLS: %1").arg(error.errorString()));
    });

    QWebSocketHandshakeOptions options;
    options.setSubprotocols(m_options.subprotocols);
    m_silenceTimer.start(); // bounds the TCP/TLS/WebSocket handshake as well
    emit logMessage(QtInfoMsg, QStringLiteral("connecting to %1").arg(m_url.toString()));
    socket->open(QNetworkRequest(m_url), options);
}

void KeptAliveSocket::alive()
{
    m_silenceTimer.start();
}

void KeptAliveSocket::onSilence()
{
    if (!m_socket)
        return;
    emit logMessage(QtWarningMsg, QStringLiteral("%1 did not answer for %2 ms; reconnecting")
                                      .arg(m_options.peerName)
                                      .arg(m_options.keepalive.silence.count()));
    abort();
}

void KeptAliveSocket::onSocketGone(QWebSocket *socket)
{
    if (socket != m_socket)
        return;
    const int closeCode = int(socket->closeCode());
    const QString reason =
        socket->closeReason().isEmpty() ? socket->errorString() : socket->closeReason();
    dropSocket();
    m_holdOff = std::chrono::milliseconds(0);
    emit logMessage(QtInfoMsg, QStringLiteral("connection to %1 closed (%2): %3")
                                   .arg(m_options.peerName)
                                   .arg(closeCode)
                                   .arg(reason));
    const QPointer<KeptAliveSocket> guard(this);
    emit disconnected(closeCode, reason);
    if (!guard || m_state == State::Idle || m_socket || m_retryTimer.isActive())
        return; // closed, or dialled again, from a slot
    const std::chrono::milliseconds delay = std::max(m_backoff.next(), m_holdOff);
    m_heldOff = m_holdOff.count() > 0;
    setState(State::Waiting);
    watchNetwork();
    emit logMessage(
        QtInfoMsg,
        QStringLiteral("reconnecting to %1 in %2 ms").arg(m_options.peerName).arg(delay.count()));
    m_retryTimer.start(delay);
}

void KeptAliveSocket::dropSocket()
{
    m_pingTimer.stop();
    m_silenceTimer.stop();
    m_retryTimer.stop();
    if (QWebSocket *socket = m_socket) {
        m_socket = nullptr;
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
}

void KeptAliveSocket::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void KeptAliveSocket::watchNetwork()
{
    if (m_networkWatched)
        return;
    m_networkWatched = true;
    NetworkWatch *watch = NetworkWatch::instance();
    watch->waitForReturn();
    connect(watch, &NetworkWatch::online, this, [this] {
        if (m_state != State::Waiting || m_heldOff)
            return;
        emit logMessage(
            QtInfoMsg,
            QStringLiteral("network is back: reconnecting to %1 now").arg(m_options.peerName));
        m_backoff.reset();
        m_retryTimer.start(0);
    });
}

} // namespace softphone::net
