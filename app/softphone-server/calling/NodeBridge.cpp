#include "NodeBridge.h"

#include "CallRouter.h"
#include "MediaRelay.h"
#include "Presence.h"
#include "protocol/Builders.h"
#include "softphone-server/bus/RedisClient.h"
#include "softphone-server/bus/SharedWindowLimiter.h"
#include "softphone-server/common/ServerLogging.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <memory>

namespace softphone::server::calling {

using namespace protocol;
using Reply = bus::RedisClient::Reply;

namespace {

// Messages of one connection kept while its call's lookup is under way.
constexpr qsizetype kMaxHeldMessages = 64;
// Unused stand-ins go, and the nodes of ongoing calls are checked, this often.
constexpr std::chrono::seconds kSweepInterval{5};

QString standInKey(const QString &user, const QString &device, const QString &node)
{
    return user + u'\n' + device + u'\n' + node;
}

} // namespace

NodeBridge::NodeBridge(bus::RedisClient &redis, DeviceLocations &locations,
                       const Presence &presence, const CallRouter &router, Service service,
                       const QString &node, std::chrono::milliseconds callRecordTtl,
                       QObject *parent)
    : QObject(parent)
    , m_redis(redis)
    , m_locations(locations)
    , m_presence(presence)
    , m_router(router)
    , m_service(std::move(service))
    , m_node(node)
    , m_callRecordTtl(callRecordTtl)
{
    connect(&m_redis, &bus::RedisClient::message, this, &NodeBridge::onBusMessage);
    connect(&m_redis, &bus::RedisClient::up, this, &NodeBridge::rewriteCallRecords);
    m_redis.subscribe(channel(m_node));
    m_sweep.setInterval(kSweepInterval);
    connect(&m_sweep, &QTimer::timeout, this, &NodeBridge::sweepStandIns);
    m_sweep.start();
}

NodeBridge::~NodeBridge()
{
    // The stand-ins are children: they go with the bridge.
}

QByteArray NodeBridge::channel(const QString &node)
{
    return QByteArrayLiteral("softphone:node:") + node.toUtf8();
}

QByteArray NodeBridge::callKey(const QString &callId)
{
    return QByteArrayLiteral("softphone:call:") + callId.toUtf8();
}

bool NodeBridge::intercept(CallingConnection *from, const Message &message)
{
    if (auto held = m_held.find(from); held != m_held.end()) {
        // At most bus.timeout of this connection's (rate-limited) messages; bounded anyway.
        if (held->size() >= kMaxHeldMessages)
            from->sendError(ErrorCode::RateLimited,
                            QStringLiteral("too many messages while a call is being placed; "
                                           "send this one again"),
                            message.requestId());
        else
            held->append(message);
        return true;
    }
    if (message.type == MessageType::Message && from->capabilities().messaging && m_redis.isUp()) {
        routeMessage(from, message);
        return true;
    }
    if (!CallRouter::handles(message.type) || !from->capabilities().calling)
        return false;
    const QString callId = message.string(QLatin1StringView("callId"));
    if (message.type == MessageType::Call) {
        if (message.string(QLatin1StringView("to")) == QLatin1StringView(kEchoUserId))
            return false;
        // Redis down: the call rings this node's devices only (today's single node);
        // its record is written when Redis is back.
        if (!m_redis.isUp()) {
            m_owned.insert(callId, QDateTime::currentMSecsSinceEpoch() + m_callRecordTtl.count());
            return false;
        }
        placeCall(from, message);
        return true;
    }
    if (const QString owner = m_routes.value(from).value(callId); !owner.isEmpty()) {
        publish(owner, 'E', from->user(), from->device(),
                QJsonDocument(message.json).toJson(QJsonDocument::Compact), from,
                [this, from, callId](bool delivered) {
                    if (!delivered)
                        ownerGone(from, callId);
                });
        return true;
    }
    if (message.type == MessageType::Claim && !m_router.knows(callId) && m_redis.isUp()) {
        claimRemote(from, message);
        return true;
    }
    return false;
}

void NodeBridge::placeCall(CallingConnection *from, const Message &message)
{
    m_held.insert(from, {});
    const QString to = message.string(QLatin1StringView("to"));
    const QString callId = message.string(QLatin1StringView("callId"));
    // Counted on every node; Redis not answering admits it (the router's own
    // limit per node still holds).
    auto limited = std::make_shared<int>(0); // seconds to wait, 0: admitted
    if (m_callLimiter)
        m_callLimiter->tryAdd(from->user(), from, [limited](bool admitted, int retryAfter, auto &) {
            *limited = admitted ? 0 : retryAfter;
        });
    auto found = std::make_shared<QList<DeviceLocations::Location>>();
    m_locations.lookup(to, from, [found](const QList<DeviceLocations::Location> &locations, bool) {
        *found = locations;
    });
    // Replies come in order: the claim's comes after the limit's and the lookup's.
    m_redis.command(
        {"SET", callKey(callId), m_node.toUtf8(), "NX", "PX",
         QByteArray::number(qint64(m_callRecordTtl.count()))},
        from, [this, from, message, to, found, limited, callId](const Reply &claimed) {
            if (!m_held.contains(from))
                return; // the connection went meanwhile
            if (*limited > 0) {
                if (claimed.type != Reply::Type::Nil)
                    m_redis.command({"DEL", callKey(callId)});
                from->sendError(ErrorCode::RateLimited,
                                QStringLiteral("too many calls from user '%1' across the "
                                               "service; wait %2 s and call again")
                                    .arg(from->user())
                                    .arg(*limited),
                                message.requestId());
                release(from);
                return;
            }
            if (claimed.type == Reply::Type::Nil) {
                from->sendError(ErrorCode::InvalidState,
                                QStringLiteral("call id '%1' is already used")
                                    .arg(message.string(QLatin1StringView("callId"))),
                                message.requestId());
                release(from);
                return;
            }
            if (claimed.ok())
                m_owned.insert(callId,
                               QDateTime::currentMSecsSinceEpoch() + m_callRecordTtl.count());
            m_placingTo = to;
            m_placing.clear();
            for (const DeviceLocations::Location &location : std::as_const(*found)) {
                if (location.node != m_node)
                    m_placing.append(standIn(to, location.device, location.node, true));
            }
            m_service.route(from, message);
            m_placingTo.clear();
            m_placing.clear();
            release(from);
        });
}

void NodeBridge::claimRemote(CallingConnection *from, const Message &message)
{
    m_held.insert(from, {});
    const QString callId = message.string(QLatin1StringView("callId"));
    m_redis.command({"GET", callKey(callId)}, from,
                    [this, from, message, callId](const Reply &owner) {
                        if (!m_held.contains(from))
                            return;
                        const QString node = QString::fromUtf8(owner.string);
                        if (owner.type == Reply::Type::String && node != m_node) {
                            m_routes[from].insert(callId, node);
                            publish(node, 'E', from->user(), from->device(),
                                    QJsonDocument(message.json).toJson(QJsonDocument::Compact),
                                    from, [this, from, callId](bool delivered) {
                                        if (!delivered)
                                            ownerGone(from, callId);
                                    });
                        } else {
                            m_service.route(from, message); // not found (or ended) here
                        }
                        release(from);
                    });
}

void NodeBridge::routeMessage(CallingConnection *from, const Message &message)
{
    QStringList recipients = message.recipients(); // at most kMaxRecipients
    recipients.removeDuplicates();
    if (recipients.isEmpty())
        return m_service.route(from, message); // refused there
    m_held.insert(from, {});
    auto elsewhere = std::make_shared<QHash<QString, QSet<QString>>>();
    auto left = std::make_shared<qsizetype>(recipients.size());
    // Replies come in order: the last lookup's routes the message. Redis not
    // answering (bus.timeout) finds nobody elsewhere: every registered device
    // not connected here gets a pair, as on one node.
    for (const QString &user : std::as_const(recipients))
        m_locations.lookup(user, from,
                           [this, from, message, user, elsewhere,
                            left](const QList<DeviceLocations::Location> &locations, bool) {
                               // Reached by its own node: connected there and
                               // taking messages (else it gets a pair, as here).
                               for (const DeviceLocations::Location &location : locations)
                                   if (location.node != m_node && location.messaging)
                                       (*elsewhere)[user].insert(location.device);
                               if (--*left > 0 || !m_held.contains(from))
                                   return;
                               m_messageElsewhere = *elsewhere;
                               m_service.route(from, message);
                               m_messageElsewhere.clear();
                               release(from);
                           });
}

void NodeBridge::release(CallingConnection *from)
{
    const QList<Message> queue = m_held.take(from);
    for (const Message &message : queue) {
        if (from->isClosing())
            return;
        if (auto held = m_held.find(from); held != m_held.end())
            held->append(message); // a replayed call holds again
        else
            m_service.received(from, message);
    }
}

void NodeBridge::messageStored(const QString &user)
{
    if (!m_redis.isUp())
        return; // its devices elsewhere get it when they next sign in
    m_locations.lookup(user, this,
                       [this, user](const QList<DeviceLocations::Location> &locations, bool) {
                           QSet<QString> nodes;
                           for (const DeviceLocations::Location &location : locations)
                               if (location.node != m_node && location.messaging)
                                   nodes.insert(location.node);
                           for (const QString &node : std::as_const(nodes))
                               publish(node, 'N', user, {}, {});
                       });
}

QList<CallingConnection *> NodeBridge::remoteDevices(const QString &user) const
{
    return user == m_placingTo ? m_placing : QList<CallingConnection *>{};
}

CallingConnection *NodeBridge::standIn(const QString &user, const QString &device,
                                       const QString &node, bool create)
{
    const QString key = standInKey(user, device, node);
    if (CallingConnection *existing = m_standIns.value(key); existing || !create)
        return existing;
    auto *created = new CallingConnection(this, user, device, node, this);
    m_standIns.insert(key, created);
    return created;
}

void NodeBridge::dropStandIn(CallingConnection *standIn)
{
    m_standIns.remove(standInKey(standIn->user(), standIn->device(), standIn->node()));
    standIn->close(0, {}); // sends nothing more
    m_service.lost(standIn);
    standIn->deleteLater();
}

void NodeBridge::sweepStandIns()
{
    QSet<QString> nodes; // the other nodes this node's calls depend on
    const QList<CallingConnection *> all = m_standIns.values();
    for (CallingConnection *standIn : all) {
        if (!m_router.hasCalls(standIn)) {
            m_standIns.remove(standInKey(standIn->user(), standIn->device(), standIn->node()));
            standIn->deleteLater();
        } else {
            nodes.insert(standIn->node());
        }
    }
    for (auto it = m_owned.begin(); it != m_owned.end();)
        it = m_router.knows(it.key()) ? std::next(it) : m_owned.erase(it);
    for (const QHash<QString, QString> &routes : std::as_const(m_routes))
        for (const QString &owner : routes)
            nodes.insert(owner);
    if (!m_redis.isUp())
        return;
    // A node that died has no subscriber on its channel: its part of each call ends.
    for (const QString &node : std::as_const(nodes)) {
        m_redis.command({"PUBSUB", "NUMSUB", channel(node)}, this, [this, node](const Reply &r) {
            if (r.type == Reply::Type::Array && r.elements.size() == 2 &&
                r.elements[1].type == Reply::Type::Integer && r.elements[1].integer == 0)
                nodeGone(node);
        });
    }
}

void NodeBridge::rewriteCallRecords()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (auto it = m_owned.begin(); it != m_owned.end();) {
        if (it.value() <= now || !m_router.knows(it.key())) {
            it = m_owned.erase(it);
            continue;
        }
        // NX: a record another node wrote meanwhile stays.
        m_redis.command({"SET", callKey(it.key()), m_node.toUtf8(), "NX", "PX",
                         QByteArray::number(it.value() - now)});
        ++it;
    }
}

