#include "MediaPath.h"

#include "common/Logging.h"
#include "media/MediaFrame.h"
#include "net/LocalAddressWatch.h"
#include "protocol/Builders.h"
#include "protocol/Limits.h"
#include "rtp/UdpMediaChannel.h"

namespace softphone::client {

MediaPath::MediaPath(const QString &callId, bool caller, const UdpMediaSettings &settings,
                     SignalSender sendSignal, RelaySender sendRelay, QObject *parent)
    : QObject(parent)
    , m_callId(callId)
    , m_caller(caller)
    , m_settings(settings)
    , m_sendSignal(std::move(sendSignal))
    , m_sendRelay(std::move(sendRelay))
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &MediaPath::restartIce);
    m_setupTimer.setSingleShot(true);
    connect(&m_setupTimer, &QTimer::timeout, this, [this] {
        fallBack(QStringLiteral("UDP media not up within %1 s of the answer")
                     .arg(m_settings.setupTimeoutMs / 1000.0));
    });
}

MediaPath::~MediaPath()
{
    close();
}

std::optional<protocol::MediaDescription> MediaPath::prepare(bool peerHasIce)
{
    if (m_channel)
        return std::nullopt;
    QString error;
    auto certificate = rtp::DtlsCertificate::generate(&error);
    if (!certificate) {
        qCWarning(lcCall) << "call" << m_callId << "offers no media (no voice):" << error;
        return std::nullopt;
    }
    rtp::UdpMediaChannel::Settings settings;
    settings.ice = m_settings.ice;
    settings.ice.maxRemoteCandidates = protocol::kMaxCandidatesPerGeneration;
    settings.useIce = m_settings.enabled && peerHasIce;
    settings.telephoneEventPayloadType = quint8(protocol::kTelephoneEventPayloadType);
    m_channel = std::make_unique<rtp::UdpMediaChannel>(m_caller, certificate, settings);
    m_channel->setRelay(m_sendRelay);
    connect(m_channel.get(), &rtp::UdpMediaChannel::localCandidate, this,
            &MediaPath::sendLocalCandidate);
    connect(m_channel.get(), &rtp::UdpMediaChannel::localGatheringDone, this, [this] {
        m_localDone = true;
        sendLocalCandidate({}, m_channel->localDescription().ice.ufrag);
    });
    connect(m_channel.get(), &rtp::UdpMediaChannel::localDescriptionChanged, this, [this] {
        // An ICE restart (ours or the peer's): the new credentials first, then
        // the new generation's candidates.
        m_localDone = false;
        if (!m_remoteSet)
            return;
        const auto local = m_channel->localDescription();
        m_sendSignal(protocol::makeMediaUpdate(
            m_callId, {local.ice.ufrag, local.ice.pwd, local.fingerprint,
                       QString::fromLatin1(m_caller ? "actpass" : "active")}));
    });
    auto onUp = [this] {
        if (m_channel->state() != rtp::UdpMediaChannel::State::Connected ||
            m_channel->ice().state() != rtp::IceAgent::State::Connected)
            return;
        m_setupTimer.stop();
        m_retryTimer.stop();
        m_everUp = true;
        setPath(m_channel->path());
    };
    connect(m_channel.get(), &rtp::UdpMediaChannel::connected, this, onUp);
    connect(&m_channel->ice(), &rtp::IceAgent::stateChanged, this, onUp);
    connect(m_channel.get(), &rtp::UdpMediaChannel::failed, this, &MediaPath::fallBack);
    connect(m_channel.get(), &rtp::UdpMediaChannel::frameReceived, this,
            [this](const media::MediaFrame &frame) { emit frameReceived(frame.encode()); });
    if (!m_channel->start(&error)) {
        qCWarning(lcCall) << "call" << m_callId << "offers no media (no voice):" << error;
        m_channel.reset();
        return std::nullopt;
    }
    const auto local = m_channel->localDescription();
    protocol::MediaDescription media{local.ice.ufrag, local.ice.pwd, local.fingerprint,
                                     QString::fromLatin1(m_caller ? "actpass" : "active"),
                                     protocol::kTelephoneEventPayloadType};
    if (m_settings.shortFrames)
        media.frameMs = {kShortFrameMs};
    return media;
}

int MediaPath::sendFrameMs() const
{
    const bool agreed = m_settings.shortFrames && m_peerShortFrames;
    return agreed && m_path == QLatin1StringView("p2p") ? kShortFrameMs : 20;
}

void MediaPath::setRemote(const std::optional<protocol::MediaDescription> &remote)
{
    m_peerShortFrames = remote && remote->takesFrameMs(kShortFrameMs);
    if (!m_channel || !remote) {
        // Plain frames are not relayed any more: without the peer's DTLS
        // fingerprint nothing can be encrypted for it.
        qCWarning(lcCall) << "call" << m_callId
                          << (m_channel ? "the peer offered no media (DTLS): no voice"
                                        : "has no media endpoint: no voice");
        close();
        setPath(QString::fromLatin1(kWebSocketRelay));
        return;
    }
    m_peerTelephoneEvent = remote->telephoneEvent;
    m_channel->setPeerTelephoneEvent(quint8(remote->telephoneEvent));
    if (!remote->hasIce() || m_channel->localDescription().ice.ufrag.isEmpty()) {
        qCInfo(lcCall) << "call" << m_callId << "takes the WebSocket relay only (no ICE)";
        m_channel->setRemoteDescription({{}, remote->fingerprint});
        setPath(QString::fromLatin1(kWebSocketRelay));
        return;
    }
    m_channel->setRemoteDescription({{remote->iceUfrag, remote->icePwd}, remote->fingerprint});
    m_remoteSet = true;
    // What was gathered while the call rang goes out now, to the one device
    // in the call; the rest trickles.
    const QString ufrag = m_channel->localDescription().ice.ufrag;
    for (const QString &line : m_channel->ice().localCandidates())
        sendLocalCandidate(line, ufrag);
    if (m_localDone)
        sendLocalCandidate({}, ufrag);
    m_setupTimer.start(m_settings.setupTimeoutMs);
    if (m_settings.networkPollMs > 0) {
        m_addressWatch = std::make_unique<net::LocalAddressWatch>(m_settings.networkPollMs);
        connect(m_addressWatch.get(), &net::LocalAddressWatch::changed, this,
                &MediaPath::networkChanged);
        m_addressWatch->start();
    }
}

