#include "PushRole.h"

#include "DeviceConnection.h"
#include "SqlPushStore.h"
#include "crypto/Random.h"
#include "crypto/Vapid.h"
#include "softphone-server/bus/RedisClient.h"
#include "softphone-server/common/HttpJson.h"
#include "softphone-server/common/HttpListener.h"
#include "softphone-server/common/ServerLogging.h"
#include "softphone-server/common/WebSocketListener.h"

#include <QDateTime>

#include <QDir>
#include <QRegularExpression>
#include <QWebSocket>
#include <vector>

namespace softphone::server::push {

namespace {
using Status = HttpResponse::Status;

HttpResponse error(Status status, const QString &code, const QString &message)
{
    return jsonError(status, code, message);
}

// A deferred answer (once the change is committed); the sender may have hung up meanwhile.
using PendingAnswer = HttpResponder;

std::shared_ptr<PendingAnswer> pendingAnswer(HttpResponder &&responder)
{
    return std::make_shared<PendingAnswer>(std::move(responder));
}

void answer(PendingAnswer &pending, const HttpResponse &response)
{
    if (!pending.isConnected()) {
        qCDebug(lcServerPush) << "sender left before its answer" << int(response.statusCode());
        return;
    }
    pending.write(response);
}

HttpResponse storageError()
{
    HttpResponse response = error(Status::ServiceUnavailable, QStringLiteral("storage"),
                                  QStringLiteral("the push could not be stored"));
    response.setHeader("Retry-After", "5");
    return response;
}

// The quota key of a source address: IPv4 as is (also when mapped into IPv6), IPv6
// per /64, the block one subscriber usually gets.
QString addressKey(const QHostAddress &address)
{
    bool v4 = false;
    const quint32 ip4 = address.toIPv4Address(&v4);
    if (v4)
        return QHostAddress(ip4).toString();
    Q_IPV6ADDR ip6 = address.toIPv6Address();
    std::fill(std::begin(ip6.c) + 8, std::end(ip6.c), quint8(0));
    return QHostAddress(ip6).toString() + QStringLiteral("/64");
}

} // namespace

PushRole::PushRole(QObject *parent)
    : Role(parent)
    , m_connections([](DeviceConnection *connection) {
        connection->keepalive(DeviceConnection::monotonicMs());
    })
{}

PushRole::~PushRole()
{
    // Connections reference the store and the writer; they go first.
    m_connections.stop();
    m_connections.clear();
    m_devices.clear();
    qDeleteAll(findChildren<DeviceConnection *>(Qt::FindDirectChildrenOnly));
    // Commits what is still queued; the outcomes, posted to this object, are dropped.
    m_writer.reset();
}

bool PushRole::start(ServerContext &context, QString *errorText)
{
    const ServerOptions &options = context.options;
    // Test and operator knobs without a flag of their own: --set push.<key>=<seconds|count>.
    m_limits.pingInterval =
        options.milliseconds(QStringLiteral("push.ping_interval"), m_limits.pingInterval);
    m_limits.pongTimeout =
        options.milliseconds(QStringLiteral("push.pong_timeout"), m_limits.pongTimeout);
    m_limits.devicePingMin =
        options.milliseconds(QStringLiteral("push.device_ping_min"), m_limits.devicePingMin);
    m_limits.helloTimeout =
        options.milliseconds(QStringLiteral("push.hello_timeout"), m_limits.helloTimeout);
    m_limits.backlogCap = options.count(QStringLiteral("push.backlog_cap"), m_limits.backlogCap);
    bool ok = false;
    const double rate = options.settings.value(QStringLiteral("push.sender_rate")).toDouble(&ok);
    if (ok && rate > 0)
        m_limits.senderRatePerSecond = rate;
    const double burst = options.settings.value(QStringLiteral("push.sender_burst")).toDouble(&ok);
    if (ok && burst >= 1)
        m_limits.senderBurst = burst;
    const int newDevices =
        options.settings.value(QStringLiteral("push.new_uaids_per_address")).toInt(&ok);
    if (ok && newDevices >= 0)
        m_limits.newDevicesPerAddress = newDevices;
    m_limits.newDeviceWindow = std::chrono::seconds(options.count(
        QStringLiteral("push.new_uaid_window"), int(m_limits.newDeviceWindow.count())));
    m_newDevices.setLimit(m_limits.newDevicesPerAddress, m_limits.newDeviceWindow);
    m_limits.maxSubscriptionsPerDevice =
        options.count(QStringLiteral("push.max_subscriptions"), m_limits.maxSubscriptionsPerDevice);

    const auto where = SqlDatabase::forStore(options, QStringLiteral("push"), errorText);
    if (!where)
        return false;
    auto store = std::make_unique<SqlPushStore>();
    if (!store->open(*where, errorText))
        return false;
    m_store = std::move(store);
    auto writer = std::make_unique<PushWriter>(this);
    if (!writer->start(*where, errorText))
        return false;
    m_writer = std::move(writer);

    m_wsUrl = context.ws.url(QStringLiteral("/v1/push"));
    m_httpBase = context.http.url(QStringLiteral("/wpush"));
    m_audience = context.http.url(QString())
                     .adjusted(QUrl::RemovePath | QUrl::StripTrailingSlash)
                     .toString(QUrl::FullyEncoded);

    m_endpointUrl = [this](const QString &token) {
        return QUrl(m_httpBase.toString() + u'/' + token);
    };
    context.ws.addRoute(QStringLiteral("/v1/push"), {QStringLiteral("push-notification")},
                        [this](QWebSocket *socket, const SendQueueLimits &sendQueue) {
                            auto *connection =
                                new DeviceConnection(socket, sendQueue, *this, *m_store, *m_writer,
                                                     m_pending, m_limits, m_endpointUrl, this);
                            m_connections.insert(connection);
                        });

    HttpServer &http = context.http.http();
    using Method = HttpRequest::Method;
    // Handlers with a responder answer later, once the change is committed.
    http.route(QStringLiteral("/wpush/m/<arg>"), Method::Delete,
               [this](const QString &version, HttpResponder &&responder) {
                   remove(version, std::move(responder));
               });
    http.route(QStringLiteral("/wpush/<arg>"), Method::Post,
               [this](const QString &token, const HttpRequest &request, HttpResponder &&responder) {
                   post(token, request, std::move(responder));
               })
        .maxBody = m_limits.maxBody; // more is refused (413) from Content-Length

    if (context.bus) {
        // --bus: messages stored by other nodes for devices here are announced on
        // one channel every push role listens to (docs/operations.md).
        m_bus = context.bus;
        m_node = options.nodeId.toUtf8();
        connect(m_bus, &bus::RedisClient::message, this, &PushRole::onBusMessage);
        connect(m_bus, &bus::RedisClient::up, this, &PushRole::busReturned);
        m_bus->subscribe(storedChannel());
        m_bus->subscribe(directChannel());
        m_clusterNewDevices = std::make_unique<bus::SharedWindowLimiter>(
            *m_bus, QStringLiteral("newdevice"), m_limits.newDevicesPerAddress,
            m_limits.newDeviceWindow, options.nodeId);
    }

    m_purgeTimer.setInterval(std::chrono::seconds(60));
    connect(&m_purgeTimer, &QTimer::timeout, this, [this] {
        m_writer->purgeExpired(
            QDateTime::currentMSecsSinceEpoch(), [](const PushWriter::Outcome &outcome) {
                if (outcome.count > 0)
                    qCInfo(lcServerPush) << outcome.count << "expired messages dropped";
            });
    });
    m_purgeTimer.start();

    m_connections.start(); // keepalive, about once a second each (SlicedSweep)
    return true;
}

QJsonObject PushRole::urls() const
{
    return {{QStringLiteral("push_ws"), m_wsUrl.toString()},
            {QStringLiteral("push_http"), m_httpBase.toString()}};
}

void PushRole::deviceIdentified(DeviceConnection *connection)
{
    DeviceConnection *previous = m_devices.value(connection->uaid());
    m_devices.insert(connection->uaid(), connection);
    if (previous && previous != connection)
        previous->replace();
}

void PushRole::deviceClosed(DeviceConnection *connection)
{
    m_connections.remove(connection);
    const auto it = m_devices.constFind(connection->uaid());
    if (it != m_devices.constEnd() && it.value() == connection)
        m_devices.erase(it);
    connection->deleteLater();
}

void PushRole::admitNewDevice(const QHostAddress &peer, QObject *context,
                              std::function<void(int waitSeconds)> verdict)
{
    const QString key = addressKey(peer);
    auto refused = [this, key](int wait) {
        qCInfo(lcServerPush) << "new device refused: quota of" << m_limits.newDevicesPerAddress
                             << "per" << m_limits.newDeviceWindow.count() << "s reached for" << key;
        return wait;
    };
    if (!m_newDevices.tryAdd(key))
        return verdict(refused(m_newDevices.retryAfterSeconds(key)));
    if (!m_clusterNewDevices)
        return verdict(0);
    // Counted on every node too; Redis not answering admits it (this node's count holds).
    m_clusterNewDevices->tryAdd(
        key, context,
        [verdict = std::move(verdict), refused](bool admitted, int retryAfter, auto &) {
            verdict(admitted ? 0 : refused(retryAfter));
        });
}

bool PushRole::allowSender(const QString &key)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto it = m_buckets.find(key);
    if (it == m_buckets.end()) {
        if (m_buckets.size() > 100000)
            m_buckets.clear(); // bounded memory; a full bucket for everyone is the safe side
        it = m_buckets.insert(key, Bucket{m_limits.senderBurst, now});
    }
    it->tokens =
        std::min(m_limits.senderBurst,
                 it->tokens + double(now - it->lastMs) * m_limits.senderRatePerSecond / 1000);
    it->lastMs = now;
    if (it->tokens < 1)
        return false;
    it->tokens -= 1;
    return true;
}