void NodeBridge::nodeGone(const QString &node)
{
    qCWarning(lcServerBus) << "node" << node << "is gone: ending this node's calls with it";
    const QList<CallingConnection *> all = m_standIns.values();
    for (CallingConnection *standIn : all)
        if (standIn->node() == node)
            dropStandIn(standIn);
    QList<QPair<CallingConnection *, QString>> orphans;
    for (auto it = m_routes.cbegin(); it != m_routes.cend(); ++it)
        for (auto call = it->cbegin(); call != it->cend(); ++call)
            if (call.value() == node)
                orphans.append({it.key(), call.key()});
    for (const auto &[device, callId] : std::as_const(orphans))
        ownerGone(device, callId);
}

void NodeBridge::deliver(CallingConnection *standIn, const QString &text)
{
    publish(standIn->node(), 'D', standIn->user(), standIn->device(), text.toUtf8(), standIn,
            [this, standIn](bool delivered) {
                if (!delivered && m_standIns.value(standInKey(standIn->user(), standIn->device(),
                                                              standIn->node())) == standIn) {
                    qCInfo(lcServerBus)
                        << "node" << standIn->node() << "does not answer:" << standIn->user()
                        << standIn->device() << "is gone";
                    dropStandIn(standIn);
                }
            });
}

void NodeBridge::deliverMedia(CallingConnection *standIn, const QByteArray &frame)
{
    publish(standIn->node(), 'm', standIn->user(), standIn->device(), frame);
}

