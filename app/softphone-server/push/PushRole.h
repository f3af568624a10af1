#pragma once
// The push service role: Web Push resources over HTTP (RFC 8030, POST
// /wpush/<token>, DELETE /wpush/m/<version>) and the devices' WebSockets at
// /v1/push (autopush's protocol), store-and-forward in push.db. The event loop
// only reads push.db; every change goes to PushWriter's thread, and an answer
// that promises durability (201, 204) is written once its transaction committed.
// With --bus every node runs it on one shared database: a message is stored by
// the node that took the POST, then announced on the bus; the node holding the
// device's socket reads it from the store (a device that connects anywhere reads
// its stored messages there). A TTL 0 push is never stored: the node that took
// it offers it on the bus to the node holding the device's socket, if any.

#include "DeviceConnection.h"
#include "PendingWrites.h"
#include "PushLimits.h"
#include "PushStore.h"
#include "PushWriter.h"
#include "softphone-server/bus/SharedWindowLimiter.h"
#include "softphone-server/common/Role.h"
#include "softphone-server/common/SlicedSweep.h"
#include "softphone-server/common/WindowLimiter.h"

#include "softphone-server/common/HttpServer.h"
#include <QHash>

#include "softphone-server/common/HttpResponse.h"
#include <QSet>
#include <QTimer>
#include <QUrl>
#include <memory>
#include <optional>

namespace softphone::server::push {

class PushRole : public Role, private DeviceConnection::Handler
{
    Q_OBJECT
public:
    explicit PushRole(QObject *parent = nullptr);
    ~PushRole() override;

    QString name() const override { return QStringLiteral("push"); }
    bool start(ServerContext &context, QString *error) override;
    QJsonObject urls() const override;

private:
    void post(const QString &token, const HttpRequest &request, HttpResponder &&responder);
    // Checks the request; on success fills *message (numbered, not stored yet) and *ttl.
    std::optional<HttpResponse> refusal(const QString &token, const HttpRequest &request,
                                        PushStore::Message *message, int *ttl);
    void remove(const QString &version, HttpResponder &&responder);
    // A message is committed: to its device if connected here, else announced to
    // the other nodes (--bus).
    void messageStored(const QString &uaid, const QString &version);
    static QByteArray storedChannel();
    // TTL 0 pushes for devices not connected here: offered to the node that
    // holds the device's socket, never stored (RFC 8030 §5.2: now or never).
    static QByteArray directChannel();
    void publishDirect(const PushStore::Message &message);
    void onDirectNotice(const QByteArray &payload);
    void onBusMessage(const QByteArray &channel, const QByteArray &payload);
    void busReturned();
    bool allowSender(const QString &key);
    // DeviceConnection::Handler
    void deviceIdentified(DeviceConnection *connection) override;
    void deviceClosed(DeviceConnection *connection) override;
    void admitNewDevice(const QHostAddress &peer, QObject *context,
                        std::function<void(int waitSeconds)> verdict) override;

    struct Bucket
    {
        double tokens = 0;
        qint64 lastMs = 0;
    };

    PushLimits m_limits;
    std::unique_ptr<PushStore> m_store; // this thread's (read) connection
    std::unique_ptr<PushWriter> m_writer;
    PendingWrites m_pending;
    bus::RedisClient *m_bus = nullptr;            // --bus: the cluster's Redis
    QByteArray m_node;                            // this node's id on the bus
    QHash<QString, DeviceConnection *> m_devices; // uaid -> its identified connection
    QHash<QString, Bucket> m_buckets;             // (source address, subscription) -> rate state
    // New uaids per source address (start() sets the limit from m_limits).
    WindowLimiter m_newDevices{0, std::chrono::seconds(1)};
    std::unique_ptr<bus::SharedWindowLimiter> m_clusterNewDevices; // the same on every node (--bus)
    QUrl m_wsUrl;
    QUrl m_httpBase;                             // .../wpush
    DeviceConnection::EndpointUrl m_endpointUrl; // token -> its push resource URL
    QString m_audience;                          // the origin VAPID tokens must name
    QTimer m_purgeTimer;
    // Every open device connection, identified or not, with its keepalive.
    SlicedSweep<DeviceConnection> m_connections;
};

} // namespace softphone::server::push
