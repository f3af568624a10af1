#include "MediaRelay.h"

#include "CallingConnection.h"
#include "protocol/Codes.h"
#include "protocol/Limits.h"
#include "softphone-server/common/ServerLogging.h"

namespace softphone::server::calling {

using namespace protocol;

namespace {
constexpr auto kLossSetting = "calling.test_media_loss_percent";
}

MediaRelay::MediaRelay(const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
{
    m_clock.start();
    m_echoTimer.setSingleShot(true);
    m_echoTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_echoTimer, &QTimer::timeout, this, &MediaRelay::sendEchoes);
    if (m_settings.lossPercent > 0)
        qCWarning(lcServerCalling)
            << "TEST ONLY: dropping" << m_settings.lossPercent << "% of relayed media frames";
}

MediaRelay::~MediaRelay() = default;

bool MediaRelay::settingsFrom(const QHash<QString, QString> &options, Settings *settings,
                              QString *error)
{
    const QString key = QLatin1StringView(kLossSetting);
    if (!options.contains(key))
        return true;
    bool ok = false;
    const int percent = options.value(key).toInt(&ok);
    if (!ok || percent < 0 || percent > 100) {
        *error = QStringLiteral("--set %1 needs a whole percentage 0-100, not '%2'")
                     .arg(key, options.value(key));
        return false;
    }
    settings->lossPercent = percent;
    return true;
}

void MediaRelay::callEstablished(const QString &callId, CallingConnection *caller,
                                 CallingConnection *callee)
{
    // One call with media per connection: a newer established call takes over,
    // and the call it took over from loses its route on both sides, so the old
    // peer's frames are not mixed into the new call.
    for (CallingConnection *party : {caller, callee}) {
        const auto it = party ? m_routes.constFind(party) : m_routes.cend();
        if (it != m_routes.cend() && it->callId != callId)
            dropRoutes(it->callId);
    }
    if (caller)
        m_routes.insert(caller, Route{callId, callee, callee == nullptr});
    if (callee)
        m_routes.insert(callee, Route{callId, caller, false});
    m_parties.insert(callId, {caller, callee});
}

void MediaRelay::callFinished(const QString &callId)
{
    // Zero for a call whose voice went over UDP (docs/media.md "UDP media").
    if (m_parties.contains(callId))
        qCInfo(lcServerCalling).noquote()
            << QStringLiteral("call %1 ended: %2 media frames relayed")
                   .arg(callId)
                   .arg(m_relayedOf.value(callId));
    dropRoutes(callId);
}

void MediaRelay::dropRoutes(const QString &callId)
{
    const QList<CallingConnection *> parties = m_parties.take(callId);
    m_relayedOf.remove(callId);
    for (CallingConnection *party : parties) {
        auto it = m_routes.find(party);
        if (it != m_routes.end() && it->callId == callId)
            m_routes.erase(it);
    }
    // Echoes of a call without media any more are not sent.
    std::erase_if(m_echoQueue, [&callId](const Pending &p) { return p.callId == callId; });
}

RateLimiter &MediaRelay::limiterFor(CallingConnection *connection)
{
    auto it = m_limits.find(connection);
    if (it == m_limits.end()) {
        it = m_limits.insert(connection,
                             std::make_shared<RateLimiter>(kMaxFramesPerSecond, kFrameBurst));
        // Forget the connection with it (the router ends its calls separately).
        connect(connection, &QObject::destroyed, this, [this, connection] {
            m_limits.remove(connection);
            m_routes.remove(connection);
        });
    }
    return **it;
}

bool MediaRelay::testLoss()
{
    return m_settings.lossPercent > 0 && int(m_lossRandom.bounded(100)) < m_settings.lossPercent;
}

void MediaRelay::frameReceived(CallingConnection *from, const QByteArray &frame)
{
    switch (limiterFor(from).take()) {
    case RateLimiter::Verdict::Accept:
        break;
    case RateLimiter::Verdict::Warn:
        ++m_stats.droppedRate;
        from->sendError(ErrorCode::RateLimited,
                        QStringLiteral("more than %1 media frames per second; frames are dropped")
                            .arg(kMaxFramesPerSecond));
        return;
    case RateLimiter::Verdict::Drop:
        ++m_stats.droppedRate;
        return;
    case RateLimiter::Verdict::Close:
        ++m_stats.droppedRate;
        from->close(CloseRateLimited, QStringLiteral("media rate limit exceeded"));
        return;
    }
    if (frame.size() > kMaxFrameBytes) {
        // Dropped, not fatal: the rest of the call goes on (counted, logged once in a while).
        if (m_stats.droppedTooLarge++ % 100 == 0)
            qCInfo(lcServerCalling)
                << "media frame of" << frame.size() << "bytes from" << from->user()
                << from->device() << "dropped (max" << kMaxFrameBytes << ")";
        return;
    }
    const auto route = m_routes.constFind(from);
    if (route == m_routes.cend()) {
        ++m_stats.droppedNoCall;
        return;
    }
    if (testLoss()) {
        ++m_stats.droppedTestLoss;
        return;
    }
    ++m_relayedOf[route->callId];
    if (route->echo) {
        const bool wasEmpty = m_echoQueue.empty();
        m_echoQueue.push_back(
            Pending{m_clock.elapsed() + m_settings.echoDelayMs, from, route->callId, frame});
        if (wasEmpty)
            m_echoTimer.start(m_settings.echoDelayMs);
        return;
    }
    if (!route->peer || route->peer->isClosing()) {
        ++m_stats.droppedNoCall;
        return;
    }
    ++m_stats.forwarded;
    route->peer->sendMedia(frame);
}

void MediaRelay::sendEchoes()
{
    const qint64 now = m_clock.elapsed();
    while (!m_echoQueue.empty() && m_echoQueue.front().dueMs <= now) {
        Pending pending = std::move(m_echoQueue.front());
        m_echoQueue.pop_front();
        if (pending.to && !pending.to->isClosing()) {
            ++m_stats.echoed;
            pending.to->sendMedia(pending.frame);
        }
    }
    if (!m_echoQueue.empty())
        m_echoTimer.start(int(std::max<qint64>(0, m_echoQueue.front().dueMs - now)));
}

} // namespace softphone::server::calling
