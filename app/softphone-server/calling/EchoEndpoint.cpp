#include "EchoEndpoint.h"

#include "softphone-server/common/ServerLogging.h"

namespace softphone::server::calling {

namespace {
// The connection address of an SDP candidate line ("candidate:<foundation>
// <component> <transport> <priority> <address> <port> typ ...").
QHostAddress candidateAddress(const QString &line)
{
    const QStringList fields = line.split(u' ', Qt::SkipEmptyParts);
    return fields.size() > 5 ? QHostAddress(fields.at(4)) : QHostAddress();
}
} // namespace

EchoEndpoint::EchoEndpoint(const QString &callId,
                           std::shared_ptr<const rtp::DtlsCertificate> certificate,
                           const Settings &settings, Outbox outbox)
    : m_callId(callId)
    , m_certificate(std::move(certificate))
    , m_settings(settings)
    , m_outbox(std::move(outbox))
    , m_sendTimer(this)
    , m_setupTimer(this)
{
    m_sendTimer.setSingleShot(true);
    m_sendTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_sendTimer, &QTimer::timeout, this, &EchoEndpoint::sendDue);
    m_setupTimer.setSingleShot(true);
    connect(&m_setupTimer, &QTimer::timeout, this, [this] {
        if (m_channel && m_channel->state() != rtp::UdpMediaChannel::State::Connected)
            takeRelay(true);
    });
}

EchoEndpoint::~EchoEndpoint()
{
    close();
}

void EchoEndpoint::start(const protocol::MediaDescription &offer)
{
    m_clock.start();
    m_channel = std::make_unique<rtp::UdpMediaChannel>(false, m_certificate, m_settings.channel);
    m_channel->setRelay([this](const QByteArray &datagram) {
        m_outbox.relay(datagram);
        return true;
    });
    connect(m_channel.get(), &rtp::UdpMediaChannel::frameReceived, this,
            [this](const media::MediaFrame &frame) {
                if (m_queue.size() >= size_t(kMaxQueuedFrames))
                    return;
                const bool wasEmpty = m_queue.empty();
                m_queue.emplace_back(m_clock.elapsed(), frame);
                if (wasEmpty)
                    m_sendTimer.start(m_settings.delayMs);
            });
    connect(m_channel.get(), &rtp::UdpMediaChannel::localCandidate, this,
            [this](const QString &line, const QString &ufrag) { m_outbox.candidate(ufrag, line); });
    connect(m_channel.get(), &rtp::UdpMediaChannel::localGatheringDone, this,
            [this] { m_outbox.candidate(m_channel->localDescription().ice.ufrag, {}); });
    connect(m_channel.get(), &rtp::UdpMediaChannel::localDescriptionChanged, this, [this] {
        // The caller restarted ICE and ours followed: its new credentials.
        const auto local = m_channel->localDescription();
        m_outbox.restarted(
            {local.ice.ufrag, local.ice.pwd, local.fingerprint, QStringLiteral("active")});
    });
    connect(&m_channel->ice(), &rtp::IceAgent::datagramReceived, this, [this] {
        takeRelay(false); // the caller's media comes over UDP (again)
    });
    connect(m_channel.get(), &rtp::UdpMediaChannel::failed, this, [this](const QString &why) {
        qCInfo(lcServerCalling) << "echo call" << m_callId << "media:" << why;
        if (!hasIce() || m_iceEnded)
            return;
        takeRelay(true);
        // A lost consent waits for the caller's ICE restart; a generation
        // that never reached a working pair ends the echo's ICE.
        if (!m_channel->ice().selectedPair())
            endIce(why);
    });
    QString error;
    if (!m_channel->start(&error)) {
        qCWarning(lcServerCalling) << "echo call" << m_callId << "media did not start:" << error;
        endIce(error);
        return;
    }
    m_channel->setRemoteDescription({{offer.iceUfrag, offer.icePwd}, offer.fingerprint});
    if (hasIce())
        m_setupTimer.start(m_settings.setupTimeoutMs);
    else
        takeRelay(true); // DTLS at once; its first flight reaches the caller after `established`
}

void EchoEndpoint::takeRelay(bool relay)
{
    if (!m_channel || m_onRelay == relay)
        return;
    m_onRelay = relay;
    qCInfo(lcServerCalling) << "echo call" << m_callId
                            << "voice path:" << (relay ? "ws-relay" : "udp");
    m_channel->useRelay(relay);
}

void EchoEndpoint::endIce(const QString &why)
{
    if (!hasIce() || m_iceEnded)
        return;
    m_iceEnded = true;
    qCInfo(lcServerCalling) << "echo call" << m_callId << "ends its ICE:" << why;
    takeRelay(true);
    if (m_channel)
        m_channel->ice().close();
    m_outbox.iceEnded();
}

void EchoEndpoint::relayDatagramReceived(const QByteArray &datagram)
{
    if (!m_channel)
        return;
    takeRelay(true); // the caller took the relay: the echo answers there
    m_channel->relayDatagramReceived(datagram);
}

void EchoEndpoint::remoteCandidate(const QString &ufrag, const QString &line)
{
    if (!m_channel || !hasIce() || m_iceEnded)
        return;
    if (line.isEmpty()) {
        m_channel->setRemoteGatheringDone();
        return;
    }
    const QHostAddress address = candidateAddress(line);
    if (!m_settings.callerAddress.isNull() &&
        !address.isEqual(m_settings.callerAddress, QHostAddress::ConvertV4MappedToIPv4)) {
        qCDebug(lcServerCalling) << "echo call" << m_callId
                                 << "checks no candidate but the caller's address:"
                                 << address.toString();
        return;
    }
    QString why;
    if (!m_channel->addRemoteCandidate(line, ufrag, &why))
        qCInfo(lcServerCalling) << "echo call" << m_callId << "candidate refused:" << why;
}

void EchoEndpoint::remoteRestart(const protocol::MediaDescription &media)
{
    if (!m_channel || !hasIce() || m_iceEnded)
        return;
    takeRelay(true); // until the new pair works and the caller's voice comes over it
    m_channel->setRemoteDescription({{media.iceUfrag, media.icePwd}, media.fingerprint});
}

void EchoEndpoint::sendDue()
{
    // Frames are queued at their arrival time and go back delayMs later.
    const qint64 now = m_clock.elapsed();
    while (!m_queue.empty() && m_queue.front().first + m_settings.delayMs <= now) {
        m_channel->sendFrame(m_queue.front().second);
        m_queue.pop_front();
    }
    if (!m_queue.empty())
        m_sendTimer.start(
            int(std::max<qint64>(0, m_queue.front().first + m_settings.delayMs - now)));
}

void EchoEndpoint::close()
{
    m_sendTimer.stop();
    m_setupTimer.stop();
    if (m_channel)
        m_channel->close();
}

} // namespace softphone::server::calling