bool NodeBridge::forwardMedia(CallingConnection *from, const QByteArray &frame)
{
    const auto it = m_media.constFind(from);
    if (it == m_media.cend())
        return false;
    if (frame.size() <= MediaRelay::kMaxFrameBytes &&
        it->rate->take() == RateLimiter::Verdict::Accept)
        publish(it->owner, 'M', from->user(), from->device(), frame);
    return true;
}

void NodeBridge::connectionLost(CallingConnection *connection)
{
    m_held.remove(connection);
    m_media.remove(connection);
    const QHash<QString, QString> routes = m_routes.take(connection);
    QSet<QString> owners;
    for (const QString &owner : routes)
        owners.insert(owner);
    for (const QString &owner : std::as_const(owners))
        publish(owner, 'L', connection->user(), connection->device(), {});
}

void NodeBridge::ownerGone(CallingConnection *device, const QString &callId)
{
    auto routes = m_routes.find(device);
    if (routes == m_routes.end() || !routes->remove(callId))
        return;
    if (routes->isEmpty())
        m_routes.erase(routes);
    if (m_media.value(device).callId == callId)
        m_media.remove(device);
    qCInfo(lcServerBus) << "the node of call" << callId << "does not answer: ended for"
                        << device->user() << device->device();
    device->send(makeEnded(callId, EndCause::Failure,
                           CallError{QStringLiteral("network"), QStringLiteral("peer_lost"),
                                     QStringLiteral("the other party's connection was lost")}));
}

