#pragma once
// Which path one call's voice takes (docs/media.md "UDP media", fallback
// order): SRTP over UDP through ICE (peer to peer, or a TURN relay over UDP or
// TCP) when both parties offered it, else the calling service's WebSocket
// relay, which carries the same DTLS records and SRTP packets as binary
// frames: the voice is end to end encrypted on every path. Owned by Call. It makes the call's offer
// or answer (`media`), trickles the local candidates once the call is established (never to a
// device that only rang), takes the peer's, and decides per frame: over UDP
// once DTLS-SRTP is up; over the WebSocket when the peer offered nothing,
// when ICE failed, or when UDP is not up within setupTimeoutMs of the answer
// (ICE goes on, and a later success takes the voice back to UDP). A lost
// path (consent lost) falls back at once; the caller restarts ICE, again
// every 10 s while none works (at most 16 times a call). A change of this
// machine's addresses (LocalAddressWatch) restarts ICE at once, on either side.

#include "protocol/MediaDescription.h"
#include "rtp/IceAgent.h"

#include <QJsonObject>
#include <QObject>
#include <QTimer>
#include <functional>
#include <memory>
#include <optional>

namespace softphone::rtp {
class UdpMediaChannel;
}
namespace softphone::net {
class LocalAddressWatch;
}

namespace softphone::client {

struct UdpMediaSettings
{
    bool enabled = true; // false: no ICE; DTLS-SRTP over the WebSocket relay only
    rtp::IceAgent::Settings ice;
    int setupTimeoutMs = 4000; // from the answer to the WebSocket fallback
    // Offer 10 ms Opus frames (docs/media.md "10 ms frames"): used peer to
    // peer when the peer offers them too; 20 ms on every relay.
    bool shortFrames = true;
    // How often the local addresses are looked at during a call with ICE
    // (net::LocalAddressWatch); 0: not at all.
    int networkPollMs = 2000;
};

class MediaPath : public QObject
{
    Q_OBJECT
public:
    // The path names of Call::quality's `path`.
    static constexpr auto kWebSocketRelay = "ws-relay";
    static constexpr int kShortFrameMs = 10;
    // After a lost path, the caller restarts ICE this often until one works.
    static constexpr int kRetryMs = 10000;

    using SignalSender = std::function<void(const QJsonObject &message)>;
    // One binary frame on the calling WebSocket; false when it cannot go now.
    using RelaySender = std::function<bool(const QByteArray &datagram)>;

    MediaPath(const QString &callId, bool caller, const UdpMediaSettings &settings,
              SignalSender sendSignal, RelaySender sendRelay, QObject *parent = nullptr);
    ~MediaPath() override;

    // Makes the DTLS certificate, starts ICE (unless UDP media is off) and
    // returns this endpoint's `media` for the offer (caller) or answer;
    // nullopt when it cannot start (the call then has no voice).
    // peerHasIce false (an answer to an offer without `ice`): no ICE either.
    std::optional<protocol::MediaDescription> prepare(bool peerHasIce = true);
    // The peer's `media` (the answer's in `established`, the offer's when
    // answering); without `ice` the WebSocket relay it is; nullopt: the peer
    // offered none, nothing can be encrypted for it, so no voice.
    void setRemote(const std::optional<protocol::MediaDescription> &remote);
    // The call is established (Call::startMedia): the relay may carry DTLS now.
    void setEstablished();
    // One binary frame of this call from the calling WebSocket.
    void relayDatagramReceived(const QByteArray &datagram);
    void remoteCandidate(const QString &ufrag, const QString &line); // empty line: done
    void remoteUpdate(const protocol::MediaDescription &media);      // the peer restarted ICE
    void close();

    // One encoded MediaFrame, sent as SRTP on the path (UDP or the relay);
    // false while no path is up or DTLS is not done.
    bool sendFrame(const QByteArray &frame);
    // The peer's `media` offered telephone events: keypad digits go as events.
    bool peerTakesTelephoneEvents() const { return m_peerTelephoneEvent != 0; }
    bool usesWebSocket() const { return m_path == QLatin1StringView(kWebSocketRelay); }
    // p2p, turn-udp, turn-tcp, ws-relay; empty while UDP is being set up.
    QString path() const { return m_path; }
    // From RTCP while on UDP (on the relay the WebSocket ping's, as before
    // #14, though SRTCP goes there too); -1 unknown.
    double roundTripMs() const;
    // The Opus frame duration to send now: 10 ms on a peer-to-peer path when
    // both offered it, else 20 ms (relays: half the packets, and the service
    // relays at most 100 a second).
    int sendFrameMs() const;
    // The loss the peer reported of our stream (RTCP), -1 unknown.
    double remoteLossPercent() const;

signals:
    void frameReceived(const QByteArray &frame); // an encoded MediaFrame, decrypted
    void pathChanged(const QString &path);

private:
    void setPath(const QString &path);
    void fallBack(const QString &why);
    void restartIce();
    void networkChanged(const QString &what);
    void sendLocalCandidate(const QString &line, const QString &ufrag);

    QString m_callId;
    bool m_caller;
    UdpMediaSettings m_settings;
    SignalSender m_sendSignal;
    RelaySender m_sendRelay;
    bool m_established = false;
    std::unique_ptr<rtp::UdpMediaChannel> m_channel;
    bool m_remoteSet = false;       // candidates go out from then on
    bool m_peerShortFrames = false; // the peer's media takes 10 ms frames
    bool m_localDone = false;
    int m_restarts = 0;
    bool m_everUp = false; // UDP worked once in this call
    int m_peerTelephoneEvent = 0;
    QTimer m_setupTimer;
    QTimer m_retryTimer; // the caller's next ICE restart while the path is lost
    std::unique_ptr<net::LocalAddressWatch> m_addressWatch; // while ICE runs in the call
    QString m_path;
};

} // namespace softphone::client
