#pragma once
// The seam between a call's signalling (Call) and its voice: Call talks to its
// media only through this interface, and the object behind it is made by the
// factory the app gives SoftphoneClient::setCallMedia (CallVoice::create: ICE,
// DTLS-SRTP, Opus, audio processing). An executable that takes no calls
// (softphone-tray) gives none, so it links none of the media stack (libnice,
// libsrtp2, Opus, WebRTC audio processing) and its calls have no voice.

#include "MediaPath.h"
#include "media/CallQuality.h"
#include "protocol/MediaDescription.h"

#include <QByteArray>
#include <QJsonObject>
#include <QObject>
#include <functional>
#include <optional>

namespace softphone::client {

class MediaSession;

// What one call's media is given by the call (Call's constructor).
struct CallMediaLinks
{
    QString callId;
    bool caller = false;
    UdpMediaSettings udp;
    MediaPath::SignalSender sendSignal;       // a call message to the service
    MediaPath::RelaySender sendRelay;         // a binary frame on the calling WebSocket
    std::function<double()> relayRoundTripMs; // the WebSocket ping's, -1 unknown
};

class CallMedia : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // As MediaPath's (the offer or answer's `media`, the peer's, candidates).
    virtual std::optional<protocol::MediaDescription> prepare(bool peerHasIce = true) = 0;
    virtual void setRemote(const std::optional<protocol::MediaDescription> &remote) = 0;
    virtual void remoteCandidate(const QString &ufrag, const QString &line) = 0;
    virtual void remoteUpdate(const protocol::MediaDescription &media) = 0;
    virtual void relayDatagramReceived(const QByteArray &datagram) = 0;
    virtual void close() = 0;
    // The call is established: the voice starts (muted or not); stop() ends
    // it, the last quality figures stay readable.
    virtual void start(bool muted) = 0;
    virtual void stop() = 0;
    // The running voice (Call::media()), null before start() and after stop().
    virtual MediaSession *session() const = 0;
    virtual QString path() const = 0;
    virtual void setMuted(bool muted) = 0;
    virtual void setHold(bool byMe, bool byRemote) = 0;
    virtual bool sendDigit(QChar digit) = 0;
    virtual media::CallQuality quality() const = 0;

signals:
    void qualityChanged();
    void digitReceived(QChar digit);
};

// Makes a call's media (parent: the call).
using CallMediaFactory = CallMedia *(*)(const CallMediaLinks &links, QObject *parent);

} // namespace softphone::client