std::optional<HttpResponse> PushRole::refusal(const QString &token, const HttpRequest &request,
                                              PushStore::Message *message, int *ttlUsed)
{
    QString storeError;
    const auto sub = m_store->subscriptionByToken(token, &storeError);
    if (!storeError.isEmpty()) {
        qCWarning(lcServerPush) << "cannot read the subscription:" << storeError;
        return storageError();
    }
    if (!sub)
        return error(Status::NotFound, QStringLiteral("not_found"),
                     QStringLiteral("no such push subscription"));
    if (sub->gone)
        return error(Status::Gone, QStringLiteral("gone"),
                     QStringLiteral("the subscription was unregistered"));

    const QByteArray body = request.body();
    if (body.size() > m_limits.maxBody)
        return error(Status::PayloadTooLarge, QStringLiteral("too_large"),
                     QStringLiteral("the body is %1 bytes; at most %2 are accepted")
                         .arg(body.size())
                         .arg(m_limits.maxBody));
    if (body.isEmpty())
        return error(Status::BadRequest, QStringLiteral("bad_request"),
                     QStringLiteral("the body is empty"));
    if (request.value("Content-Encoding").trimmed().toLower() != "aes128gcm")
        return error(Status::BadRequest, QStringLiteral("bad_encoding"),
                     QStringLiteral("Content-Encoding must be aes128gcm (RFC 8291)"));
    const QByteArray ttlText = request.value("TTL").trimmed();
    bool ttlOk = false;
    const qint64 ttlAsked = ttlText.toLongLong(&ttlOk);
    if (ttlText.isEmpty() || !ttlOk || ttlAsked < 0)
        return error(Status::BadRequest, QStringLiteral("bad_ttl"),
                     QStringLiteral("a TTL header with a non-negative number of seconds is "
                                    "required"));
    const int ttl = int(std::min<qint64>(ttlAsked, m_limits.maxTtlSeconds));
    const QString urgency = QString::fromLatin1(request.value("Urgency").trimmed().toLower());
    static const QStringList urgencies{QStringLiteral("very-low"), QStringLiteral("low"),
                                       QStringLiteral("normal"), QStringLiteral("high")};
    if (!urgency.isEmpty() && !urgencies.contains(urgency))
        return error(Status::BadRequest, QStringLiteral("bad_urgency"),
                     QStringLiteral("Urgency must be very-low, low, normal or high"));
    const QString topic = QString::fromLatin1(request.value("Topic").trimmed());
    static const QRegularExpression topicRe(QStringLiteral("^[A-Za-z0-9_-]{1,32}$"));
    if (!topic.isEmpty() && !topicRe.match(topic).hasMatch())
        return error(Status::BadRequest, QStringLiteral("bad_topic"),
                     QStringLiteral("Topic must be 1-32 base64url characters"));

    const QString authorization = QString::fromLatin1(request.value("Authorization"));
    if (!sub->vapidKey.isEmpty() || !authorization.isEmpty()) {
        const auto check =
            crypto::verifyVapidAuthorization(authorization, m_audience, sub->vapidKey);
        if (check.error == crypto::VapidError::WrongKey)
            return error(Status::Forbidden, QStringLiteral("wrong_key"),
                         QStringLiteral("the VAPID key is not the one this subscription was "
                                        "created with"));
        if (!check.ok())
            return error(Status::Unauthorized, QStringLiteral("bad_vapid"),
                         crypto::vapidErrorText(check.error));
    }
    // Keyed by where the push comes from, never by a VAPID key: anyone can make new
    // keys, so rotating them must not buy a fresh bucket.
    if (!allowSender(addressKey(request.remoteAddress()) + u'/' + token)) {
        HttpResponse response =
            error(Status::TooManyRequests, QStringLiteral("rate_limited"),
                  QStringLiteral("too many pushes from this address to this subscription"));
        response.setHeader("Retry-After", "1");
        return response;
    }

    message->version = crypto::randomToken(16);
    message->uaid = sub->uaid;
    message->channelId = sub->channelId;
    message->data = body;
    message->topic = topic;
    message->urgency = urgency;
    message->expiresMs = QDateTime::currentMSecsSinceEpoch() + qint64(ttl) * 1000;
    *ttlUsed = ttl;
    return std::nullopt;
}

