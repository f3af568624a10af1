#include "MediaRelay.h"

#include "CallingConnection.h"
#include "protocol/Codes.h"
#include "protocol/Limits.h"
#include "softphone-server/common/ServerLogging.h"

#include <QtEndian>

namespace softphone::server::calling {

using namespace protocol;

namespace {
constexpr auto kLossSetting = "calling.test_media_loss_percent";
constexpr auto kDumpSetting = "calling.test_media_dump";
} // namespace

MediaRelay::MediaRelay(const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
{
    if (m_settings.lossPercent > 0)
        qCWarning(lcServerCalling)
            << "TEST ONLY: dropping" << m_settings.lossPercent << "% of relayed media frames";
    if (!m_settings.dumpPath.isEmpty()) {
        qCWarning(lcServerCalling)
            << "TEST ONLY: writing every relayed media frame to" << m_settings.dumpPath;
        m_dump = std::make_unique<QFile>(m_settings.dumpPath);
        if (!m_dump->open(QIODevice::WriteOnly | QIODevice::Truncate))
            m_dump.reset();
    }
}

MediaRelay::~MediaRelay() = default;

bool MediaRelay::settingsFrom(const QHash<QString, QString> &options, Settings *settings,
                              QString *error)
{
    settings->dumpPath = options.value(QLatin1StringView(kDumpSetting));
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
    if (!isRelayable(frame)) {
        // A plain frame (an old client's MediaFrame) or junk: the service
        // relays only what is end to end encrypted (or the DTLS that keys it).
        if (m_stats.droppedNotSrtp++ % 100 == 0)
            qCInfo(lcServerCalling)
                << "media frame from" << from->user() << from->device()
                << "dropped: not DTLS, SRTP or SRTCP (first byte" << quint8(frame.at(0)) << ")";
        return;
    }
    const auto route = m_routes.constFind(from);
    if (route == m_routes.cend()) {
        ++m_stats.droppedNoCall;
        return;
    }
    // The test loss is of voice packets: DTLS has its own retransmissions,
    // and a lost flight would only delay the start by 400 ms or more.
    if (quint8(frame.at(0)) >= 128 && testLoss()) {
        ++m_stats.droppedTestLoss;
        return;
    }
    ++m_relayedOf[route->callId];
    dump(frame);
    if (route->echo) {
        ++m_stats.echoed;
        Q_EMIT echoFrameReceived(route->callId, frame);
        return;
    }
    if (!route->peer || route->peer->isClosing()) {
        ++m_stats.droppedNoCall;
        return;
    }
    ++m_stats.forwarded;
    route->peer->sendMedia(frame);
}

bool MediaRelay::isRelayable(const QByteArray &frame)
{
    if (frame.isEmpty())
        return false;
    const auto first = quint8(frame.at(0));
    if (first >= 20 && first <= 63)
        return frame.size() >= 13; // a DTLS record header
    // An RTP header (12) or an SRTCP one (8 + 4 index), and at least a 4-byte tag.
    return first >= 128 && first <= 191 && frame.size() >= 16;
}

void MediaRelay::dump(const QByteArray &frame)
{
    if (!m_dump || m_dump->size() > kMaxDumpBytes)
        return;
    const quint32 length = qToBigEndian(quint32(frame.size()));
    m_dump->write(reinterpret_cast<const char *>(&length), sizeof length);
    m_dump->write(frame);
    m_dump->flush();
}

} // namespace softphone::server::calling
