#pragma once
// The push service role: Web Push resources over HTTP (RFC 8030, POST
// /wpush/<token>, DELETE /wpush/m/<version>) and the devices' WebSockets at
// /v1/push (autopush's protocol), store-and-forward in push.db.

#include "PushLimits.h"
#include "PushStore.h"
#include "Role.h"

#include <QHash>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QTimer>
#include <QUrl>
#include <memory>

namespace softphone::server::push {

class DeviceConnection;

class PushRole : public Role
{
    Q_OBJECT
public:
    explicit PushRole(QObject *parent = nullptr);
    ~PushRole() override;

    QString name() const override { return QStringLiteral("push"); }
    bool start(ServerContext &context, QString *error) override;
    QJsonObject urls() const override;

private:
    QHttpServerResponse post(const QString &token, const QHttpServerRequest &request);
    QHttpServerResponse remove(const QString &version);
    bool allowSender(const QString &key);
    void onIdentified(DeviceConnection *connection);
    void onClosed(DeviceConnection *connection);

    struct Bucket
    {
        double tokens = 0;
        qint64 lastMs = 0;
    };

    PushLimits m_limits;
    std::unique_ptr<PushStore> m_store;
    QHash<QString, DeviceConnection *> m_devices; // uaid -> its identified connection
    QHash<QString, Bucket> m_buckets;             // (sender, subscription) -> rate state
    QUrl m_wsUrl;
    QUrl m_httpBase;    // .../wpush
    QString m_audience; // the origin VAPID tokens must name
    QTimer m_purgeTimer;
};

} // namespace softphone::server::push
