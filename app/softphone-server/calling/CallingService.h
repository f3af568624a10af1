#pragma once
// The "calling" role: serves /v1/calling (subprotocol softphone.v1),
// authenticates connections with access tokens, keeps presence and routes
// calls. Connections, presence and calls live on the server's event loop.

#include "CallingConnection.h"
#include "softphone-server/common/Role.h"
#include "softphone-server/common/SlicedSweep.h"

#include "crypto/EcKey.h"

#include <QSet>
#include <QTimer>
#include <QUrl>
#include <chrono>
#include <functional>
#include <memory>

class QWebSocket;

namespace softphone::protocol {
struct Message;
}

namespace softphone::server::bus {
class SharedWindowLimiter;
}

namespace softphone::server {
struct AccessToken;
class UserDirectory;
} // namespace softphone::server

namespace softphone::server::calling {

class CallingConnection;
class CallRouter;
class ClusterPresence;
class DeviceLocations;
class NodeBridge;
class MediaRelay;
class EchoUser;
class MessageRouter;
class Presence;
class PresenceFeed;
class SqlMessageStore;
class SqlPushRegistrationStore;

class CallingService : public Role, private CallingConnection::Handler
{
    Q_OBJECT
public:
    // Opens the users the service checks callees and tokens against (server
    // setup passes appserver::openAccountUserDirectory): nullptr with *error
    // fails the start.
    using OpenUsers =
        std::function<std::unique_ptr<UserDirectory>(const ServerOptions &, QString *error)>;
    explicit CallingService(OpenUsers openUsers, QObject *parent = nullptr);
    ~CallingService() override;

    QString name() const override { return QStringLiteral("calling"); }
    bool start(ServerContext &context, QString *error) override;
    QJsonObject urls() const override;

private:
    // CallingConnection::Handler
    void helloReceived(CallingConnection *connection, const protocol::Message &hello) override;
    void messageReceived(CallingConnection *connection, const protocol::Message &message) override;
    void mediaReceived(CallingConnection *connection, const QByteArray &frame) override;
    void connectionClosed(CallingConnection *connection) override;

    void onSocket(QWebSocket *socket, const SendQueueLimits &limits);
    // The message goes to its router (the bridge already passed it on).
    void route(CallingConnection *connection, const protocol::Message &message);
    // --bus: device locations and the node bridge on the server's Redis client.
    void startBus(ServerContext &context);
    // The connection's calls end or shrink, here and on the nodes of its calls.
    void callsLost(CallingConnection *connection);
    void onTokenRefresh(CallingConnection *connection, const protocol::Message &message);
    void onPushRegistration(CallingConnection *connection, const protocol::Message &message);
    // A token issued before its user was disabled or removed: error, close 4401, true.
    bool refuseRevoked(CallingConnection *connection, const AccessToken &token, const QString &re);
    // Closes (4403) every connection of users disabled or removed since the last poll.
    void endRevokedSessions();

    crypto::EcKey m_tokenKey;
    QString m_payloadKeyPem;
    std::unique_ptr<Presence> m_presence;
    std::unique_ptr<PresenceFeed> m_presenceFeed; // statuses and subscriptions beside m_presence
    OpenUsers m_openUsers;
    std::unique_ptr<UserDirectory> m_users;
    std::unique_ptr<SqlPushRegistrationStore> m_pushStore;
    std::unique_ptr<SqlMessageStore> m_messages;
    std::unique_ptr<CallRouter> m_router;
    std::unique_ptr<MessageRouter> m_messageRouter;
    std::unique_ptr<MediaRelay> m_relay;
    std::unique_ptr<DeviceLocations> m_locations;
    std::unique_ptr<ClusterPresence> m_clusterPresence;       // the feed's bus, with --bus
    std::unique_ptr<bus::SharedWindowLimiter> m_clusterCalls; // calls per user, all nodes
    std::unique_ptr<NodeBridge> m_bridge;
    std::unique_ptr<EchoUser> m_echo;
    // Every open connection, authenticated or not, with its keepalive.
    SlicedSweep<CallingConnection> m_connections;
    std::chrono::milliseconds m_authTimeout{0}; // no hello within this: closed 4408
    QTimer m_purge;                             // expired messages, hourly
    QTimer m_revocations;                       // polls the account store's revocation log
    QUrl m_url;
};

} // namespace softphone::server::calling