void NodeBridge::publish(const QString &node, char kind, const QString &user, const QString &device,
                         const QByteArray &body, QObject *context,
                         std::function<void(bool delivered)> done)
{
    QByteArray envelope;
    envelope.reserve(body.size() + user.size() + device.size() + m_node.size() + 4);
    envelope.append(kind);
    envelope.append(user.toUtf8()).append('\n');
    envelope.append(device.toUtf8()).append('\n');
    envelope.append(m_node.toUtf8()).append('\n');
    envelope.append(body);
    qCDebug(lcServerBus) << "publish" << kind << "to" << node << user << device << body.left(80);
    if (!done) {
        m_redis.command({"PUBLISH", channel(node), envelope});
        return;
    }
    m_redis.command({"PUBLISH", channel(node), envelope}, context,
                    [done = std::move(done)](const Reply &reply) {
                        // A failed PUBLISH (Redis down) is not a node gone: the
                        // ring timeout or Redis's return settles it.
                        done(reply.type != Reply::Type::Integer || reply.integer > 0);
                    });
}

void NodeBridge::onBusMessage(const QByteArray &channelName, const QByteArray &payload)
{
    if (channelName != channel(m_node) || payload.isEmpty())
        return;
    const char kind = payload.at(0);
    const qsizetype a = payload.indexOf('\n', 1);
    const qsizetype b = a < 0 ? -1 : payload.indexOf('\n', a + 1);
    const qsizetype c = b < 0 ? -1 : payload.indexOf('\n', b + 1);
    if (c < 0) {
        qCWarning(lcServerBus) << "dropped a malformed bus message of" << payload.size() << "bytes";
        return;
    }
    const QString user = QString::fromUtf8(payload.mid(1, a - 1));
    const QString device = QString::fromUtf8(payload.mid(a + 1, b - a - 1));
    const QString node = QString::fromUtf8(payload.mid(b + 1, c - b - 1));
    const QByteArray body = payload.mid(c + 1);
    qCDebug(lcServerBus) << m_node << "got" << kind << "from" << node << user << device
                         << body.left(80);
    switch (kind) {
    case 'D':
    case 'm':
        toDevice(user, device, node, kind, body);
        return;
    case 'E':
    case 'M':
    case 'L':
        fromDevice(user, device, node, kind, body);
        return;
    case 'N':
        for (CallingConnection *connection : m_presence.devices(user))
            if (connection->capabilities().messaging && !connection->isClosing())
                m_service.deliverPending(connection);
        return;
    default:
        qCWarning(lcServerBus) << "dropped a bus message of unknown kind" << int(kind);
    }
}

