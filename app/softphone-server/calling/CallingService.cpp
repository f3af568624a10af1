#include "CallingService.h"

#include "AccessToken.h"
#include "Builders.h"
#include "CallRouter.h"
#include "CallingConnection.h"
#include "KeyStore.h"
#include "Limits.h"
#include "Logging.h"
#include "Presence.h"
#include "UserDirectory.h"
#include "WebSocketListener.h"

#include <QFile>
#include <QWebSocket>

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

CallingService::CallingService(QObject *parent)
    : Role(parent)
{}

CallingService::~CallingService()
{
    // Connections reference the router and presence: stop them first.
    m_sweep.stop();
    for (CallingConnection *connection : std::as_const(m_connections))
        connection->disconnect(this);
    qDeleteAll(m_connections);
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

    auto users = std::make_unique<AccountUserDirectory>();
    if (!users->open(options.dataDir, options.hasRole(QStringLiteral("appserver")), error))
        return false;
    m_users = std::move(users);
    m_presence = std::make_unique<Presence>();
    m_router = std::make_unique<CallRouter>(*m_presence, *m_users,
                                            std::chrono::seconds(options.ringTimeoutSeconds > 0
                                                                     ? options.ringTimeoutSeconds
                                                                     : kDefaultRingTimeoutSeconds));

    context.ws.addRoute(
        QLatin1StringView(kCallingPath), {QLatin1StringView(kSubprotocol)},
        [this](QWebSocket *socket) { onSocket(socket); }, kMaxControlMessageBytes);
    m_url = context.ws.url(QLatin1StringView(kCallingPath));

    // One sweep for every connection rather than three timers per connection.
    m_sweep.setInterval(1000);
    connect(&m_sweep, &QTimer::timeout, this, &CallingService::sweep);
    m_sweep.start();
    qCInfo(lcServerCalling) << "calling service at" << m_url.toString() << "ring timeout"
                            << options.ringTimeoutSeconds << "s";
    return true;
}

QJsonObject CallingService::urls() const
{
    return {{QStringLiteral("calling"), m_url.toString()}};
}

void CallingService::onSocket(QWebSocket *socket)
{
    auto *connection = new CallingConnection(socket, this);
    m_connections.insert(connection);
    connect(connection, &CallingConnection::helloReceived, this,
            [this, connection](const Message &hello) { onHello(connection, hello); });
    connect(connection, &CallingConnection::messageReceived, this,
            [this, connection](const Message &message) { onMessage(connection, message); });
    connect(connection, &CallingConnection::closed, this,
            [this, connection] { onClosed(connection); });
}

void CallingService::onHello(CallingConnection *connection, const Message &hello)
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
    if (!isValidUserId(token->user)) {
        connection->sendError(ErrorCode::Unauthorized,
                              QStringLiteral("the token's subject is not a user id"), re);
        connection->close(CloseUnauthorized, QStringLiteral("unauthorized"));
        return;
    }
    const QString device = hello.string(QLatin1StringView("device"));
    connection->authenticate(token->user, device, hello.capabilities(), token->expiresAt);
    if (CallingConnection *previous = m_presence->add(connection)) {
        // The old connection's calls end now; the new one starts clean.
        m_router->connectionLost(previous);
        previous->close(CloseReplaced, QStringLiteral("replaced by a new connection"));
    }
    qCInfo(lcServerCalling) << "welcome" << token->user << device << "from" << connection->peer();
    connection->send(makeWelcome(token->user, device, QDateTime::currentMSecsSinceEpoch(),
                                 kPingIntervalSeconds, m_payloadKeyPem, re));
}

void CallingService::onMessage(CallingConnection *connection, const Message &message)
{
    if (CallRouter::handles(message.type)) {
        m_router->handle(connection, message);
        return;
    }
    switch (message.type) {
    case MessageType::Token:
        onTokenRefresh(connection, message);
        return;
    case MessageType::PushRegister:
    case MessageType::PushUnregister:
    case MessageType::Message:
    case MessageType::MessageAck:
        // Push registrations and messages are the next step of the service; say
        // so plainly instead of pretending to keep them.
        connection->sendError(ErrorCode::Capability,
                              QStringLiteral("'%1' is not offered by this service yet")
                                  .arg(messageTypeName(message.type)),
                              message.requestId());
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
    connection->setTokenExpiry(token->expiresAt);
    connection->send(makeOk(re));
}

void CallingService::onClosed(CallingConnection *connection)
{
    m_connections.remove(connection);
    if (connection->isAuthenticated()) {
        m_presence->remove(connection);
        m_router->connectionLost(connection);
    }
}

void CallingService::sweep()
{
    // keepalive() may abort a socket, which removes it from the list re-entrantly.
    const QList<CallingConnection *> connections = m_connections.values();
    for (CallingConnection *connection : connections) {
        if (m_connections.contains(connection))
            connection->keepalive();
    }
}

} // namespace softphone::server::calling
