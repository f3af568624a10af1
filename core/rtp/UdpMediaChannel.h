#pragma once
// One call's voice over UDP, assembled: ICE finds the path (IceAgent),
// DTLS-SRTP keys it with the fingerprints from signaling (DtlsSrtpTransport),
// the voice pipeline's MediaFrames go out as SRTP (Opus in RTP, RFC 7587) and
// come back as MediaFrames, and RTCP reports (RtcpSession) give the loss the
// peer saw and the round trip. What a call's MediaSession needs besides the
// WebSocket path; the signaling carries localDescription() and the trickled
// candidates, and hands back the peer's.

#include "DtlsCertificate.h"
#include "DtlsSrtpTransport.h"
#include "IceAgent.h"
#include "RtcpSession.h"
#include "media/MediaFrame.h"

#include <QObject>
#include <QTimer>
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
    };

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
    void setRemoteDescription(const Description &remote);
    bool addRemoteCandidate(const QString &line, const QString &ufrag, QString *error = nullptr);
    void setRemoteGatheringDone();
    void restart();
    // BYE and close_notify; nothing more goes out.
    void close();

    // One 20 ms frame of SendStream; false (not sent) until connected.
    bool sendFrame(const media::MediaFrame &frame);

    State state() const { return m_state; }
    // p2p, turn-udp or turn-tcp once a pair is selected; empty before.
    QString path() const;
    const RtcpSession &rtcp() const { return m_rtcp; }
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
    void onIceState(IceAgent::State state);
    void onRtp(const QByteArray &rtp);
    void onRtcp(const QByteArray &rtcp);
    void sendReport();
    void fail(const QString &why);
    static qint64 nowUs();

    bool m_caller;
    std::shared_ptr<const DtlsCertificate> m_certificate;
    Settings m_settings;
    IceAgent m_ice;
    std::unique_ptr<DtlsSrtpTransport> m_dtls;
    QString m_remoteFingerprint;
    RtcpSession m_rtcp;
    QTimer m_reportTimer;
    State m_state = State::New;
};

} // namespace softphone::rtp
