#include "DeviceConnection.h"

#include "softphone-server/common/AddressGate.h"

#include <QTimer>

#include "crypto/Base64Url.h"
#include "crypto/EcKey.h"
#include "crypto/Random.h"
#include "softphone-server/common/ServerLogging.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QRegularExpression>
#include <QWebSocket>

#include <chrono>

namespace softphone::server::push {

namespace {
bool isUaid(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^[0-9a-f]{32}$"));
    return re.match(text).hasMatch();
}

bool isChannelId(const QString &text)
{
    static const QRegularExpression re(
        QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
    return re.match(text).hasMatch();
}
} // namespace

DeviceConnection::DeviceConnection(QWebSocket *socket, const SendQueueLimits &sendQueue,
                                   Handler &handler, PushStore &store, PushWriter &writer,
                                   PendingWrites &pending, const PushLimits &limits,
                                   const EndpointUrl &endpointUrl, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_store(store)
    , m_writer(writer)
    , m_pending(pending)
    , m_handler(handler)
    , m_limits(limits)
    , m_endpointUrl(endpointUrl)
{
    socket->setParent(this);
    m_sendQueue = sendQueue;
    // The socket itself is the context of these connections: it is our child, so
    // it never outlives us, and we need no connection bookkeeping of our own
    // (memory for nothing at 20k idle devices). The destructor cuts them.
    connect(socket, &QWebSocket::textMessageReceived, socket, [this](const QString &text) {
        m_pingOutstandingSinceMs = 0;
        onText(text);
    });
    connect(socket, &QWebSocket::binaryMessageReceived, socket, [this] {
        closeWith(QWebSocketProtocol::CloseCodeDatatypeNotSupported,
                  QStringLiteral("only JSON text frames"));
    });
    connect(socket, &QWebSocket::pong, socket, [this] { m_pingOutstandingSinceMs = 0; });
    connect(socket, &QWebSocket::disconnected, socket, [this] { m_handler.deviceClosed(this); });
    m_connectedAtMs = monotonicMs();
    m_lastPingMs = m_connectedAtMs;
}

qint64 DeviceConnection::monotonicMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

void DeviceConnection::keepalive(qint64 nowMs)
{
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    if (m_uaid.isEmpty() && nowMs - m_connectedAtMs > m_limits.helloTimeout.count()) {
        m_connectedAtMs = nowMs; // close once
        closeWith(4408, QStringLiteral("no hello in time"));
        return;
    }
    if (m_pingOutstandingSinceMs != 0 &&
        nowMs - m_pingOutstandingSinceMs > m_limits.pongTimeout.count()) {
        qCInfo(lcServerPush) << "device" << m_uaid << "did not answer a ping: dropping it";
        m_socket->abort();
        return;
    }
    if (nowMs - m_lastPingMs >= m_limits.pingInterval.count()) {
        m_lastPingMs = nowMs;
        m_socket->ping();
        if (m_pingOutstandingSinceMs == 0)
            m_pingOutstandingSinceMs = nowMs;
    }
    // Still behind (a window that was full, a failed read, a recheckSoon()): read again.
    pump();
}

DeviceConnection::~DeviceConnection()
{
    // Our lambdas die with us; the socket (a child) goes a moment later.
    m_socket->disconnect();
}

void DeviceConnection::send(const QJsonObject &msg)
{
    if (!m_socket || m_sendQueueFull)
        return;
    const QString text = QString::fromUtf8(QJsonDocument(msg).toJson(QJsonDocument::Compact));
    if (m_sendQueue.check(*m_socket, text.size(), false) == SendQueueLimits::Verdict::Close) {
        // The device does not read: close (the frame waits behind what is queued) and
        // drop the socket if the device still does not take it. Unacked stored
        // messages stay in push.db for its next connection.
        m_sendQueueFull = true;
        closeWith(kCloseSendQueueFull, QStringLiteral("send queue full: the device does not read"));
        QTimer::singleShot(kSendQueueGraceMs, m_socket, [socket = m_socket] { socket->abort(); });
        return;
    }
    m_socket->sendTextMessage(text);
}

void DeviceConnection::closeWith(int code, const QString &reason)
{
    qCInfo(lcServerPush) << "closing device connection" << m_uaid << code << reason;
    if (m_socket)
        m_socket->close(QWebSocketProtocol::CloseCode(code), reason);
}

void DeviceConnection::replace()
{
    closeWith(kCloseReplaced, QStringLiteral("replaced by a new connection"));
}

void DeviceConnection::onText(const QString &text)
{
    if (m_busy) {
        if (m_held.size() >= kMaxHeldFrames)
            return closeWith(QWebSocketProtocol::CloseCodePolicyViolated,
                             QStringLiteral("too many messages before an answer"));
        m_held.append(text);
        return;
    }
    handle(text);
}

void DeviceConnection::resume()
{
    m_busy = false;
    while (!m_busy && !m_held.isEmpty() && m_socket)
        handle(m_held.takeFirst());
}

void DeviceConnection::handle(const QString &text)
{
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8());
    if (!doc.isObject())
        return closeWith(QWebSocketProtocol::CloseCodeProtocolError,
                         QStringLiteral("a message must be a JSON object"));
    const QJsonObject msg = doc.object();
    const QString type = msg.value(u"messageType").toString();
    if (m_uaid.isEmpty() && type != u"hello")
        return closeWith(QWebSocketProtocol::CloseCodePolicyViolated,
                         QStringLiteral("hello must come first"));
    if (type == u"hello")
        onHello(msg);
    else if (type == u"register")
        onRegister(msg);
    else if (type == u"unregister")
        onUnregister(msg);
    else if (type == u"ack")
        onAck(msg);
    else if (type == u"nack")
        onNack(msg);
    else if (type == u"ping")
        onPing();
    else
        closeWith(QWebSocketProtocol::CloseCodePolicyViolated,
                  QStringLiteral("unknown messageType '%1'").arg(type.left(64)));
}

void DeviceConnection::onHello(const QJsonObject &msg)
{
    if (!m_uaid.isEmpty())
        return closeWith(QWebSocketProtocol::CloseCodePolicyViolated,
                         QStringLiteral("hello was already sent"));
    const QString asked = msg.value(u"uaid").toString();
    QString storeError;
    if (isUaid(asked) && m_store.deviceExists(asked, &storeError)) {
        m_uaid = asked;
        return welcome();
    }
    // The store cannot tell (its database is down): never hand out a fresh uaid for
    // a device that may well exist; it comes back later.
    if (!storeError.isEmpty()) {
        qCWarning(lcServerPush) << "hello refused:" << storeError;
        return closeWith(kCloseUnavailable,
                         QStringLiteral("the push store is unavailable; try again later"));
    }
    // Unknown or absent: a fresh uaid; the device must redo its subscriptions. It is
    // answered once stored, so the device never holds a uaid the service forgot.
    // Anonymous, so bounded per source address: past the quota the device is told to
    // back off (PushChannel then waits at least 5 minutes).
    // Busy until answered: frames that come meanwhile wait.
    m_busy = true;
    m_handler.admitNewDevice(m_socket->peerAddress(), this, [this](int wait) {
        if (wait > 0)
            return closeWith(
                kCloseBackOff,
                QStringLiteral("too many new devices from this address; back off %1 s").arg(wait));
        addNewDevice();
    });
}

void DeviceConnection::addNewDevice()
{
    const QString uaid = QString::fromLatin1(crypto::randomBytes(16).toHex());
    m_writer.addDevice(uaid, [self = QPointer(this), uaid](const PushWriter::Outcome &outcome) {
        if (!self)
            return;
        if (!outcome.ok) {
            qCWarning(lcServerPush) << "cannot store device:" << outcome.error;
            self->send(QJsonObject{{QStringLiteral("messageType"), QStringLiteral("hello")},
                                   {QStringLiteral("status"), 500}});
            return self->closeWith(QWebSocketProtocol::CloseCodeAbnormalDisconnection,
                                   QStringLiteral("storage error"));
        }
        self->m_uaid = uaid;
        self->welcome();
        self->resume();
    });
}

void DeviceConnection::welcome()
{
    PendingSlot::authenticated(m_socket); // no longer counts as half-open for its address
    send(QJsonObject{{QStringLiteral("messageType"), QStringLiteral("hello")},
                     {QStringLiteral("uaid"), m_uaid},
                     {QStringLiteral("status"), 200},
                     {QStringLiteral("use_webpush"), true},
                     {QStringLiteral("broadcasts"), QJsonObject()}});
    m_handler.deviceIdentified(this);
    pump();
}

void DeviceConnection::replyRegister(const QString &channelId, int status, const QJsonObject &extra)
{
    QJsonObject r{{QStringLiteral("messageType"), QStringLiteral("register")},
                  {QStringLiteral("channelID"), channelId},
                  {QStringLiteral("status"), status}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        r.insert(it.key(), it.value());
    send(r);
}

void DeviceConnection::onRegister(const QJsonObject &msg)
{
    const QString channelId = msg.value(u"channelID").toString();
    if (!isChannelId(channelId))
        return replyRegister(channelId, 400,
                             {{QStringLiteral("error"),
                               QStringLiteral("channelID must be a lowercase UUID version 4")}});
    QByteArray key;
    if (msg.contains(u"key")) {
        const auto raw = fromBase64Url(msg.value(u"key").toString().toLatin1());
        if (!raw || raw->size() != 65 || !crypto::EcKey::fromPublicRaw(*raw))
            return replyRegister(channelId, 400,
                                 {{QStringLiteral("error"),
                                   QStringLiteral("key must be a base64url P-256 public key")}});
        key = *raw;
    }
    QString storeError;
    const auto existing = m_store.subscriptionByChannel(m_uaid, channelId, &storeError);
    if (!storeError.isEmpty()) {
        qCWarning(lcServerPush) << "register refused:" << storeError;
        return replyRegister(
            channelId, 503,
            {{QStringLiteral("error"), QStringLiteral("the push store is unavailable; retry")}});
    }
    if (existing) {
        if (existing->vapidKey != key)
            return replyRegister(channelId, 409,
                                 {{QStringLiteral("error"),
                                   QStringLiteral("channelID is registered with another key")}});
        return replyRegister(channelId, 200,
                             {{QStringLiteral("pushEndpoint"),
                               m_endpointUrl(existing->token).toString(QUrl::FullyEncoded)}});
    }
    PushStore::Subscription sub;
    sub.token = crypto::randomToken(24); // 192 bits: the endpoint is the only credential
    sub.uaid = m_uaid;
    sub.channelId = channelId;
    sub.vapidKey = key;
    // The endpoint is handed out once stored: a sender can never get a 404 for it.
    m_busy = true;
    const int cap = m_limits.maxSubscriptionsPerDevice;
    m_writer.addSubscription(
        sub, cap, [self = QPointer(this), sub, cap](const PushWriter::Outcome &outcome) {
            if (!self)
                return;
            if (outcome.ok && outcome.count == 0) {
                self->replyRegister(
                    sub.channelId, 403,
                    {{QStringLiteral("error"),
                      QStringLiteral("this device has %1 subscriptions, the most allowed; "
                                     "unregister one first")
                          .arg(cap)}});
            } else if (outcome.ok) {
                self->replyRegister(
                    sub.channelId, 200,
                    {{QStringLiteral("pushEndpoint"),
                      self->m_endpointUrl(sub.token).toString(QUrl::FullyEncoded)}});
            } else {
                qCWarning(lcServerPush) << "cannot store subscription:" << outcome.error;
                self->replyRegister(sub.channelId, 500);
            }
            self->resume();
        });
}

void DeviceConnection::onUnregister(const QJsonObject &msg)
{
    const QString channelId = msg.value(u"channelID").toString();
    auto reply = [this, channelId](int status) {
        send(QJsonObject{{QStringLiteral("messageType"), QStringLiteral("unregister")},
                         {QStringLiteral("channelID"), channelId},
                         {QStringLiteral("status"), status}});
    };
    if (!isChannelId(channelId))
        return reply(400);
    m_busy = true;
    m_writer.markGone(m_uaid, channelId, m_limits.maxSubscriptionsPerDevice,
                      [self = QPointer(this), reply](const PushWriter::Outcome &outcome) {
                          if (!self)
                              return;
                          if (!outcome.ok)
                              qCWarning(lcServerPush) << "cannot unregister:" << outcome.error;
                          reply(outcome.ok ? 200 : 500);
                          self->resume();
                      });
}

void DeviceConnection::onAck(const QJsonObject &msg)
{
    const QJsonArray updates = msg.value(u"updates").toArray();
    for (const QJsonValue &value : updates)
        acknowledged(value.toObject().value(u"version").toString());
    pump();
}

void DeviceConnection::onNack(const QJsonObject &msg)
{
    // The device could not or would not take it: redelivering would only loop.
    acknowledged(msg.value(u"version").toString());
    pump();
}

void DeviceConnection::acknowledged(const QString &version)
{
    if (version.isEmpty())
        return;
    if (m_inFlightDirect.remove(version))
        return;
    // Any code (100 delivered, 101 undecryptable, 102 not delivered) ends our duty.
    m_inFlight.remove(version);
    // Until the delete commits, a reconnect reading push.db must skip this message.
    m_pending.ackQueued(m_uaid, version);
    m_writer.deleteMessage(
        m_uaid, version,
        [pending = &m_pending, uaid = m_uaid, version](const PushWriter::Outcome &) {
            pending->ackSettled(uaid, version);
        });
}

void DeviceConnection::onPing()
{
    if (m_sinceDevicePing.isValid() && m_sinceDevicePing.elapsed() < m_limits.devicePingMin.count())
        return closeWith(kCloseBackOff, QStringLiteral("back off: ping at most every %1 s")
                                            .arg(m_limits.devicePingMin.count() / 1000));
    m_sinceDevicePing.start();
    send(QJsonObject{{QStringLiteral("messageType"), QStringLiteral("ping")}});
}

void DeviceConnection::pump()
{
    if (m_uaid.isEmpty() || !m_socket || !m_behind)
        return;
    int room = m_limits.batchSize - int(m_inFlight.size());
    if (room <= 0)
        return;
    // The oldest messages; those in flight and those acked (delete not committed)
    // are among them and read past.
    const int limit = m_limits.batchSize + m_pending.ackCount(m_uaid);
    QString storeError;
    const auto messages =
        m_store.pendingMessages(m_uaid, limit, QDateTime::currentMSecsSinceEpoch(), &storeError);
    if (!storeError.isEmpty())
        return; // still behind: the keepalive, a committed push or a reconnect reads again
    for (const auto &message : messages) {
        if (m_inFlight.contains(message.version) || m_pending.isAcked(m_uaid, message.version))
            continue;
        if (room == 0)
            return; // the window is full: the next ack pumps again
        m_inFlight.insert(message.version);
        sendNotification(message);
        --room;
    }
    // Fewer than asked for: every stored message has been seen. Unsaved pushes
    // come by offer() or, once committed, by stored().
    if (messages.size() < limit)
        m_behind = false;
}

void DeviceConnection::stored(const QString &version)
{
    if (m_inFlight.contains(version) || m_pending.isAcked(m_uaid, version))
        return; // offered before its commit
    m_behind = true;
    pump();
}

bool DeviceConnection::offer(const PushStore::Message &message)
{
    if (m_uaid.isEmpty() || !m_socket || m_behind || int(m_inFlight.size()) >= m_limits.batchSize) {
        m_behind = true;
        return false;
    }
    m_inFlight.insert(message.version);
    sendNotification(message);
    return true;
}

bool DeviceConnection::sendDirect(const PushStore::Message &message)
{
    if (m_uaid.isEmpty() || !m_socket || m_sendQueueFull ||
        m_socket->state() != QAbstractSocket::ConnectedState)
        return false;
    m_inFlightDirect.insert(message.version);
    sendNotification(message);
    return true;
}

void DeviceConnection::sendNotification(const PushStore::Message &message)
{
    send(QJsonObject{
        {QStringLiteral("messageType"), QStringLiteral("notification")},
        {QStringLiteral("channelID"), message.channelId},
        {QStringLiteral("version"), message.version},
        {QStringLiteral("data"), QString::fromLatin1(toBase64Url(message.data))},
        {QStringLiteral("headers"),
         QJsonObject{{QStringLiteral("encoding"), QStringLiteral("aes128gcm")}}},
    });
}

} // namespace softphone::server::push
