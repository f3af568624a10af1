#include "CallRouter.h"

#include "CallHold.h"
#include "CallingConnection.h"
#include "MediaRelay.h"
#include "MediaSignaling.h"
#include "Presence.h"
#include "PushPayload.h"
#include "PushRegistrationStore.h"
#include "protocol/Builders.h"
#include "protocol/Limits.h"
#include "softphone-server/common/ServerLogging.h"
#include "softphone-server/common/UserDirectory.h"

#include <QDateTime>
#include <QTimer>
#include <algorithm>

namespace softphone::server::calling {

using namespace protocol;

namespace {

// A hard cap so a flood of calls cannot grow memory without bound; far above
// what one ring timeout's worth of calls of a single service reaches.
constexpr qsizetype kRememberedEndedCalls = 200000;
// Ended calls are kept this long past the ring timeout: a late claim (a device
// that relayed its payload just before the deadline) still learns the truth.
constexpr qint64 kEndedMarginMs = 5 * 60 * 1000;

CallError peerLost()
{
    return {QStringLiteral("network"), QStringLiteral("peer_lost"),
            QStringLiteral("the other party's connection was lost")};
}

CallError noDevice()
{
    return {QStringLiteral("capability"), QStringLiteral("no_device"),
            QStringLiteral("the callee has no device that can take calls")};
}

} // namespace

CallRouter::CallRouter(const Presence &presence, const UserDirectory &users,
                       PushRegistrationStore &pushStore, const crypto::EcKey &payloadKey,
                       std::chrono::seconds ringTimeout, QObject *parent)
    : QObject(parent)
    , m_presence(presence)
    , m_users(users)
    , m_pushStore(pushStore)
    , m_payloadKey(payloadKey)
    , m_ringTimeout(ringTimeout)
{}

CallRouter::~CallRouter()
{
    qDeleteAll(m_calls);
}

bool CallRouter::handles(MessageType type)
{
    switch (type) {
    case MessageType::Call:
    case MessageType::Ringing:
    case MessageType::Answer:
    case MessageType::Decline:
    case MessageType::Hangup:
    case MessageType::Claim:
    case MessageType::Transfer:
    case MessageType::TransferReport:
        return true;
    default:
        return MediaSignaling::handles(type) || CallHold::handles(type);
    }
}

void CallRouter::handle(CallingConnection *from, const Message &message)
{
    const QString re = message.requestId();
    if (!from->capabilities().calling) {
        from->sendError(ErrorCode::Capability,
                        QStringLiteral("this device did not declare capability 'calling'"), re);
        return;
    }
    if (message.type == MessageType::Call) {
        onCall(from, message);
        return;
    }
    if (message.type == MessageType::Claim) {
        onClaim(from, message);
        return;
    }
    const QString callId = message.string(QLatin1StringView("callId"));
    RoutedCall *call = m_calls.value(callId);
    // A call this connection is no party of is "not found" for it: ids of other
    // people's calls are not confirmed.
    const bool party =
        call && (call->caller == from || call->answeredBy == from || call->ringing.contains(from));
    if (!party) {
        from->sendError(ErrorCode::NotFound,
                        QStringLiteral("no call '%1' on this device").arg(callId), re);
        return;
    }
    switch (message.type) {
    case MessageType::Ringing:
        onRinging(from, *call);
        break;
    case MessageType::Answer:
        onAnswer(from, *call, message);
        break;
    case MessageType::Decline:
        onDecline(from, *call, re);
        break;
    case MessageType::Hangup:
        onHangup(from, *call, re);
        break;
    case MessageType::Transfer:
        onTransfer(from, *call, message);
        break;
    case MessageType::TransferReport:
        onTransferReport(from, *call, message);
        break;
    default:
        if (MediaSignaling::handles(message.type))
            MediaSignaling::handle(from, *call, message, m_echoMedia);
        else if (CallHold::handles(message.type) && CallHold::handle(from, *call, message))
            // Resumed: its voice takes the parties' WebSocket relay back from
            // a call answered meanwhile (one call with media per connection).
            Q_EMIT mediaStarted(call->id, call->caller, call->answeredBy);
        break;
    }
}

void CallRouter::onCall(CallingConnection *from, const Message &message)
{
    const QString re = message.requestId();
    const QString callId = message.string(QLatin1StringView("callId"));
    const QString to = message.string(QLatin1StringView("to"));
    // Each call costs a signature per pushed device and a reply to match: bound
    // them per user (all devices together) and per connection.
    if (!admitCall(from->user())) {
        from->sendError(ErrorCode::RateLimited,
                        QStringLiteral("more than %1 calls per second from user '%2'; wait and "
                                       "call again")
                            .arg(m_callRatePerSecond)
                            .arg(from->user()),
                        re);
        return;
    }
    if (refuseOverCallCap(from, re))
        return;
    if (m_calls.contains(callId) || m_ended.contains(callId)) {
        from->sendError(ErrorCode::InvalidState,
                        QStringLiteral("call id '%1' is already used").arg(callId), re);
        return;
    }
    if (to == QLatin1StringView(kEchoUserId)) {
        // The reserved echo user: the service answers at once (docs/protocol.md "Media").
        auto *call = new RoutedCall{.id = callId, .from = from->user(), .to = to};
        call->state = RoutedCall::State::Established;
        call->caller = from;
        m_calls.insert(callId, call);
        link(from, callId);
        from->send(makeOk(re));
        // The echo is a media endpoint of its own (EchoUser), with ICE when
        // offered: its candidates and restarts then trade like a device's.
        call->callerMedia.description = message.media();
        call->calleeMedia.description =
            m_echoAnswer ? m_echoAnswer(callId, from, message.media()) : std::nullopt;
        from->send(makeEstablished(callId, QString::fromLatin1(kEchoUserId),
                                   call->calleeMedia.description));
        Q_EMIT mediaStarted(callId, from, nullptr);
        return;
    }
    // Devices on other nodes (with a bus) are online as much as this node's.
    const QList<CallingConnection *> remote =
        m_remoteDevices ? m_remoteDevices(to) : QList<CallingConnection *>{};
    if (!m_presence.isOnline(to) && remote.isEmpty() && !m_users.exists(to)) {
        from->sendError(ErrorCode::UnknownUser, QStringLiteral("no user '%1'").arg(to), re);
        return;
    }
    QList<CallingConnection *> targets;
    for (CallingConnection *device : m_presence.devices(to)) {
        if (device != from && device->capabilities().calling && !device->isClosing())
            targets.append(device);
    }
    targets.append(remote);
    auto *call = new RoutedCall;
    call->id = callId;
    call->from = from->user();
    call->to = to;
    call->headers = message.headers();
    call->video = message.boolean(QLatin1StringView("video"));
    call->caller = from;
    call->ringing = targets;
    call->callerMedia.description = message.media();
    const auto timeoutMs = std::chrono::duration_cast<std::chrono::milliseconds>(m_ringTimeout);
    call->expiresAtMs = QDateTime::currentMSecsSinceEpoch() + timeoutMs.count();
    const QList<PushPair> pairs = pushPairs(*call, from);

    from->send(makeOk(re));
    if (targets.isEmpty() && pairs.isEmpty()) {
        qCInfo(lcServerCalling) << "call" << callId << from->user() << "->" << to << "no device";
        delete call;
        remember(callId, to, EndCause::Failure);
        sendEnded(from, callId, EndCause::Failure, noDevice());
        return;
    }
    for (const PushPair &pair : pairs)
        call->awaitingClaim.append(pair.device);
    call->pushed = !pairs.isEmpty();
    call->ringTimer = new QTimer(this);
    call->ringTimer->setSingleShot(true);
    connect(call->ringTimer, &QTimer::timeout, this, [this, callId] { onRingTimeout(callId); });
    call->ringTimer->start(timeoutMs);
    m_calls.insert(callId, call);
    link(from, callId);
    for (CallingConnection *device : targets)
        link(device, callId);

    qCInfo(lcServerCalling) << "call" << callId << from->user() << "->" << to << "ringing"
                            << targets.size() << "device(s), pushing" << pairs.size();
    const QJsonObject incoming = makeIncoming(callId, call->from, call->headers, call->video,
                                              call->expiresAtMs, call->callerMedia.description);
    for (CallingConnection *device : targets)
        device->send(incoming);
    // One push per call, after the ok, so the caller's app relays it at once.
    if (!pairs.isEmpty())
        from->send(makeCallPush(callId, pairs));
}

QList<PushPair> CallRouter::pushPairs(const RoutedCall &call, const CallingConnection *caller) const
{
    QList<PushPair> pairs;
    const QMap<QString, QByteArray> registered = m_pushStore.registrations(call.to);
    const qint64 nowSecs = QDateTime::currentSecsSinceEpoch();
    for (auto it = registered.cbegin(); it != registered.cend(); ++it) {
        // A device with a calling connection rings directly; an agent does not count.
        if (m_presence.hasCallingConnection(call.to, it.key()))
            continue;
        // Connected to another node: rung there through its stand-in.
        if (std::any_of(call.ringing.cbegin(), call.ringing.cend(),
                        [&](const CallingConnection *d) { return d->device() == it.key(); }))
            continue;
        if (call.to == caller->user() && it.key() == caller->device())
            continue;
        PushPayload payload;
        payload.kind = QStringLiteral("call");
        payload.id = call.id;
        payload.from = call.from;
        payload.to = call.to;
        payload.device = it.key();
        payload.pushData = it.value();
        payload.issuedAt = nowSecs;
        payload.expiresAt = (call.expiresAtMs + 999) / 1000;
        payload.video = call.video;
        payload.headers = call.headers;
        const QString signedPayload = payload.sign(m_payloadKey);
        if (signedPayload.isEmpty()) {
            qCWarning(lcServerCalling) << "cannot sign a push payload";
            continue;
        }
        pairs.append({it.key(), signedPayload, it.value()});
        if (pairs.size() >= kMaxPushPairs)
            break;
    }
    return pairs;
}

void CallRouter::onRinging(CallingConnection *from, RoutedCall &call)
{
    if (call.state != RoutedCall::State::Ringing || !call.ringing.contains(from) ||
        call.progressSent)
        return; // late or repeated: harmless, the caller already knows
    call.progressSent = true;
    if (call.caller)
        call.caller->send(makeProgress(call.id));
}

void CallRouter::onAnswer(CallingConnection *from, RoutedCall &call, const Message &message)
{
    const QString re = message.requestId();
    if (call.state != RoutedCall::State::Ringing || !call.ringing.contains(from)) {
        from->sendError(ErrorCode::InvalidState,
                        QStringLiteral("call '%1' is not ringing on this device").arg(call.id), re);
        return;
    }
    if (refuseOverCallCap(from, re))
        return;
    call.state = RoutedCall::State::Established;
    call.answeredBy = from;
    // UDP media only when both offered it; else both use the WebSocket frames.
    if (call.callerMedia.description)
        call.calleeMedia.description = message.media();
    call.ringTimer->stop();
    const QList<CallingConnection *> others = call.ringing;
    call.ringing.clear();
    for (CallingConnection *device : others) {
        if (device != from)
            unlink(device, call.id);
    }
    cancelPushes(call, EndCause::OtherDeviceAnswered);
    qCInfo(lcServerCalling) << "call" << call.id << "answered on" << from->device();
    call.caller->send(makeEstablished(call.id, from->device(), call.calleeMedia.description));
    Q_EMIT mediaStarted(call.id, call.caller, from);
    from->send(makeEstablished(call.id, from->device()));
    for (CallingConnection *device : others) {
        if (device != from)
            sendEnded(device, call.id, EndCause::OtherDeviceAnswered);
    }
}

void CallRouter::onDecline(CallingConnection *from, RoutedCall &call, const QString &re)
{
    if (call.state != RoutedCall::State::Ringing || !call.ringing.contains(from)) {
        from->sendError(ErrorCode::InvalidState,
                        QStringLiteral("call '%1' is not ringing on this device").arg(call.id), re);
        return;
    }
    call.ringing.removeAll(from);
    unlink(from, call.id);
    sendEnded(from, call.id, EndCause::Denied);
    if (call.ringing.isEmpty() && call.awaitingClaim.isEmpty()) {
        qCInfo(lcServerCalling) << "call" << call.id << "declined by every device";
        finish(call.id, EndCause::Denied, {call.caller});
    }
}

void CallRouter::onHangup(CallingConnection *from, RoutedCall &call, const QString &re)
{
    if (call.state == RoutedCall::State::Ringing) {
        if (from == call.caller) {
            QList<CallingConnection *> notify = call.ringing;
            notify.prepend(call.caller);
            finish(call.id, EndCause::Canceled, notify);
        } else {
            // An unanswered incoming call hung up is a decline (the client model).
            onDecline(from, call, re);
        }
        return;
    }
    finish(call.id, EndCause::HungUp, {call.caller, call.answeredBy});
}

void CallRouter::onClaim(CallingConnection *from, const Message &message)
{
    const QString re = message.requestId();
    const QString callId = message.string(QLatin1StringView("callId"));
    if (RoutedCall *call = m_calls.value(callId); call && call->to == from->user()) {
        if (call->state == RoutedCall::State::Established) {
            sendEnded(from, callId, EndCause::OtherDeviceAnswered);
        } else {
            if (!call->ringing.contains(from) && call->caller != from) {
                // Fork late: the pushed device joins the ringing set like any other.
                call->ringing.append(from);
                link(from, callId);
                call->awaitingClaim.removeAll(from->device());
            }
            if (call->ringing.contains(from))
                from->send(makeIncoming(callId, call->from, call->headers, call->video,
                                        call->expiresAtMs, call->callerMedia.description));
        }
        return;
    }
    if (auto it = m_ended.constFind(callId); it != m_ended.cend() && it->callee == from->user()) {
        sendEnded(from, callId, it->cause);
        return;
    }
    from->sendError(ErrorCode::NotFound, QStringLiteral("no call '%1' for this user").arg(callId),
                    re);
}

namespace {
// The other party of an established call `from` takes part in (null: none,
// or the echo user).
CallingConnection *establishedPeer(const CallingConnection *from, const RoutedCall &call)
{
    if (call.state != RoutedCall::State::Established)
        return nullptr;
    return from == call.caller ? call.answeredBy
                               : (from == call.answeredBy ? call.caller : nullptr);
}
} // namespace

void CallRouter::onTransfer(CallingConnection *from, RoutedCall &call, const Message &message)
{
    const QString re = message.requestId();
    const QString to = message.string(QLatin1StringView("to"));
    CallingConnection *peer = establishedPeer(from, call);
    if (!peer) {
        from->sendError(ErrorCode::InvalidState,
                        QStringLiteral("call '%1' is not in progress with another user on this "
                                       "device: only such a call can be transferred")
                            .arg(call.id),
                        re);
        return;
    }
    if (to != QLatin1StringView(kEchoUserId) && !m_presence.isOnline(to) && !m_users.exists(to)) {
        from->sendError(ErrorCode::UnknownUser, QStringLiteral("no user '%1'").arg(to), re);
        return;
    }
    // Attended transfer: `replaces` names the sender's own call with `to`,
    // which the new call takes over (the id is what the new callee checks).
    const QString replaces = message.string(QLatin1StringView("replaces"));
    if (!replaces.isEmpty()) {
        const RoutedCall *other = m_calls.value(replaces);
        const bool usable = other && other != &call &&
                            other->state == RoutedCall::State::Established &&
                            ((other->caller == from && other->to == to) ||
                             (other->answeredBy == from && other->from == to));
        if (!usable) {
            from->sendError(ErrorCode::InvalidState,
                            QStringLiteral("call '%1' is not in progress with '%2' on this "
                                           "device: an attended transfer replaces such a call")
                                .arg(replaces, to),
                            re);
            return;
        }
    }
    qCInfo(lcServerCalling) << "call" << call.id << "transferred by" << from->user() << "to" << to
                            << (replaces.isEmpty() ? "" : "replacing") << replaces;
    from->send(makeOk(re));
    peer->send(makeTransferRequest(call.id, to, from->user(), replaces));
}

void CallRouter::onTransferReport(CallingConnection *from, RoutedCall &call, const Message &message)
{
    const QString re = message.requestId();
    CallingConnection *peer = establishedPeer(from, call);
    if (!peer) {
        from->sendError(ErrorCode::InvalidState,
                        QStringLiteral("call '%1' is not in progress with another user on this "
                                       "device: nobody to report a transfer to")
                            .arg(call.id),
                        re);
        return;
    }
    const bool ok = message.boolean(QLatin1StringView("ok"));
    qCInfo(lcServerCalling) << "call" << call.id << "transfer report from" << from->user()
                            << (ok ? "connected" : "failed");
    from->send(makeOk(re));
    peer->send(makeTransferResult(call.id, ok, message.string(QLatin1StringView("cause"))));
}

void CallRouter::cancelPushes(RoutedCall &call, EndCause cause)
{
    if (!call.pushed || !m_pushedCallEnded)
        return;
    call.pushed = false; // once per call
    PushPayload cancel;
    cancel.kind = QStringLiteral("cancel");
    cancel.id = call.id;
    cancel.from = call.from;
    cancel.to = call.to;
    cancel.issuedAt = QDateTime::currentSecsSinceEpoch();
    cancel.expiresAt = cancel.issuedAt + kEndedMarginMs / 1000;
    m_pushedCallEnded(call.id, cause, cancel.sign(m_payloadKey));
}

void CallRouter::onRingTimeout(const QString &callId)
{
    RoutedCall *call = m_calls.value(callId);
    if (!call || call->state != RoutedCall::State::Ringing)
        return;
    qCInfo(lcServerCalling) << "call" << callId << "not answered in" << m_ringTimeout.count()
                            << "s";
    QList<CallingConnection *> notify = call->ringing;
    notify.prepend(call->caller);
    finish(callId, EndCause::NoAnswer, notify);
}

void CallRouter::connectionLost(CallingConnection *connection)
{
    const QSet<QString> ids = m_callsOf.take(connection);
    for (const QString &id : ids) {
        RoutedCall *call = m_calls.value(id);
        if (!call)
            continue;
        if (call->caller == connection) {
            call->caller = nullptr;
            if (call->state == RoutedCall::State::Ringing)
                finish(call->id, EndCause::Canceled, call->ringing);
            else
                finish(call->id, EndCause::Failure, {call->answeredBy}, peerLost());
        } else if (call->answeredBy == connection) {
            call->answeredBy = nullptr;
            finish(call->id, EndCause::Failure, {call->caller}, peerLost());
        } else {
            // It stops ringing there; the call goes on elsewhere until the ring timeout.
            call->ringing.removeAll(connection);
        }
    }
}

void CallRouter::finish(const QString &callId, EndCause cause,
                        const QList<CallingConnection *> &notify,
                        const std::optional<CallError> &error)
{
    RoutedCall *call = m_calls.take(callId);
    if (!call)
        return;
    Q_EMIT callRemoved(callId);
    unlink(call->caller, callId);
    unlink(call->answeredBy, callId);
    for (CallingConnection *device : std::as_const(call->ringing))
        unlink(device, callId);
    for (CallingConnection *party : notify) {
        if (party)
            sendEnded(party, callId, cause, cause == EndCause::Failure ? error : std::nullopt);
    }
    remember(callId, call->to, cause);
    if (call->state == RoutedCall::State::Ringing)
        cancelPushes(*call, cause);
    delete call->ringTimer;
    delete call;
}

void CallRouter::remember(const QString &callId, const QString &callee, EndCause cause)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_ended.insert(callId, {callee, cause, now});
    m_endedOrder.enqueue(callId);
    const qint64 keepMs =
        std::chrono::duration_cast<std::chrono::milliseconds>(m_ringTimeout).count() +
        kEndedMarginMs;
    while (!m_endedOrder.isEmpty()) {
        const auto oldest = m_ended.constFind(m_endedOrder.head());
        const bool stale = oldest == m_ended.cend() || now - oldest->atMs > keepMs;
        if (!stale && m_endedOrder.size() <= kRememberedEndedCalls)
            break;
        m_ended.remove(m_endedOrder.dequeue());
    }
}

