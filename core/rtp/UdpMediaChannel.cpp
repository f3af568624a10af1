#include "UdpMediaChannel.h"

#include "OpusRtp.h"
#include "PacketKind.h"
#include "RtpLogging.h"
#include "crypto/Random.h"
#include "media/TelephoneEvent.h"

#include <QtEndian>
#include <chrono>

namespace softphone::rtp {

namespace {
quint32 randomSsrc()
{
    const QByteArray bytes = crypto::randomBytes(4);
    return qFromBigEndian<quint32>(bytes.constData());
}
} // namespace

// The one DatagramTransport of the call's DTLS association: over ICE while
// that is connected and chosen, else over the WebSocket relay; it delivers
// what comes from either.
class UdpMediaChannel::PathTransport : public DatagramTransport
{
public:
    explicit PathTransport(UdpMediaChannel *channel)
        : m_channel(channel)
    {}
    bool sendDatagram(const QByteArray &datagram) override
    {
        return m_channel->sendOnPath(datagram);
    }
    void deliver(const QByteArray &datagram) { emit datagramReceived(datagram); }

private:
    UdpMediaChannel *m_channel;
};

UdpMediaChannel::UdpMediaChannel(bool caller, std::shared_ptr<const DtlsCertificate> certificate,
                                 const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_caller(caller)
    , m_certificate(std::move(certificate))
    , m_settings(settings)
    , m_ice(caller ? IceAgent::Role::Controlling : IceAgent::Role::Controlled, settings.ice)
    , m_transport(std::make_unique<PathTransport>(this))
    , m_rtcp(randomSsrc(), crypto::randomToken(12).toLatin1())
{
    connect(&m_ice, &IceAgent::datagramReceived, m_transport.get(), &PathTransport::deliver);
    connect(&m_ice, &IceAgent::localCandidate, this, [this](const QString &line) {
        emit localCandidate(line, m_ice.localCredentials().ufrag);
    });
    connect(&m_ice, &IceAgent::localGatheringDone, this, &UdpMediaChannel::localGatheringDone);
    connect(&m_ice, &IceAgent::localCredentialsChanged, this,
            &UdpMediaChannel::localDescriptionChanged);
    connect(&m_ice, &IceAgent::stateChanged, this, &UdpMediaChannel::onIceState);
    connect(&m_ice, &IceAgent::failed, this, &UdpMediaChannel::fail);
    m_reportTimer.setInterval(m_settings.reportIntervalMs);
    connect(&m_reportTimer, &QTimer::timeout, this, &UdpMediaChannel::sendReport);
}

UdpMediaChannel::~UdpMediaChannel() = default;

qint64 UdpMediaChannel::nowUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

bool UdpMediaChannel::start(QString *error)
{
    if (!m_certificate) {
        if (error)
            *error = QStringLiteral("no DTLS certificate");
        return false;
    }
    if (m_settings.useIce && !m_ice.start(error))
        return false;
    m_state = State::Connecting;
    return true;
}

UdpMediaChannel::Description UdpMediaChannel::localDescription() const
{
    return {m_settings.useIce ? m_ice.localCredentials() : IceAgent::Credentials{},
            m_certificate ? m_certificate->fingerprint() : QString()};
}

void UdpMediaChannel::setRemoteDescription(const Description &remote)
{
    // The fingerprint is fixed for the call: the DTLS association outlives ICE restarts.
    if (m_remoteFingerprint.isEmpty())
        m_remoteFingerprint = remote.fingerprint;
    if (!m_settings.useIce)
        return;
    if (remote.ice.ufrag.isEmpty()) {
        m_ice.close(); // the peer takes only the relay
        return;
    }
    m_ice.setRemoteCredentials(remote.ice);
}

void UdpMediaChannel::useRelay(bool relay)
{
    m_relay = relay;
    if (relay)
        startDtls();
}

void UdpMediaChannel::relayDatagramReceived(const QByteArray &datagram)
{
    // The DTLS server answers the peer's first flight on the relay even
    // before it took the relay itself (its own setup timer may run later).
    if (!m_dtls && m_caller && classifyPacket(datagram) == PacketKind::Dtls)
        startDtls();
    m_transport->deliver(datagram);
}

bool UdpMediaChannel::sendOnPath(const QByteArray &datagram)
{
    if (!m_relay && m_ice.state() == IceAgent::State::Connected)
        return m_ice.sendDatagram(datagram);
    return m_relaySend && m_relaySend(datagram);
}

bool UdpMediaChannel::addRemoteCandidate(const QString &line, const QString &ufrag, QString *error)
{
    return m_ice.addRemoteCandidate(line, ufrag, error);
}

void UdpMediaChannel::setRemoteGatheringDone()
{
    m_ice.setRemoteGatheringDone();
}

void UdpMediaChannel::restart()
{
    m_ice.restart();
}

void UdpMediaChannel::onIceState(IceAgent::State state)
{
    if (state == IceAgent::State::Connected)
        startDtls();
}

void UdpMediaChannel::startDtls()
{
    if (m_dtls || m_remoteFingerprint.isEmpty() || m_state == State::Closed)
        return;
    // The first working path: the one DTLS handshake of the call.
    m_dtls = std::make_unique<DtlsSrtpTransport>(
        m_certificate, m_caller ? DtlsSrtpTransport::Role::Server : DtlsSrtpTransport::Role::Client,
        m_remoteFingerprint, m_transport.get(), m_settings.dtls);
    connect(m_dtls.get(), &DtlsSrtpTransport::connected, this, [this] {
        m_state = State::Connected;
        m_reportTimer.start();
        emit connected();
    });
    connect(m_dtls.get(), &DtlsSrtpTransport::failed, this, &UdpMediaChannel::fail);
    connect(m_dtls.get(), &DtlsSrtpTransport::rtpReceived, this, &UdpMediaChannel::onRtp);
    connect(m_dtls.get(), &DtlsSrtpTransport::rtcpReceived, this, &UdpMediaChannel::onRtcp);
    m_dtls->start();
}

bool UdpMediaChannel::sendFrame(const media::MediaFrame &frame)
{
    if (m_state != State::Connected)
        return false;
    if (frame.telephoneEvent && m_peerTelephoneEvent == 0)
        return false;
    // A telephone event's RTP header is built as the voice's, on its own payload type.
    const RtpPacket packet =
        opus::fromMediaFrame(frame, m_rtcp.localSsrc(),
                             frame.telephoneEvent ? m_peerTelephoneEvent : m_settings.payloadType);
    const QByteArray wire = packet.serialize();
    if (wire.isEmpty() || !m_dtls->sendRtp(wire))
        return false;
    m_rtcp.onRtpSent(packet, nowUs());
    return true;
}

void UdpMediaChannel::onRtp(const QByteArray &rtp)
{
    QString why;
    const auto packet = RtpPacket::parse(rtp, &why);
    std::optional<media::MediaFrame> frame;
    if (packet && m_settings.telephoneEventPayloadType != 0 &&
        packet->payloadType == m_settings.telephoneEventPayloadType) {
        if (media::TelephoneEvent::decode(packet->payload, &why)) {
            frame.emplace();
            frame->telephoneEvent = true;
            frame->marker = packet->marker;
            frame->sequence = packet->sequence;
            frame->timestamp = packet->timestamp;
            frame->payload = packet->payload;
        }
    } else if (packet) {
        frame = opus::toMediaFrame(*packet, m_settings.payloadType, &why);
    }
    if (!frame) {
        qCDebug(lcRtp) << "media packet refused:" << why;
        return;
    }
    m_rtcp.onRtpReceived(*packet, nowUs());
    emit frameReceived(*frame);
}

void UdpMediaChannel::onRtcp(const QByteArray &rtcp)
{
    QString why;
    const auto compound = RtcpCompound::parse(rtcp, &why);
    if (!compound) {
        qCDebug(lcRtp) << "RTCP refused:" << why;
        return;
    }
    const bool byeBefore = m_rtcp.remoteSaidBye();
    m_rtcp.onRtcpReceived(*compound, nowUs());
    if (!byeBefore && m_rtcp.remoteSaidBye())
        emit remoteHungUp();
}

void UdpMediaChannel::sendReport()
{
    // On every path, the relay too (the peer's loss and jitter figures).
    // They once shifted the relay's playout by a frame ~5 s into the call:
    // the service's end of the WebSocket had Nagle's algorithm on, and the
    // report written between two voice frames held the next one back until
    // the client's ACK (docs/media.md "UDP media", RTCP on the relay).
    if (m_state == State::Connected)
        m_dtls->sendRtcp(m_rtcp.makeReport(nowUs()).serialize());
}

QString UdpMediaChannel::path() const
{
    const auto pair = m_ice.selectedPair();
    if (!pair)
        return {};
    if (pair->localType != QLatin1String("relay") && pair->remoteType != QLatin1String("relay"))
        return QStringLiteral("p2p");
    // Our relay's transport is known; a relay only on the peer's side counts as UDP to us.
    return pair->relayTransport == QLatin1String("tcp") ? QStringLiteral("turn-tcp")
                                                        : QStringLiteral("turn-udp");
}

void UdpMediaChannel::close()
{
    if (m_state == State::Closed)
        return;
    if (m_state == State::Connected)
        m_dtls->sendRtcp(m_rtcp.makeBye(nowUs()).serialize());
    m_reportTimer.stop();
    if (m_dtls)
        m_dtls->close();
    m_ice.close();
    m_state = State::Closed;
}

void UdpMediaChannel::fail(const QString &why)
{
    // A lost consent is not the end: restart() can bring the path back, and
    // the DTLS keys stay. The call decides (restart, or the WebSocket path).
    if (m_state == State::Closed)
        return;
    if (!m_dtls || m_dtls->state() == DtlsSrtpTransport::State::Failed)
        m_state = State::Failed;
    emit failed(why);
}

} // namespace softphone::rtp
