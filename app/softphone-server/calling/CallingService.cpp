#include "CallingService.h"

#include "CallRouter.h"
#include "CallingConnection.h"
#include "ClusterPresence.h"
#include "DeviceLocations.h"
#include "EchoUser.h"
#include "MediaRelay.h"
#include "MessageRouter.h"
#include "NodeBridge.h"
#include "Presence.h"
#include "PresenceFeed.h"
#include "SqlMessageStore.h"
#include "SqlPushRegistrationStore.h"
#include "protocol/Builders.h"
#include "protocol/FieldValidators.h"
#include "protocol/Limits.h"
#include "softphone-server/bus/RedisClient.h"
#include "softphone-server/bus/SharedWindowLimiter.h"
#include "softphone-server/common/AccessToken.h"
#include "softphone-server/common/KeyStore.h"
#include "softphone-server/common/PushEvents.h"
#include "softphone-server/common/ServerLogging.h"
#include "softphone-server/common/UserDirectory.h"
#include "softphone-server/common/WebSocketListener.h"

#include <QDir>
#include <QFile>
#include <QWebSocket>

#include <algorithm>
#include <vector>

#include <sys/resource.h>

namespace softphone::server::calling {

using namespace protocol;

namespace {

// Each connection is a file descriptor: allow as many as the hard limit does.
void raiseFileLimit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max)
        return;
    const rlim_t previous = limit.rlim_cur;
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) == 0)
        qCInfo(lcServerCalling) << "open file limit raised from" << previous << "to"
                                << limit.rlim_cur;
}

} // namespace

CallingService::CallingService(OpenUsers openUsers, QObject *parent)
    : Role(parent)
    , m_openUsers(std::move(openUsers))
    , m_connections([this](CallingConnection *connection) {
        connection->keepalive(QDateTime::currentMSecsSinceEpoch(), m_authTimeout);
        if (m_locations && connection->isAuthenticated() && connection->capabilities().calling)
            m_locations->keepalive(connection->user(), connection->device());
    })
{}

CallingService::~CallingService()
{
    // Connections reference the router and presence: stop them first.
    m_connections.stop();
    m_bridge.reset(); // its stand-ins first: the router still knows them
    const QList<CallingConnection *> connections = m_connections.members();
    for (CallingConnection *connection : connections)
        connection->detachHandler();
    m_connections.clear();
    qDeleteAll(connections);
}