bool CallRouter::admitCall(const QString &user)
{
    // Forget users whose bucket is full again, whenever the table doubled.
    if (m_callRates.size() >= m_callRatesPruneAt) {
        for (auto it = m_callRates.begin(); it != m_callRates.end();)
            it = it->second.isIdle() ? m_callRates.erase(it) : std::next(it);
        m_callRatesPruneAt = std::max<size_t>(1024, 2 * m_callRates.size());
    }
    auto it = m_callRates.try_emplace(user, m_callRatePerSecond, m_callRateBurst).first;
    return it->second.take() == RateLimiter::Verdict::Accept;
}

bool CallRouter::refuseOverCallCap(CallingConnection *from, const QString &re) const
{
    if (ownCalls(from) < kMaxCallsPerConnection)
        return false;
    from->sendError(ErrorCode::TooManyCalls,
                    QStringLiteral("at most %1 calls at once on one connection; hang one up first")
                        .arg(kMaxCallsPerConnection),
                    re);
    return true;
}

int CallRouter::ownCalls(CallingConnection *connection) const
{
    int count = 0;
    for (const QString &id : m_callsOf.value(connection)) {
        const RoutedCall *call = m_calls.value(id);
        if (call && (call->caller == connection || call->answeredBy == connection))
            ++count;
    }
    return count;
}

void CallRouter::link(CallingConnection *connection, const QString &callId)
{
    if (connection)
        m_callsOf[connection].insert(callId);
}

void CallRouter::unlink(CallingConnection *connection, const QString &callId)
{
    auto it = m_callsOf.find(connection);
    if (it == m_callsOf.end())
        return;
    it->remove(callId);
    if (it->isEmpty())
        m_callsOf.erase(it);
}

void CallRouter::sendEnded(CallingConnection *to, const QString &callId, EndCause cause,
                           const std::optional<CallError> &error)
{
    to->send(makeEnded(callId, cause, error));
}

} // namespace softphone::server::calling
