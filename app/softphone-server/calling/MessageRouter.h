#pragma once
// Messages of docs/protocol.md "Messages": stores each message per recipient
// until the first ack (or 30 days), hands it to the recipient's connected
// devices, produces push pairs for devices that are offline (on every node:
// setDevicesElsewhere), and delivers what
// a device missed when it connects, once per device.

#include "protocol/Message.h"

#include "crypto/EcKey.h"

#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <functional>

namespace softphone::server {
class UserDirectory;
}

namespace softphone::server::calling {

class CallingConnection;
class Presence;
class PushRegistrationStore;
class SqlMessageStore;

class MessageRouter : public QObject
{
    Q_OBJECT
public:
    MessageRouter(const Presence &presence, const UserDirectory &users,
                  PushRegistrationStore &pushStore, SqlMessageStore &messages,
                  const crypto::EcKey &payloadKey, QObject *parent = nullptr);

    static bool handles(protocol::MessageType type);
    void handle(CallingConnection *from, const protocol::Message &message);
    // A device just authenticated: send it what it has not been sent yet, the
    // first batch now and the rest paced (kPendingDeliveryBatch per turn).
    void deliverPending(CallingConnection *connection);
    // With a bus: a message for `user` was stored (the node bridge tells the
    // nodes holding the user's devices to deliver it).
    void setStoredHandler(std::function<void(const QString &user)> stored)
    {
        m_stored = std::move(stored);
    }
    // With a bus: the recipient's devices connected to other nodes while a
    // message is routed (NodeBridge looked them up first). They get the
    // message from their node (setStoredHandler), so no push pair is built
    // for them.
    void setDevicesElsewhere(std::function<QSet<QString>(const QString &user)> elsewhere)
    {
        m_elsewhere = std::move(elsewhere);
    }

private:
    void onMessage(CallingConnection *from, const protocol::Message &message);
    void onAck(CallingConnection *from, const protocol::Message &message);
    // Sends the device's next batch; true when nothing is left after it.
    bool deliverBatch(CallingConnection *connection);
    void deliverBacklogs(); // one batch for each connection with a backlog
    // Devices of the user that can take messages right now.
    QList<CallingConnection *> messagingConnections(const QString &user) const;

    const Presence &m_presence;
    const UserDirectory &m_users;
    PushRegistrationStore &m_pushStore;
    SqlMessageStore &m_messages;
    const crypto::EcKey m_payloadKey;
    QList<QPointer<CallingConnection>> m_backlogs; // connections with more to deliver
    QTimer m_pacer;                                // runs while m_backlogs is not empty
    std::function<void(const QString &user)> m_stored;
    std::function<QSet<QString>(const QString &user)> m_elsewhere;
};

} // namespace softphone::server::calling
