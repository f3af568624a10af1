#pragma once
// A call's voice as the desktop apps and tests have it (the CallMedia that
// CallVoice::create makes for SoftphoneClient::setCallMedia): the path
// (MediaPath: ICE, DTLS-SRTP, or the WebSocket relay) from the first offer
// and, while the call is established, the MediaSession on it. What Call did
// itself before the media seam; kept apart so that only apps with calls link it.

#include "CallMedia.h"
#include "MediaSession.h"

namespace softphone::client {

class CallVoice : public CallMedia
{
    Q_OBJECT
public:
    // The factory to give SoftphoneClient::setCallMedia.
    static CallMedia *create(const CallMediaLinks &links, QObject *parent);

    CallVoice(const CallMediaLinks &links, QObject *parent = nullptr);

    std::optional<protocol::MediaDescription> prepare(bool peerHasIce) override;
    void setRemote(const std::optional<protocol::MediaDescription> &remote) override;
    void remoteCandidate(const QString &ufrag, const QString &line) override;
    void remoteUpdate(const protocol::MediaDescription &media) override;
    void relayDatagramReceived(const QByteArray &datagram) override;
    void close() override;
    void start(bool muted) override;
    void stop() override;
    MediaSession *session() const override { return m_session; }
    QString path() const override { return m_path->path(); }
    void setMuted(bool muted) override;
    void setHold(bool byMe, bool byRemote) override;
    bool sendDigit(QChar digit) override;
    media::CallQuality quality() const override { return m_quality; }

private:
    std::function<double()> m_relayRoundTripMs;
    MediaPath *m_path;                 // child
    MediaSession *m_session = nullptr; // child; exists while established
    media::CallQuality m_quality;
};

} // namespace softphone::client