void PushRole::post(const QString &token, const HttpRequest &request, HttpResponder &&responder)
{
    PushStore::Message message;
    int ttl = 0;
    if (const auto refused = refusal(token, request, &message, &ttl))
        return responder.write(*refused);

    const QByteArray location =
        (m_httpBase.toString() + QStringLiteral("/m/") + message.version).toLatin1();
    auto created = [location, ttl] {
        HttpResponse response(Status::Created);
        response.setHeader("Location", location);
        response.setHeader("TTL", QByteArray::number(ttl));
        return response;
    };
    DeviceConnection *device = m_devices.value(message.uaid);
    if (ttl == 0) {
        // RFC 8030 §5.2: now or never. Not connected: accepted (201) and dropped.
        // Connected to another node, or to none: that node sends it on (--bus).
        if (device && device->sendDirect(message))
            return responder.write(created());
        if (m_bus && m_bus->isUp())
            publishDirect(message);
        else
            qCInfo(lcServerPush) << "TTL 0 push for offline device" << message.uaid << "dropped";
        return responder.write(created());
    }
    if (m_writer->queued() > size_t(m_limits.maxQueuedChanges)) {
        qCWarning(lcServerPush) << "push.db is" << m_writer->queued()
                                << "changes behind: refusing pushes";
        return responder.write(storageError());
    }
    // Handed to a connected device at once while the writer stores it; the 201 waits
    // for the commit (the push is then safe whatever happens to the device or to this
    // process). The store numbers it: one sequence for every node on the database.
    if (device)
        device->offer(message);
    m_writer->storeMessage(
        message, m_limits.backlogCap,
        [this, pending = pendingAnswer(std::move(responder)), uaid = message.uaid,
         version = message.version, created](const PushWriter::Outcome &outcome) {
            if (!outcome.ok) {
                qCWarning(lcServerPush) << "cannot store push:" << outcome.error;
                answer(*pending, storageError());
                return;
            }
            if (outcome.count > 0)
                qCWarning(lcServerPush) << "device" << uaid << "backlog over" << m_limits.backlogCap
                                        << "- dropped the" << outcome.count << "oldest";
            answer(*pending, created());
            messageStored(uaid, version);
        });
}

