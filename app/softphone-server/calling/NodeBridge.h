#pragma once
// Calls across the nodes of a cluster (--bus): an event for a device goes to
// the node that holds it, over that node's Redis channel `softphone:node:<id>`.
//
// A call lives on one node, its owner: the caller's. The owner's CallRouter
// rings the callee's devices on other nodes through stand-ins (a
// CallingConnection without a socket, see CallingConnection::RemoteLink), so
// the router decides everything for the call, in order, on one event loop:
// the first answer to reach it wins and every other device, here or elsewhere,
// gets answered-elsewhere. The call id is claimed cluster-wide when the call is
// placed (SET softphone:call:<id> <owner> NX PX ...): a second node cannot
// start a call with that id, and a pushed device that reaches any node finds
// the owner of the call it claims there. The owner writes the records of its
// calls again when Redis returns (also of calls placed while it was away).
//
// The device's node keeps, per connection, the calls it is in and their
// owners: what the device sends about such a call (ringing, answer, decline,
// hangup, media signaling, media frames) goes to the owner; what the owner
// sends the stand-in comes back to the device. A device that disconnects is
// reported to the owners of its calls, which end or shrink them as for a local
// connection; an owner that does not answer (no subscriber on its channel)
// ends the call for the device with peer_lost. Every few seconds the nodes of
// ongoing calls are checked the same way, so a node that died mid-call ends
// its calls on the other nodes even when nothing is being sent.
//
// Envelopes (binary-safe, only ever written by nodes): one kind byte, then
// "<user>\n<device>\n<from node>\n" and the body:
//   D  owner -> device's node: a text message for the device
//   E  device's node -> owner: a message from the device (a stand-in's)
//   m  owner -> device's node: a media frame for the device
//   M  device's node -> owner: a media frame from the device
//   L  device's node -> owner: the device is gone (no body)
//   N  any node -> a node holding the user's devices: a message for the user
//      is in the store (device empty, no body)

#include "CallingConnection.h"
#include "DeviceLocations.h"
#include "RateLimiter.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <chrono>
#include <functional>
#include <memory>

namespace softphone::server::bus {
class RedisClient;
class SharedWindowLimiter;
} // namespace softphone::server::bus

namespace softphone::server::calling {

class CallRouter;
class Presence;

class NodeBridge : public QObject, private CallingConnection::RemoteLink
{
    Q_OBJECT
public:
    // How the service routes a message without asking the bridge again, and
    // hands a stand-in's media to the relay / ends a lost stand-in's calls.
    struct Service
    {
        std::function<void(CallingConnection *, const protocol::Message &)> route;
        std::function<void(CallingConnection *, const protocol::Message &)> received;
        std::function<void(CallingConnection *, const QByteArray &)> media;
        std::function<void(CallingConnection *)> lost;
        // Sends the connection the stored messages it has not been sent yet.
        std::function<void(CallingConnection *)> deliverPending;
    };

    NodeBridge(bus::RedisClient &redis, DeviceLocations &locations, const Presence &presence,
               const CallRouter &router, Service service, const QString &node,
               std::chrono::milliseconds callRecordTtl, QObject *parent = nullptr);
    ~NodeBridge() override;

    static QByteArray channel(const QString &node);
    static QByteArray callKey(const QString &callId);
    QString node() const { return m_node; }

