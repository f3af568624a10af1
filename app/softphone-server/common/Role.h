#pragma once
// What every service role (calling, appserver, push) is to the server: a name,
// a start that registers its routes on the shared listeners, and its URLs for
// the start line.

#include "ServerOptions.h"

#include <QJsonObject>
#include <QObject>

namespace softphone::server::bus {
class RedisClient;
}

namespace softphone::server {

class HttpListener;
class KeyStore;
class WebSocketListener;

struct ServerContext
{
    const ServerOptions &options;
    WebSocketListener &ws;
    HttpListener &http;
    KeyStore &keys;
    // The Redis shared by the nodes of a cluster (--bus); nullptr for one node alone.
    bus::RedisClient *bus = nullptr;
};

class Role : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    ~Role() override;

    virtual QString name() const = 0;
    // Called after both listeners listen; the context outlives the role.
    virtual bool start(ServerContext &context, QString *error) = 0;
    // Merged into the JSON start line (e.g. {"calling":"ws://..."}).
    virtual QJsonObject urls() const { return {}; }
};

} // namespace softphone::server