void PushRole::messageStored(const QString &uaid, const QString &version)
{
    if (DeviceConnection *current = m_devices.value(uaid)) {
        current->stored(version);
        return;
    }
    // Committed first, announced second: the node holding the device's socket
    // reads it from the shared store.
    if (m_bus && m_bus->isUp())
        m_bus->command({"PUBLISH", storedChannel(),
                        m_node + '\n' + uaid.toLatin1() + '\n' + version.toLatin1()});
}

QByteArray PushRole::storedChannel()
{
    return QByteArrayLiteral("softphone:push:stored");
}

QByteArray PushRole::directChannel()
{
    return QByteArrayLiteral("softphone:push:direct");
}

void PushRole::publishDirect(const PushStore::Message &message)
{
    // Every push role listens; the one holding the device sends it, the others
    // drop it. At most maxBody bytes of body, once per TTL 0 push.
    m_bus->command({"PUBLISH", directChannel(),
                    m_node + '\n' + message.uaid.toLatin1() + '\n' + message.version.toLatin1() +
                        '\n' + message.channelId.toLatin1() + '\n' + message.data});
}

void PushRole::onDirectNotice(const QByteArray &payload)
{
    // "<node>\n<uaid>\n<version>\n<channel id>\n<body>": ids without newlines, the
    // body as it came (binary).
    qsizetype at = 0;
    QList<QByteArray> ids;
    for (int i = 0; i < 4; ++i) {
        const qsizetype end = payload.indexOf('\n', at);
        if (end < 0) {
            qCWarning(lcServerBus)
                << "dropped a malformed TTL 0 push of" << payload.size() << "bytes";
            return;
        }
        ids.append(payload.mid(at, end - at));
        at = end + 1;
    }
    if (ids[0] == m_node)
        return;
    DeviceConnection *device = m_devices.value(QString::fromLatin1(ids[1]));
    if (!device)
        return; // not here (or nowhere: then it is dropped, as TTL 0 says)
    PushStore::Message message;
    message.uaid = QString::fromLatin1(ids[1]);
    message.version = QString::fromLatin1(ids[2]);
    message.channelId = QString::fromLatin1(ids[3]);
    message.data = payload.mid(at);
    message.expiresMs = QDateTime::currentMSecsSinceEpoch();
    if (!device->sendDirect(message))
        qCInfo(lcServerPush) << "TTL 0 push for busy device" << message.uaid << "dropped";
}

