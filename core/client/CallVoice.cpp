#include "CallVoice.h"

#include <utility>

namespace softphone::client {

CallMedia *CallVoice::create(const CallMediaLinks &links, QObject *parent)
{
    return new CallVoice(links, parent);
}

CallVoice::CallVoice(const CallMediaLinks &links, QObject *parent)
    : CallMedia(parent)
    , m_relayRoundTripMs(links.relayRoundTripMs)
    , m_path(new MediaPath(links.callId, links.caller, links.udp, links.sendSignal, links.sendRelay,
                           this))
{
    connect(m_path, &MediaPath::frameReceived, this, [this](const QByteArray &frame) {
        if (m_session)
            m_session->receive(frame);
    });
    // 10 ms frames peer to peer when both offered them, 20 ms on a relay.
    connect(m_path, &MediaPath::pathChanged, this, [this] {
        if (m_session)
            m_session->setFrameMs(m_path->sendFrameMs());
    });
}

std::optional<protocol::MediaDescription> CallVoice::prepare(bool peerHasIce)
{
    return m_path->prepare(peerHasIce);
}

void CallVoice::setRemote(const std::optional<protocol::MediaDescription> &remote)
{
    m_path->setRemote(remote);
}

void CallVoice::remoteCandidate(const QString &ufrag, const QString &line)
{
    m_path->remoteCandidate(ufrag, line);
}

void CallVoice::remoteUpdate(const protocol::MediaDescription &media)
{
    m_path->remoteUpdate(media);
}

void CallVoice::relayDatagramReceived(const QByteArray &datagram)
{
    m_path->relayDatagramReceived(datagram);
}

void CallVoice::close()
{
    m_path->close();
}

void CallVoice::start(bool muted)
{
    if (m_session)
        return;
    m_path->setEstablished();
    m_session = new MediaSession(
        // SRTP on the path (UDP, or the relay as the fallback); nothing while
        // UDP is being set up or DTLS is not done.
        [this](const QByteArray &frame) { m_path->sendFrame(frame); },
        [this] {
            const double udp = m_path->roundTripMs();
            return udp >= 0 ? udp : (m_relayRoundTripMs ? m_relayRoundTripMs() : -1.0);
        },
        this);
    m_session->setMuted(muted);
    m_session->setFrameMs(m_path->sendFrameMs());
    m_session->setTelephoneEvents(m_path->peerTakesTelephoneEvents());
    connect(m_session, &MediaSession::digitReceived, this, &CallMedia::digitReceived);
    // The session itself, not m_session: it may report while it is being
    // deleted (closing a sound device runs a nested event loop).
    connect(m_session, &MediaSession::qualityChanged, this, [this, session = m_session] {
        m_quality = session->quality();
        if (const double loss = m_path->remoteLossPercent(); loss >= 0)
            session->setMeasuredLoss(loss);
        emit qualityChanged();
    });
}

void CallVoice::stop()
{
    if (!m_session)
        return;
    // The last figures stay readable; deleting the session closes the app's sink.
    m_session->refreshQuality();
    // No figures from a session on its way out (its timers may still fire
    // while its devices close).
    disconnect(m_session, nullptr, this, nullptr);
    delete std::exchange(m_session, nullptr);
}

void CallVoice::setMuted(bool muted)
{
    if (m_session)
        m_session->setMuted(muted);
}

void CallVoice::setHold(bool byMe, bool byRemote)
{
    if (m_session)
        m_session->setHold(byMe, byRemote);
}

bool CallVoice::sendDigit(QChar digit)
{
    return m_session && m_session->sendDigit(digit);
}

} // namespace softphone::client
