#include "EchoUser.h"

#include "CallingConnection.h"
#include "rtp/UdpMediaChannel.h"
#include "softphone-server/common/ServerLogging.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>
#include <deque>

namespace softphone::server::calling {

struct EchoUser::Endpoint
{
    QString callId;
    QPointer<CallingConnection> caller;
    std::unique_ptr<rtp::UdpMediaChannel> channel;
    std::deque<std::pair<qint64, media::MediaFrame>> queue; // arrival time, frame
    QTimer timer;
    QElapsedTimer clock;
};

EchoUser::EchoUser(const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
{}

EchoUser::~EchoUser() = default;

std::optional<protocol::MediaDescription>
EchoUser::answer(const QString &callId, CallingConnection *caller,
                 const std::optional<protocol::MediaDescription> &offer)
{
    if (!offer || !caller) {
        qCInfo(lcServerCalling) << "echo call" << callId
                                << "offered no media: nothing can be echoed";
        return std::nullopt;
    }
    QString error;
    auto certificate = rtp::DtlsCertificate::generate(&error);
    if (!certificate) {
        qCWarning(lcServerCalling) << "echo call" << callId << "has no DTLS certificate:" << error;
        return std::nullopt;
    }
    rtp::UdpMediaChannel::Settings settings;
    settings.useIce = false;
    auto endpoint = std::make_shared<Endpoint>();
    endpoint->callId = callId;
    endpoint->caller = caller;
    endpoint->clock.start();
    endpoint->timer.setSingleShot(true);
    endpoint->timer.setTimerType(Qt::PreciseTimer);
    endpoint->channel =
        std::make_unique<rtp::UdpMediaChannel>(false, std::move(certificate), settings);
    Endpoint *e = endpoint.get();
    endpoint->channel->setRelay([e](const QByteArray &datagram) {
        if (!e->caller || e->caller->isClosing())
            return false;
        e->caller->sendMedia(datagram);
        return true;
    });
    connect(endpoint->channel.get(), &rtp::UdpMediaChannel::frameReceived, this,
            [this, e](const media::MediaFrame &frame) {
                if (e->queue.size() >= size_t(kMaxQueuedFrames))
                    return;
                const bool wasEmpty = e->queue.empty();
                e->queue.emplace_back(e->clock.elapsed(), frame);
                if (wasEmpty)
                    e->timer.start(m_settings.delayMs);
            });
    connect(&endpoint->timer, &QTimer::timeout, this, [this, e] { sendDue(*e); });
    connect(endpoint->channel.get(), &rtp::UdpMediaChannel::failed, this,
            [callId](const QString &why) {
                qCInfo(lcServerCalling) << "echo call" << callId << "media failed:" << why;
            });
    endpoint->channel->start();
    endpoint->channel->setRemoteDescription({{}, offer->fingerprint});
    const QString fingerprint = endpoint->channel->localDescription().fingerprint;
    m_calls.insert(callId, endpoint);
    // The DTLS client's first flight goes after `established`, which the
    // router sends when this returns: the client takes no frame before it.
    QMetaObject::invokeMethod(
        this,
        [this, callId] {
            if (const auto it = m_calls.constFind(callId); it != m_calls.cend())
                (*it)->channel->useRelay(true);
        },
        Qt::QueuedConnection);
    return protocol::MediaDescription{{}, {}, fingerprint, QStringLiteral("active")};
}

void EchoUser::frameReceived(const QString &callId, const QByteArray &frame)
{
    if (const auto it = m_calls.constFind(callId); it != m_calls.cend())
        (*it)->channel->relayDatagramReceived(frame);
}

void EchoUser::sendDue(Endpoint &e)
{
    // Frames are queued at their arrival time and go back delayMs later.
    const qint64 now = e.clock.elapsed();
    while (!e.queue.empty() && e.queue.front().first + m_settings.delayMs <= now) {
        e.channel->sendFrame(e.queue.front().second);
        e.queue.pop_front();
    }
    if (!e.queue.empty())
        e.timer.start(int(std::max<qint64>(0, e.queue.front().first + m_settings.delayMs - now)));
}

void EchoUser::callFinished(const QString &callId)
{
    const auto endpoint = m_calls.take(callId);
    if (endpoint)
        endpoint->channel->close();
}

} // namespace softphone::server::calling
