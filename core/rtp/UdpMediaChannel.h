#pragma once
// One call's voice, end to end encrypted on every path: ICE finds a UDP path
// (IceAgent), DTLS-SRTP keys it with the fingerprints from signaling
// (DtlsSrtpTransport), the voice pipeline's MediaFrames go out as SRTP (Opus
// in RTP, RFC 7587) and come back as MediaFrames, and RTCP reports
// (RtcpSession) give the loss the peer saw and the round trip. The same DTLS
// records and SRTP/SRTCP packets go over the calling service's WebSocket relay
// when that is the path (setRelay/useRelay/relayDatagramReceived): one DTLS
// association per call, whichever path it ran on. Without ICE
// (Settings::useIce false) the relay is the only path. The signaling carries
// localDescription() and the trickled candidates, and hands back the peer's.

#include "DtlsCertificate.h"
#include "DtlsSrtpTransport.h"
#include "IceAgent.h"
#include "RtcpSession.h"
#include "media/MediaFrame.h"

#include <QObject>
#include <QTimer>
#include <functional>
#include <memory>

namespace softphone::rtp {

class UdpMediaChannel : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        IceAgent::Settings ice;
        DtlsSrtpTransport::Settings dtls;
        int reportIntervalMs = int(RtcpSession::kReportIntervalUs / 1000);
        quint8 payloadType = 111;
        quint8 telephoneEventPayloadType = 0; // keypad events taken on this type (0: none)
        bool useIce = true; // false: the WebSocket relay only (no ICE credentials offered)
    };
    // Sends one datagram (a DTLS record, an SRTP or SRTCP packet) as one binary
    // frame on the calling WebSocket; false when it cannot go out now.
    using RelaySender = std::function<bool(const QByteArray &datagram)>;

    // What the offer or answer carries about this endpoint.
    struct Description
    {
        IceAgent::Credentials ice;
        QString fingerprint; // sha-256 of our DTLS certificate
    };

    enum class State { New, Connecting, Connected, Failed, Closed };
    Q_ENUM(State)

    // The caller controls ICE and is the DTLS server (a=setup:actpass; the
    // answerer is active).
    UdpMediaChannel(bool caller, std::shared_ptr<const DtlsCertificate> certificate,
                    const Settings &settings, QObject *parent = nullptr);
    ~UdpMediaChannel() override;

    bool start(QString *error = nullptr);
    Description localDescription() const;
    // The peer's description; new ICE credentials later mean it restarted ICE.
    // Empty ICE credentials: the peer takes only the relay (ICE stops here).
    void setRemoteDescription(const Description &remote);
    // The WebSocket relay: where datagrams go while it is the path, and what
    // arrives on it. useRelay(true) also starts DTLS there if no path has yet.
    void setRelay(RelaySender sender) { m_relaySend = std::move(sender); }
    void useRelay(bool relay);
    void relayDatagramReceived(const QByteArray &datagram);
    bool addRemoteCandidate(const QString &line, const QString &ufrag, QString *error = nullptr);
    void setRemoteGatheringDone();
    void restart();
    // BYE and close_notify; nothing more goes out.
    void close();

    // The payload type the peer takes keypad events on (its `media`); 0: none,
    // then a telephone-event frame is not sent.
    void setPeerTelephoneEvent(quint8 payloadType) { m_peerTelephoneEvent = payloadType; }
    // One 20 ms frame of SendStream (voice or a telephone event); false (not
    // sent) until connected.
    bool sendFrame(const media::MediaFrame &frame);

    State state() const { return m_state; }
    // p2p, turn-udp or turn-tcp once a pair is selected; empty before.
    QString path() const;
    const RtcpSession &rtcp() const { return m_rtcp; }
    // SRTP/SRTCP packets refused (altered, replayed, wrongly keyed) so far.
    quint64 refusedPackets() const { return m_dtls ? m_dtls->refusedPackets() : 0; }
    std::optional<SrtpProfile> profile() const { return m_dtls ? m_dtls->profile() : std::nullopt; }
    IceAgent &ice() { return m_ice; }
    const IceAgent &ice() const { return m_ice; }

signals:
    void localCandidate(const QString &line, const QString &ufrag);
    void localGatheringDone();
    void localDescriptionChanged(); // after an ICE restart: signal it again
    void connected();
    void failed(const QString &why);
    void frameReceived(const softphone::media::MediaFrame &frame);
    void remoteHungUp(); // RTCP BYE from the peer

private:
    class PathTransport;
    void onIceState(IceAgent::State state);
    bool sendOnPath(const QByteArray &datagram);
    void startDtls();
    void onRtp(const QByteArray &rtp);
    void onRtcp(const QByteArray &rtcp);
    void sendReport();
    void fail(const QString &why);
    static qint64 nowUs();

    bool m_caller;
    std::shared_ptr<const DtlsCertificate> m_certificate;
    Settings m_settings;
    IceAgent m_ice;
    std::unique_ptr<PathTransport> m_transport; // what DTLS runs on: ICE or the relay
    RelaySender m_relaySend;
    bool m_relay = false;
    quint8 m_peerTelephoneEvent = 0;
    std::unique_ptr<DtlsSrtpTransport> m_dtls;
    QString m_remoteFingerprint;
    RtcpSession m_rtcp;
    QTimer m_reportTimer;
    State m_state = State::New;
};

} // namespace softphone::rtp