bool CallingService::start(ServerContext &context, QString *error)
{
    raiseFileLimit();
    const ServerOptions &options = context.options;
    if (!options.tokenPublicKeyFile.isEmpty()) {
        QFile file(options.tokenPublicKeyFile);
        if (!file.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read token public key %1: %2")
                         .arg(options.tokenPublicKeyFile, file.errorString());
            return false;
        }
        auto key = crypto::EcKey::fromPem(file.readAll());
        if (!key) {
            *error = QStringLiteral("%1 is not a P-256 PEM key").arg(options.tokenPublicKeyFile);
            return false;
        }
        m_tokenKey = *key;
    } else {
        m_tokenKey = context.keys.tokenKey();
    }
    m_payloadKeyPem = QString::fromLatin1(context.keys.payloadKey().publicPem());

    // --set calling.auth_timeout=SECONDS: how long a connection may stay without hello.
    m_authTimeout = options.milliseconds(QStringLiteral("calling.auth_timeout"),
                                         std::chrono::seconds(kAuthTimeoutSeconds));
    m_users = m_openUsers(options, error);
    if (!m_users)
        return false;
    const auto where = SqlDatabase::forStore(options, QStringLiteral("calling"), error);
    if (!where)
        return false;
    m_pushStore = std::make_unique<SqlPushRegistrationStore>();
    if (!m_pushStore->open(*where, error))
        return false;
    m_messages = std::make_unique<SqlMessageStore>();
    if (!m_messages->open(*where, error))
        return false;
    m_messages->purgeExpired(QDateTime::currentMSecsSinceEpoch());
    SqlMessageStore::Quota quota;
    quota.messages = options.count(QStringLiteral("calling.max_pending_messages"), quota.messages);
    bool ok = false;
    if (const qint64 n = options.settings.value(QStringLiteral("calling.max_pending_message_bytes"))
                             .toLongLong(&ok);
        ok && n > 0)
        quota.bytes = n;
    m_messages->setQuota(quota);
    m_presence = std::make_unique<Presence>();
    m_presenceFeed = std::make_unique<PresenceFeed>(*m_presence);
    const crypto::EcKey payloadKey = context.keys.payloadKey();
    m_router = std::make_unique<CallRouter>(*m_presence, *m_users, *m_pushStore, payloadKey,
                                            std::chrono::seconds(options.ringTimeoutSeconds > 0
                                                                     ? options.ringTimeoutSeconds
                                                                     : kDefaultRingTimeoutSeconds));
    // Operator knobs: --set calling.user_calls_per_second=N / calling.user_calls_burst=N.
    const int callRate = options.count(QStringLiteral("calling.user_calls_per_second"), 0);
    const int callBurst = options.count(QStringLiteral("calling.user_calls_burst"), 0);
    if (callRate > 0 && callBurst > 0)
        m_router->setUserCallRate(callRate, callBurst);
    m_messageRouter = std::make_unique<MessageRouter>(*m_presence, *m_users, *m_pushStore,
                                                      *m_messages, payloadKey);
    // The push fan-out (application server) in this process sends the cancels and
    // reports dead subscriptions; see PushEvents.
    m_router->setPushedCallEndedHandler([](const QString &callId, EndCause cause,
                                           const QString &cancelPayload) {
        Q_EMIT PushEvents::instance().pushedCallEnded(callId, endCauseName(cause), cancelPayload);
    });
    connect(&PushEvents::instance(), &PushEvents::pushGone, this,
            [this](const QString &user, const QString &device, const QByteArray &data) {
                // Only the registration that was pushed: a newer one stays.
                if (m_pushStore->registrations(user).value(device) != data)
                    return;
                QString why;
                if (m_pushStore->remove(user, device, &why))
                    qCInfo(lcServerCalling) << "push registration of" << user << device
                                            << "pruned: the push service says it is gone";
            });

    MediaRelay::Settings relaySettings;
    if (!MediaRelay::settingsFrom(options.settings, &relaySettings, error))
        return false;
    m_relay = std::make_unique<MediaRelay>(relaySettings);
    connect(m_router.get(), &CallRouter::mediaStarted, m_relay.get(), &MediaRelay::callEstablished);
    connect(m_router.get(), &CallRouter::callRemoved, m_relay.get(), &MediaRelay::callFinished);
    if (context.bus)
        startBus(context);
    // The echo user's ICE: --set calling.echo_ice_sessions=N (0: relay only)
    // and calling.echo_ice_timeout=SECONDS; host candidates on the listener's address.
    EchoUser::Settings echoSettings;
    echoSettings.maxIceSessions = options.count(QStringLiteral("calling.echo_ice_sessions"),
                                                echoSettings.maxIceSessions, 0, 1024);
    echoSettings.iceTimeoutMs = int(
        std::clamp<qint64>(options
                               .milliseconds(QStringLiteral("calling.echo_ice_timeout"),
                                             std::chrono::milliseconds(echoSettings.iceTimeoutMs))
                               .count(),
                           1000, 60000));
    echoSettings.localAddress = options.wsHost;
    m_echo = std::make_unique<EchoUser>(echoSettings);
    m_router->setEchoAnswerHandler([this](const QString &callId, CallingConnection *caller,
                                          const std::optional<protocol::MediaDescription> &offer) {
        return m_echo->answer(callId, caller, offer);
    });
    m_router->setEchoMedia(
        {[this](const QString &callId, const QString &ufrag, const QString &line) {
             m_echo->remoteCandidate(callId, ufrag, line);
         },
         [this](const QString &callId, const protocol::MediaDescription &media) {
             m_echo->remoteRestart(callId, media);
         }});
    connect(m_relay.get(), &MediaRelay::echoFrameReceived, m_echo.get(), &EchoUser::frameReceived);
    connect(m_router.get(), &CallRouter::callRemoved, m_echo.get(), &EchoUser::callFinished);

    context.ws.addRoute(
        QLatin1StringView(kCallingPath), {QLatin1StringView(kSubprotocol)},
        [this](QWebSocket *socket, const SendQueueLimits &limits) { onSocket(socket, limits); },
        kMaxControlMessageBytes);
    m_url = context.ws.url(QLatin1StringView(kCallingPath));

    m_connections.start(); // keepalive, about once a second each (SlicedSweep)
    // Expired messages go about once an hour; the query is indexed and cheap.
    m_purge.setInterval(std::chrono::hours(1));
    connect(&m_purge, &QTimer::timeout, this,
            [this] { m_messages->purgeExpired(QDateTime::currentMSecsSinceEpoch()); });
    m_purge.start();
    // `user disable/remove` runs as another process on the same accounts.db: a
    // poll of its revocation log (one indexed query) ends the sessions quickly.
    m_users->newlyRevoked(); // the mark: earlier revocations are history
    m_revocations.setInterval(std::chrono::milliseconds(500));
    connect(&m_revocations, &QTimer::timeout, this, &CallingService::endRevokedSessions);
    m_revocations.start();
    qCInfo(lcServerCalling) << "calling service at" << m_url.toString() << "ring timeout"
                            << options.ringTimeoutSeconds << "s";
    return true;
}

