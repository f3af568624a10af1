#pragma once
// One device's WebSocket in autopush's protocol: hello, register/unregister,
// notifications out with at most PushLimits::batchSize unacknowledged at a
// time, acks and nacks in. Stored messages are deleted only on ack/nack, so
// whatever is in flight when the socket dies is sent again next time.

#include "PushLimits.h"
#include "PushStore.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <QUrl>
#include <functional>

class QWebSocket;

namespace softphone::server::push {

class DeviceConnection : public QObject
{
    Q_OBJECT
public:
    static constexpr int kCloseReplaced = 4409;
    static constexpr int kCloseBackOff = 4774;

    using EndpointUrl = std::function<QUrl(const QString &token)>;

    DeviceConnection(QWebSocket *socket, PushStore &store, const PushLimits &limits,
                     EndpointUrl endpointUrl, QObject *parent = nullptr);
    ~DeviceConnection() override;

    QString uaid() const { return m_uaid; }
    // Sends stored messages while the window has room.
    void pump();
    // TTL 0: straight to the socket, never stored; false if the socket cannot take it.
    bool sendDirect(const PushStore::Message &message);
    // Another connection with the same uaid took over.
    void replace();

signals:
    void identified(softphone::server::push::DeviceConnection *connection);
    void closed(softphone::server::push::DeviceConnection *connection);

private:
    void onText(const QString &text);
    void onHello(const QJsonObject &msg);
    void onRegister(const QJsonObject &msg);
    void onUnregister(const QJsonObject &msg);
    void onAck(const QJsonObject &msg);
    void onNack(const QJsonObject &msg);
    void onPing();
    void acknowledged(const QString &version);
    void sendNotification(const PushStore::Message &message);
    void send(const QJsonObject &msg);
    void closeWith(int code, const QString &reason);

    QPointer<QWebSocket> m_socket;
    PushStore &m_store;
    PushLimits m_limits;
    EndpointUrl m_endpointUrl;
    QString m_uaid;
    qint64 m_lastSentSeq = 0;
    QSet<QString> m_inFlight;       // stored messages sent, not acked
    QSet<QString> m_inFlightDirect; // TTL 0 messages sent, not acked
    QElapsedTimer m_sinceDevicePing;
    QTimer m_pingTimer;
    QTimer m_deadTimer;
    QTimer m_helloTimer;
};

} // namespace softphone::server::push
