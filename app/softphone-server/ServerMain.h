#pragma once
// `softphone-server serve`: both listeners, the keys and the chosen roles in one
// process; prints the JSON start line once everything listens.

#include "softphone-server/common/HttpListener.h"
#include "softphone-server/common/KeyStore.h"
#include "softphone-server/common/Role.h"
#include "softphone-server/common/ServerOptions.h"
#include "softphone-server/common/WebSocketListener.h"

#include <QJsonObject>
#include <QObject>
#include <memory>
#include <vector>

namespace softphone::server::bus {
class RedisClient;
}

namespace softphone::server {

class ServerMain : public QObject
{
    Q_OBJECT
public:
    explicit ServerMain(const ServerOptions &options, QObject *parent = nullptr);
    ~ServerMain() override;

    bool start(QString *error);
    // {"event":"listening", every URL, "roles":[...]} plus what the roles add.
    QJsonObject startLine() const;

private:
    bool setUpTls(QString *error);

    ServerOptions m_options;
    WebSocketListener m_ws;
    HttpListener m_http;
    KeyStore m_keys;
    std::unique_ptr<bus::RedisClient> m_bus; // --bus: outlives the roles that use it
    std::unique_ptr<ServerContext> m_context;
    std::vector<std::unique_ptr<Role>> m_roles;
};

} // namespace softphone::server