void CallingService::startBus(ServerContext &context)
{
    const ServerOptions &options = context.options;
    bus::RedisClient &redis = *context.bus;
    // --set bus.location_ttl=SECONDS: how long a device's location outlives its node.
    m_locations = std::make_unique<DeviceLocations>(
        redis, options.nodeId,
        options.milliseconds(QStringLiteral("bus.location_ttl"), std::chrono::seconds(30)));
    m_clusterPresence = std::make_unique<ClusterPresence>(
        redis, *m_locations, options.nodeId,
        [this](const QString &user) { m_presenceFeed->changedElsewhere(user); });
    m_presenceFeed->setBus(m_clusterPresence.get());
    NodeBridge::Service service;
    service.route = [this](CallingConnection *c, const Message &m) { route(c, m); };
    service.received = [this](CallingConnection *c, const Message &m) { messageReceived(c, m); };
    service.media = [this](CallingConnection *c, const QByteArray &frame) {
        m_relay->frameReceived(c, frame);
    };
    service.lost = [this](CallingConnection *c) { m_router->connectionLost(c); };
    service.deliverPending = [this](CallingConnection *c) { m_messageRouter->deliverPending(c); };
    const auto ringTimeout = std::chrono::seconds(
        options.ringTimeoutSeconds > 0 ? options.ringTimeoutSeconds : kDefaultRingTimeoutSeconds);
    // The call record outlives the ring so a late claim still finds the owner.
    m_bridge = std::make_unique<NodeBridge>(redis, *m_locations, *m_presence, *m_router,
                                            std::move(service), options.nodeId,
                                            ringTimeout + std::chrono::minutes(5));
    m_router->setRemoteDevices(
        [this](const QString &user) { return m_bridge->remoteDevices(user); });
    // The router's per-user rate (burst, refilled at N a second) as a window on
    // every node: at most `burst` calls in burst/N seconds, wherever placed.
    const int perSecond = std::max(1, m_router->userCallsPerSecond());
    const int burst = std::max(1, m_router->userCallBurst());
    m_clusterCalls = std::make_unique<bus::SharedWindowLimiter>(
        redis, QStringLiteral("calls"), burst,
        std::chrono::seconds((burst + perSecond - 1) / perSecond), options.nodeId);
    m_bridge->setCallLimiter(m_clusterCalls.get());
    m_messageRouter->setStoredHandler(
        [this](const QString &user) { m_bridge->messageStored(user); });
    m_messageRouter->setDevicesElsewhere(
        [this](const QString &user) { return m_bridge->messageDevicesElsewhere(user); });
}