void PushRole::onBusMessage(const QByteArray &channel, const QByteArray &payload)
{
    if (channel == directChannel())
        return onDirectNotice(payload);
    if (channel != storedChannel())
        return;
    const QList<QByteArray> parts = payload.split('\n');
    if (parts.size() != 3) {
        qCWarning(lcServerBus) << "dropped a malformed push notice of" << payload.size() << "bytes";
        return;
    }
    if (parts[0] == m_node)
        return;
    if (DeviceConnection *device = m_devices.value(QString::fromLatin1(parts[1])))
        device->stored(QString::fromLatin1(parts[2]));
}

void PushRole::busReturned()
{
    // Notices sent while Redis was away are lost: every device here reads the
    // store again, spread over the next second by the keepalive sweep.
    for (DeviceConnection *device : std::as_const(m_devices))
        device->recheckSoon();
}

void PushRole::remove(const QString &version, HttpResponder &&responder)
{
    m_writer->deleteMessageByVersion(version, [pending = pendingAnswer(std::move(responder))](
                                                  const PushWriter::Outcome &outcome) {
        if (!outcome.ok)
            answer(*pending, storageError());
        else if (outcome.count > 0)
            answer(*pending, HttpResponse(Status::NoContent));
        else
            answer(*pending, error(Status::NotFound, QStringLiteral("not_found"),
                                   QStringLiteral("no undelivered message with this id")));
    });
}

} // namespace softphone::server::push