    // A message from a local connection. True when the bridge took it: a call
    // waiting for the callee's locations, a text message waiting for its
    // recipients' locations, a message held behind either, an event of
    // a call owned by another node (forwarded there), or a claim of a call this
    // node does not know (its owner is looked up).
    bool intercept(CallingConnection *from, const protocol::Message &message);
    // A media frame from a local connection in a call owned elsewhere: forwarded.
    bool forwardMedia(CallingConnection *from, const QByteArray &frame);
    // A local connection is gone: the owners of its calls hear of it.
    void connectionLost(CallingConnection *connection);
    // A message for `user` was stored here: the nodes holding the user's devices
    // deliver it now (it is in the shared store), not only at their next sign-in.
    void messageStored(const QString &user);
    // The stand-ins the router rings for `user`, while a call to it is placed.
    QList<CallingConnection *> remoteDevices(const QString &user) const;
    // The devices of `user` located on other nodes, while a text message to it
    // is routed (its recipients are looked up first, like a call's callee): the
    // message reaches them there, so they need no push pair.
    QSet<QString> messageDevicesElsewhere(const QString &user) const
    {
        return m_messageElsewhere.value(user);
    }
    // Calls placed count per user on every node too (the router's own limit per
    // node stays in front); not owned, nullptr: per node only.
    void setCallLimiter(bus::SharedWindowLimiter *limiter) { m_callLimiter = limiter; }

private:
    struct Route
    {
        QString callId;
        QString owner;
        // The relay's limit, kept here too: a flood stops before the bus.
        std::shared_ptr<RateLimiter> rate;
    };

    void deliver(CallingConnection *standIn, const QString &text) override;
    void deliverMedia(CallingConnection *standIn, const QByteArray &frame) override;

    void placeCall(CallingConnection *from, const protocol::Message &message);
    void claimRemote(CallingConnection *from, const protocol::Message &message);
    // Looks up where the recipients' devices are, then routes the message.
    void routeMessage(CallingConnection *from, const protocol::Message &message);
    // Ends a hold: routes its messages in order (a held call may hold again).
    void release(CallingConnection *from);
    void publish(const QString &node, char kind, const QString &user, const QString &device,
                 const QByteArray &body, QObject *context = nullptr,
                 std::function<void(bool delivered)> done = {});
    void onBusMessage(const QByteArray &channel, const QByteArray &payload);
    void toDevice(const QString &user, const QString &device, const QString &owner, char kind,
                  const QByteArray &body);
    void fromDevice(const QString &user, const QString &device, const QString &node, char kind,
                    const QByteArray &body);
    // The owner of `callId` did not answer: the device's call ends here.
    void ownerGone(CallingConnection *device, const QString &callId);
    CallingConnection *standIn(const QString &user, const QString &device, const QString &node,
                               bool create);
    void dropStandIn(CallingConnection *standIn);
    // Forgets stand-ins without calls and checks that the nodes of the calls
    // still listen (PUBSUB NUMSUB): a node that died is nodeGone().
    void sweepStandIns();
    void nodeGone(const QString &node);
    // Redis is back (maybe empty): the records of the calls this node owns are
    // written again, so a pushed device's claim on another node finds them.
    void rewriteCallRecords();

    bus::RedisClient &m_redis;
    DeviceLocations &m_locations;
    const Presence &m_presence;
    const CallRouter &m_router;
    Service m_service;
    const QString m_node;
    const std::chrono::milliseconds m_callRecordTtl;

    // Owner side: stand-ins by "user\ndevice\nnode".
    QHash<QString, CallingConnection *> m_standIns;
    bus::SharedWindowLimiter *m_callLimiter = nullptr;
    // The calls placed here (this node owns them), with when their record expires
    // (ms since epoch); forgotten once the router no longer knows them.
    QHash<QString, qint64> m_owned;
    QString m_placingTo; // while a call is handed to the router
    QList<CallingConnection *> m_placing;
    QHash<QString, QSet<QString>> m_messageElsewhere; // while a message is handed on
    QTimer m_sweep;

    // Device side: the calls of each local connection owned elsewhere, and the
    // one of them that carries media.
    QHash<CallingConnection *, QHash<QString, QString>> m_routes; // callId -> owner
    QHash<CallingConnection *, Route> m_media;
    // Connections whose messages wait behind a lookup, in order.
    QHash<CallingConnection *, QList<protocol::Message>> m_held;
};

} // namespace softphone::server::calling
