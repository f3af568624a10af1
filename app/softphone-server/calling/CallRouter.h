#pragma once
// The call model of docs/protocol.md "Calls": rings every online device of the
// callee, relays progress, lets the first answer win, and ends every call with
// exactly one `ended` per party (denied, canceled, no_answer, hung_up,
// other_device_answered, failure).

#include "Call.h"
#include "Codes.h"
#include "Message.h"

#include <QHash>
#include <QObject>
#include <QQueue>
#include <chrono>

namespace softphone::server::calling {

class CallingConnection;
class Presence;
class UserDirectory;

class CallRouter : public QObject
{
    Q_OBJECT
public:
    CallRouter(const Presence &presence, const UserDirectory &users,
               std::chrono::seconds ringTimeout, QObject *parent = nullptr);
    ~CallRouter() override;

    static bool handles(protocol::MessageType type);
    void handle(CallingConnection *from, const protocol::Message &message);
    // The connection is gone (closed, dropped or replaced): end or shrink its calls.
    void connectionLost(CallingConnection *connection);

    qsizetype activeCalls() const { return m_calls.size(); }

private:
    void onCall(CallingConnection *from, const protocol::Message &message);
    void onRinging(CallingConnection *from, Call &call);
    void onAnswer(CallingConnection *from, Call &call, const QString &re);
    void onDecline(CallingConnection *from, Call &call, const QString &re);
    void onHangup(CallingConnection *from, Call &call, const QString &re);
    void onClaim(CallingConnection *from, const protocol::Message &message);
    void onRingTimeout(const QString &callId);

    // Removes the call: each listed connection gets `ended` with its cause.
    void finish(const QString &callId, protocol::EndCause cause,
                const QList<CallingConnection *> &notify,
                const std::optional<protocol::CallError> &error = std::nullopt);
    void remember(const QString &callId, const QString &callee, protocol::EndCause cause);
    void sendEnded(CallingConnection *to, const QString &callId, protocol::EndCause cause,
                   const std::optional<protocol::CallError> &error = std::nullopt);

    const Presence &m_presence;
    const UserDirectory &m_users;
    const std::chrono::seconds m_ringTimeout;
    QHash<QString, Call *> m_calls;

    // Recently ended calls, so `claim` can tell a late device how its call ended
    // and a call id cannot be reused. Bounded: oldest forgotten first.
    struct Ended
    {
        QString callee;
        protocol::EndCause cause;
    };
    QHash<QString, Ended> m_ended;
    QQueue<QString> m_endedOrder;
};

} // namespace softphone::server::calling