void MediaPath::networkChanged(const QString &what)
{
    if (!m_channel || m_channel->state() == rtp::UdpMediaChannel::State::Closed)
        return;
    qCInfo(lcCall) << "call" << m_callId << "restarts ICE: the network changed (" << what << ")";
    // The old pair may be gone already: the relay carries the voice until
    // the new generation's pair works (either side may restart; the peer follows).
    if (!m_path.isEmpty() && !usesWebSocket())
        setPath(QString::fromLatin1(kWebSocketRelay));
    restartIce();
}

void MediaPath::setEstablished()
{
    m_established = true;
    if (m_channel)
        m_channel->useRelay(usesWebSocket());
}

void MediaPath::relayDatagramReceived(const QByteArray &datagram)
{
    if (m_channel)
        m_channel->relayDatagramReceived(datagram);
}

void MediaPath::sendLocalCandidate(const QString &line, const QString &ufrag)
{
    if (m_remoteSet && m_channel)
        m_sendSignal(protocol::makeCandidate(m_callId, ufrag, line));
}

void MediaPath::remoteCandidate(const QString &ufrag, const QString &line)
{
    if (!m_channel || !m_remoteSet)
        return;
    if (line.isEmpty()) {
        m_channel->setRemoteGatheringDone();
        return;
    }
    QString why;
    if (!m_channel->addRemoteCandidate(line, ufrag, &why))
        qCInfo(lcCall) << "call" << m_callId << "peer's ICE candidate refused:" << why;
}

void MediaPath::remoteUpdate(const protocol::MediaDescription &media)
{
    if (!m_channel || !m_remoteSet)
        return;
    qCInfo(lcCall) << "call" << m_callId << "peer restarted ICE";
    // Our agent follows (new checks): the voice takes the relay until a
    // new pair works, rather than going nowhere.
    if (!m_path.isEmpty() && !usesWebSocket())
        setPath(QString::fromLatin1(kWebSocketRelay));
    m_channel->setRemoteDescription({{media.iceUfrag, media.icePwd}, media.fingerprint});
}

void MediaPath::restartIce()
{
    if (!m_channel || m_channel->state() == rtp::UdpMediaChannel::State::Closed ||
        m_restarts >= protocol::kMaxIceRestartsPerCall)
        return;
    ++m_restarts;
    qCInfo(lcCall) << "call" << m_callId << "restarts ICE, attempt" << m_restarts;
    m_channel->restart();
    m_retryTimer.start(kRetryMs);
}

void MediaPath::close()
{
    m_setupTimer.stop();
    m_retryTimer.stop();
    if (m_addressWatch)
        m_addressWatch->stop();
    if (m_channel)
        m_channel->close();
}

bool MediaPath::sendFrame(const QByteArray &frame)
{
    if (!m_channel || m_path.isEmpty())
        return false;
    const auto decoded = media::MediaFrame::decode(frame);
    return decoded && m_channel->sendFrame(*decoded);
}

double MediaPath::roundTripMs() const
{
    if (!m_channel || m_path.isEmpty() || usesWebSocket())
        return -1;
    return m_channel->rtcp().remoteView().roundTripMs.value_or(-1);
}

double MediaPath::remoteLossPercent() const
{
    if (!m_channel || m_path.isEmpty() || usesWebSocket())
        return -1;
    return m_channel->rtcp().remoteView().fractionLostPercent;
}

void MediaPath::setPath(const QString &path)
{
    if (m_path == path)
        return;
    qCInfo(lcCall) << "call" << m_callId << "voice path:" << path;
    m_path = path;
    // The relay carries DTLS only once the call is established: before, the
    // client does not send binary frames for it (one call with media).
    if (m_channel)
        m_channel->useRelay(usesWebSocket() && m_established);
    emit pathChanged(path);
}

void MediaPath::fallBack(const QString &why)
{
    if (!m_channel || m_channel->state() == rtp::UdpMediaChannel::State::Closed)
        return;
    qCInfo(lcCall) << "call" << m_callId << "voice over the WebSocket relay:" << why;
    setPath(QString::fromLatin1(kWebSocketRelay));
    // A path that worked and was lost (consent, a new network): the caller
    // restarts ICE now and, while the network is still away, every
    // kRetryMs (bounded); a new working pair brings the voice back to UDP.
    if (m_everUp && m_caller && m_channel->state() != rtp::UdpMediaChannel::State::Failed &&
        !m_retryTimer.isActive())
        restartIce();
}

} // namespace softphone::client