void CallingService::callsLost(CallingConnection *connection)
{
    m_router->connectionLost(connection);
    if (m_bridge)
        m_bridge->connectionLost(connection);
}

QJsonObject CallingService::urls() const
{
    return {{QStringLiteral("calling"), m_url.toString()}};
}

void CallingService::onSocket(QWebSocket *socket, const SendQueueLimits &limits)
{
    auto *connection = new CallingConnection(socket, this, limits, this);
    m_connections.insert(connection);
}

void CallingService::mediaReceived(CallingConnection *connection, const QByteArray &frame)
{
    if (m_bridge && m_bridge->forwardMedia(connection, frame))
        return;
    if (m_relay)
        m_relay->frameReceived(connection, frame);
}

void CallingService::helloReceived(CallingConnection *connection, const Message &hello)
{
    const QString re = hello.requestId();
    QString why;
    const auto token =
        AccessToken::verify(hello.string(QLatin1StringView("token")), m_tokenKey, &why);
    if (!token) {
        qCInfo(lcServerCalling) << "rejected hello from" << connection->peer() << why;
        connection->sendError(ErrorCode::Unauthorized,
                              QStringLiteral("invalid access token: %1").arg(why), re);
        connection->close(CloseUnauthorized, QStringLiteral("unauthorized"));
        return;
    }
    if (!protocol::isValidUserId(token->user)) {
        connection->sendError(ErrorCode::Unauthorized,
                              QStringLiteral("the token's subject is not a user id"), re);
        connection->close(CloseUnauthorized, QStringLiteral("unauthorized"));
        return;
    }
    if (refuseRevoked(connection, *token, re))
        return;
    const QString device = hello.string(QLatin1StringView("device"));
    connection->authenticate(token->user, device, hello.capabilities(), token->expiresAt);
    if (CallingConnection *previous = m_presence->add(connection)) {
        // The old connection's calls end now; the new one starts clean.
        callsLost(previous);
        previous->close(CloseReplaced, QStringLiteral("replaced by a new connection"));
    }
    m_presenceFeed->connectionsChanged(token->user);
    if (m_locations && connection->capabilities().calling)
        m_locations->add(token->user, device, connection->capabilities().messaging);
    qCInfo(lcServerCalling) << "welcome" << token->user << device << "from" << connection->peer();
    connection->send(makeWelcome(token->user, device, QDateTime::currentMSecsSinceEpoch(),
                                 kPingIntervalSeconds, m_payloadKeyPem, re));
    m_messageRouter->deliverPending(connection);
}

void CallingService::messageReceived(CallingConnection *connection, const Message &message)
{
    if (m_bridge && m_bridge->intercept(connection, message))
        return;
    route(connection, message);
}

void CallingService::route(CallingConnection *connection, const Message &message)
{
    if (CallRouter::handles(message.type)) {
        m_router->handle(connection, message);
        return;
    }
    if (MessageRouter::handles(message.type)) {
        m_messageRouter->handle(connection, message);
        return;
    }
    if (PresenceFeed::handles(message.type)) {
        m_presenceFeed->handle(connection, message);
        return;
    }
    switch (message.type) {
    case MessageType::Token:
        onTokenRefresh(connection, message);
        return;
    case MessageType::PushRegister:
    case MessageType::PushUnregister:
        onPushRegistration(connection, message);
        return;
    default:
        connection->sendError(
            ErrorCode::UnknownType,
            QStringLiteral("'%1' is not sent by clients").arg(messageTypeName(message.type)),
            message.requestId());
        return;
    }
}