void NodeBridge::toDevice(const QString &user, const QString &device, const QString &owner,
                          char kind, const QByteArray &body)
{
    CallingConnection *connection = m_presence.find(user, device);
    if (!connection || connection->isClosing()) {
        if (kind == 'D')
            publish(owner, 'L', user, device, {}); // the owner stops counting on it
        return;
    }
    if (kind == 'm') {
        connection->sendMedia(body);
        return;
    }
    const QJsonObject message = QJsonDocument::fromJson(body).object();
    const QString type = message.value(u"type").toString();
    const QString callId = message.value(u"callId").toString();
    if (!callId.isEmpty()) {
        if (type == u"ended") {
            if (auto routes = m_routes.find(connection); routes != m_routes.end()) {
                routes->remove(callId);
                if (routes->isEmpty())
                    m_routes.erase(routes);
            }
            if (m_media.value(connection).callId == callId)
                m_media.remove(connection);
        } else {
            m_routes[connection].insert(callId, owner);
            if (type == u"established")
                m_media.insert(connection,
                               Route{callId, owner,
                                     std::make_shared<RateLimiter>(MediaRelay::kMaxFramesPerSecond,
                                                                   MediaRelay::kFrameBurst)});
        }
    }
    connection->send(message);
}

void NodeBridge::fromDevice(const QString &user, const QString &device, const QString &node,
                            char kind, const QByteArray &body)
{
    CallingConnection *from = standIn(user, device, node, kind == 'E');
    if (!from)
        return; // media or a loss for a call that is already over here
    if (kind == 'L') {
        dropStandIn(from);
        return;
    }
    if (kind == 'M') {
        m_service.media(from, body);
        return;
    }
    auto decoded = decodeFrame(body, Sender::Client);
    const Message *message = std::get_if<Message>(&decoded);
    if (!message || !CallRouter::handles(message->type)) {
        qCWarning(lcServerBus) << "dropped a bus event from node" << node << "for" << user << device
                               << "that is not a call message";
        return;
    }
    m_service.route(from, *message);
}

} // namespace softphone::server::calling
