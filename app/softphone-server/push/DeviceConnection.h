#pragma once
// One device's WebSocket in autopush's protocol: hello, register/unregister,
// notifications out with at most PushLimits::batchSize unacknowledged at a
// time, acks and nacks in. Stored messages are deleted only on ack/nack, so
// whatever is in flight when the socket dies is sent again next time.
// Reads go to the role's connection to push.db; changes are queued to PushWriter.
// A new uaid, a subscription or an unregister is answered once committed; frames
// that arrive meanwhile wait, so the device's messages are handled in order.

#include "PendingWrites.h"
#include "PushLimits.h"
#include "PushStore.h"
#include "PushWriter.h"
#include "softphone-server/common/SendQueue.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <QUrl>
#include <functional>

class QHostAddress;
class QWebSocket;

namespace softphone::server::push {

class DeviceConnection : public QObject
{
    Q_OBJECT
public:
    static constexpr int kCloseReplaced = 4409;
    static constexpr int kCloseBackOff = 4774;
    // The push store is unavailable: try again later (Qt refuses RFC 6455's 1013).
    static constexpr int kCloseUnavailable = 4503;

    using EndpointUrl = std::function<QUrl(const QString &token)>;

    // The role, told when the device identified itself and when it is gone.
    // An interface rather than signals: at 20k idle devices each signal
    // connection is memory for nothing (one receiver, known in advance).
    class Handler
    {
    public:
        virtual void deviceIdentified(DeviceConnection *connection) = 0;
        // A hello asks for a new uaid: `verdict` gets 0 if the peer may have one (it
        // is counted), else the seconds until its address may get one again; now or
        // later (counted across the cluster), never after `context` died.
        virtual void admitNewDevice(const QHostAddress &peer, QObject *context,
                                    std::function<void(int waitSeconds)> verdict) = 0;
        // Once, when the socket is gone; the handler deletes the connection.
        virtual void deviceClosed(DeviceConnection *connection) = 0;

    protected:
        ~Handler() = default;
    };

    // After a close for a full send queue, the socket is dropped this much later.
    static constexpr int kSendQueueGraceMs = 5000;

    // Frames held while a change is being committed; more close the connection.
    static constexpr int kMaxHeldFrames = 256;

    // limits and endpointUrl must outlive the connection (the role's own);
    // sendQueue: the listener's send-queue marks for this socket.
    DeviceConnection(QWebSocket *socket, const SendQueueLimits &sendQueue, Handler &handler,
                     PushStore &store, PushWriter &writer, PendingWrites &pending,
                     const PushLimits &limits, const EndpointUrl &endpointUrl,
                     QObject *parent = nullptr);
    ~DeviceConnection() override;

    QString uaid() const { return m_uaid; }
    // A push just accepted (numbered, its commit still pending): sent at once if every
    // older message went out and the window has room; false if it will come from push.db.
    bool offer(const PushStore::Message &message);
    // Sends stored messages while the window has room, if some may not have been sent.
    void pump();
    // A message for this device was committed to the store (by this node or, told
    // over the bus, another): sent now unless this connection already sent it.
    void stored(const QString &version);
    // Some stored message may not have been sent (notices were lost while Redis was
    // away): read the store again at the next keepalive (spread over a second).
    void recheckSoon() { m_behind = true; }
    // TTL 0: straight to the socket, never stored; false if the socket cannot take it.
    bool sendDirect(const PushStore::Message &message);
    // Another connection with the same uaid took over.
    void replace();

    // Called about once a second by the role's sweep (no timers per connection:
    // they cost memory and timer churn at 20k idle devices): the hello timeout,
    // the server's WebSocket ping and the dead-peer check. nowMs: monotonicMs().
    void keepalive(qint64 nowMs);
    static qint64 monotonicMs();

private:
    void onText(const QString &text);
    void handle(const QString &text);
    // A queued change was committed: handle the frames that waited for it.
    void resume();
    void welcome();
    void replyRegister(const QString &channelId, int status, const QJsonObject &extra = {});
    void onHello(const QJsonObject &msg);
    // The hello's new uaid, once the peer's address may have one.
    void addNewDevice();
    void onRegister(const QJsonObject &msg);
    void onUnregister(const QJsonObject &msg);
    void onAck(const QJsonObject &msg);
    void onNack(const QJsonObject &msg);
    void onPing();
    void acknowledged(const QString &version);
    void sendNotification(const PushStore::Message &message);
    void send(const QJsonObject &msg);
    void closeWith(int code, const QString &reason);

    QWebSocket *const m_socket; // our child: lives as long as we do
    PushStore &m_store;
    PushWriter &m_writer;
    PendingWrites &m_pending;
    Handler &m_handler;
    const PushLimits &m_limits;
    const EndpointUrl &m_endpointUrl;
    QString m_uaid;
    bool m_behind = true;           // the store may hold messages not sent yet
    bool m_busy = false;            // a change of this connection is being committed
    QStringList m_held;             // frames that arrived meanwhile
    QSet<QString> m_inFlight;       // stored messages sent, not acked
    QSet<QString> m_inFlightDirect; // TTL 0 messages sent, not acked
    QElapsedTimer m_sinceDevicePing;
    qint64 m_connectedAtMs = 0;
    qint64 m_lastPingMs = 0;
    qint64 m_pingOutstandingSinceMs = 0; // 0: nothing heard owed
    SendQueueLimits m_sendQueue;         // the listener's
    bool m_sendQueueFull = false;
};

} // namespace softphone::server::push