void CallingService::onTokenRefresh(CallingConnection *connection, const Message &message)
{
    const QString re = message.requestId();
    QString why;
    const auto token =
        AccessToken::verify(message.string(QLatin1StringView("token")), m_tokenKey, &why);
    if (!token || token->user != connection->user()) {
        if (token)
            why = QStringLiteral("the token is for another user");
        connection->sendError(ErrorCode::Unauthorized,
                              QStringLiteral("invalid access token: %1").arg(why), re);
        connection->close(CloseUnauthorized, QStringLiteral("unauthorized"));
        return;
    }
    if (refuseRevoked(connection, *token, re))
        return;
    connection->setTokenExpiry(token->expiresAt);
    connection->send(makeOk(re));
}

bool CallingService::refuseRevoked(CallingConnection *connection, const AccessToken &token,
                                   const QString &re)
{
    QString storeError;
    if (!m_users->tokenRevoked(token.user, token.issuedAt.toSecsSinceEpoch(), &storeError))
        return false;
    if (!storeError.isEmpty()) {
        // Not "unauthorized": the client keeps its sign-in and comes back later.
        qCWarning(lcServerCalling) << "hello of" << token.user << "refused:" << storeError;
        connection->close(CloseUnavailable,
                          QStringLiteral("the account database is unavailable; try again later"));
        return true;
    }
    qCInfo(lcServerCalling) << "refused a revoked token of" << token.user << "from"
                            << connection->peer();
    connection->sendError(ErrorCode::Unauthorized,
                          QStringLiteral("invalid access token: the account was disabled or "
                                         "removed after it was issued"),
                          re);
    connection->close(CloseUnauthorized, QStringLiteral("unauthorized"));
    return true;
}

void CallingService::endRevokedSessions()
{
    for (const QString &user : m_users->newlyRevoked()) {
        const QList<CallingConnection *> connections = m_presence->devices(user);
        if (!connections.isEmpty())
            qCInfo(lcServerCalling) << "account" << user << "disabled or removed: closing"
                                    << connections.size() << "connection(s)";
        for (CallingConnection *connection : connections) {
            // Their calls end now, as for a replaced connection; the close follows.
            m_presence->remove(connection);
            callsLost(connection);
            connection->sendError(ErrorCode::Unauthorized,
                                  QStringLiteral("the account was disabled or removed"));
            connection->close(CloseAccountRevoked, QStringLiteral("account disabled or removed"));
        }
        m_presenceFeed->connectionsChanged(user);
    }
}

void CallingService::onPushRegistration(CallingConnection *connection, const Message &message)
{
    const QString re = message.requestId();
    if (!connection->capabilities().push) {
        connection->sendError(ErrorCode::Capability,
                              QStringLiteral("this device did not declare capability 'push'"), re);
        return;
    }
    QString error;
    // The decoder already refused push data over 1024 bytes (too_large): nothing
    // reaches the store then.
    const bool stored =
        message.type == MessageType::PushRegister
            ? m_pushStore->put(connection->user(), connection->device(), message.pushData(), &error)
            : m_pushStore->remove(connection->user(), connection->device(), &error);
    if (!stored) {
        qCWarning(lcServerCalling) << "push registration of" << connection->user()
                                   << connection->device() << "failed:" << error;
        connection->sendError(ErrorCode::InvalidState,
                              QStringLiteral("the registration could not be stored; try again"),
                              re);
        return;
    }
    qCInfo(lcServerCalling) << messageTypeName(message.type) << connection->user()
                            << connection->device();
    connection->send(makeOk(re));
}

void CallingService::connectionClosed(CallingConnection *connection)
{
    m_connections.remove(connection);
    if (connection->isAuthenticated()) {
        m_presence->remove(connection);
        callsLost(connection);
        // A newer connection of the same device keeps the device's location.
        if (m_locations &&
            !m_presence->hasCallingConnection(connection->user(), connection->device()))
            m_locations->remove(connection->user(), connection->device());
        m_presenceFeed->connectionClosed(connection);
    }
}

} // namespace softphone::server::calling
