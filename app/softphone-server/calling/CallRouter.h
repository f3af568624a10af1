#pragma once
// The call model of docs/protocol.md "Calls": rings every online device of the
// callee, relays progress, lets the first answer win, and ends every call with
// exactly one `ended` per party (denied, canceled, no_answer, hung_up,
// other_device_answered, failure).

#include "MediaSignaling.h"
#include "RoutedCall.h"
#include "protocol/Codes.h"
#include "protocol/Message.h"

#include "RateLimiter.h"
#include "crypto/EcKey.h"
#include "protocol/Limits.h"

#include <QHash>
#include <QObject>
#include <QQueue>
#include <QSet>
#include <chrono>
#include <functional>
#include <unordered_map>

namespace softphone::server {
class UserDirectory;
}

namespace softphone::server::calling {

class CallingConnection;
class Presence;
class PushRegistrationStore;

class CallRouter : public QObject
{
    Q_OBJECT
public:
    // A call that sent push pairs ended without an answer (canceled, no_answer,
    // denied, failure): the push fan-out sends cancelPayload (t "cancel") to the devices
    // it pushed, under the same Topic, so a ring still queued is replaced.
    using PushedCallEnded = std::function<void(const QString &callId, protocol::EndCause cause,
                                               const QString &cancelPayload)>;

    CallRouter(const Presence &presence, const UserDirectory &users,
               PushRegistrationStore &pushStore, const crypto::EcKey &payloadKey,
               std::chrono::seconds ringTimeout, QObject *parent = nullptr);
    ~CallRouter() override;

    static bool handles(protocol::MessageType type);
    void handle(CallingConnection *from, const protocol::Message &message);
    // The connection is gone (closed, dropped or replaced): end or shrink its
    // calls. Visits only that connection's calls (an index), not every call.
    void connectionLost(CallingConnection *connection);

    qsizetype activeCalls() const { return m_calls.size(); }
    // Whether the connection is a party of a call here (caller, ringing or answered).
    bool hasCalls(CallingConnection *connection) const { return m_callsOf.contains(connection); }
    // Whether the call is going on or ended lately here.
    bool knows(const QString &callId) const
    {
        return m_calls.contains(callId) || m_ended.contains(callId);
    }
    // With a bus (NodeBridge): the callee's devices on other nodes, rung with its own.
    using RemoteDevices = std::function<QList<CallingConnection *>(const QString &user)>;
    void setRemoteDevices(RemoteDevices remoteDevices)
    {
        m_remoteDevices = std::move(remoteDevices);
    }
    // The per-user call rate (default kCallsPerUserPerSecond, burst kCallsPerUserBurst).
    void setUserCallRate(int perSecond, int burst)
    {
        m_callRatePerSecond = perSecond;
        m_callRateBurst = burst;
    }
    int userCallsPerSecond() const { return m_callRatePerSecond; }
    int userCallBurst() const { return m_callRateBurst; }

Q_SIGNALS:
    // For MediaRelay: the call now carries media (callee null = the echo user),
    // and the call is gone.
    void mediaStarted(const QString &callId, CallingConnection *caller, CallingConnection *callee);
    void callRemoved(const QString &callId);

public:
    void setPushedCallEndedHandler(PushedCallEnded handler)
    {
        m_pushedCallEnded = std::move(handler);
    }
    // The echo user's `media` for `established` (EchoUser::answer).
    using EchoAnswer = std::function<std::optional<protocol::MediaDescription>(
        const QString &callId, CallingConnection *caller,
        const std::optional<protocol::MediaDescription> &offer)>;
    void setEchoAnswerHandler(EchoAnswer handler) { m_echoAnswer = std::move(handler); }
    // Where an echo call's candidates and ICE restarts go (EchoUser).
    void setEchoMedia(EchoMedia echoMedia) { m_echoMedia = std::move(echoMedia); }

private:
    void onCall(CallingConnection *from, const protocol::Message &message);
    void onRinging(CallingConnection *from, RoutedCall &call);
    void onAnswer(CallingConnection *from, RoutedCall &call, const protocol::Message &message);
    void onDecline(CallingConnection *from, RoutedCall &call, const QString &re);
    void onHangup(CallingConnection *from, RoutedCall &call, const QString &re);
    void onClaim(CallingConnection *from, const protocol::Message &message);
    // Blind transfer: forwarded to the other party, who places the new call.
    void onTransfer(CallingConnection *from, RoutedCall &call, const protocol::Message &message);
    // Attended transfer: the transferee's report, forwarded to the transferor.
    void onTransferReport(CallingConnection *from, RoutedCall &call,
                          const protocol::Message &message);
    void onRingTimeout(const QString &callId);

    // Removes the call: each listed connection gets `ended` with its cause.
    void finish(const QString &callId, protocol::EndCause cause,
                const QList<CallingConnection *> &notify,
                const std::optional<protocol::CallError> &error = std::nullopt);
    void remember(const QString &callId, const QString &callee, protocol::EndCause cause);
    // The call stops ringing unanswered here (or was answered elsewhere): tell
    // the relay to replace the pushed rings with a cancel.
    void cancelPushes(RoutedCall &call, protocol::EndCause cause);
    // Pairs for the callee's registered devices that have no calling connection.
    QList<protocol::PushPair> pushPairs(const RoutedCall &call,
                                        const CallingConnection *caller) const;
    void sendEnded(CallingConnection *to, const QString &callId, protocol::EndCause cause,
                   const std::optional<protocol::CallError> &error = std::nullopt);
    // The per-user call rate over all of a user's connections; false = refused.
    bool admitCall(const QString &user);
    // Calls the connection placed or answered that are ringing or established.
    int ownCalls(CallingConnection *connection) const;
    // At kMaxCallsPerConnection: error too_many_calls to `from`, true.
    bool refuseOverCallCap(CallingConnection *from, const QString &re) const;
    // The index of calls per connection (caller, ringing device, answering device).
    void link(CallingConnection *connection, const QString &callId);
    void unlink(CallingConnection *connection, const QString &callId);

    const Presence &m_presence;
    const UserDirectory &m_users;
    PushRegistrationStore &m_pushStore;
    const crypto::EcKey m_payloadKey;
    const std::chrono::seconds m_ringTimeout;
    PushedCallEnded m_pushedCallEnded;
    RemoteDevices m_remoteDevices;
    EchoAnswer m_echoAnswer;
    EchoMedia m_echoMedia;
    QHash<QString, RoutedCall *> m_calls;
    QHash<CallingConnection *, QSet<QString>> m_callsOf;
    std::unordered_map<QString, RateLimiter> m_callRates; // per user; idle ones are forgotten
    size_t m_callRatesPruneAt = 1024;
    int m_callRatePerSecond = protocol::kCallsPerUserPerSecond;
    int m_callRateBurst = protocol::kCallsPerUserBurst;

    // Recently ended calls, so `claim` can tell a late device how its call ended
    // and a call id cannot be reused. Kept at least as long as a payload for the
    // call is valid (the ring timeout) plus a margin; oldest forgotten first.
    struct Ended
    {
        QString callee;
        protocol::EndCause cause;
        qint64 atMs = 0;
    };
    QHash<QString, Ended> m_ended;
    QQueue<QString> m_endedOrder;
};

} // namespace softphone::server::calling
