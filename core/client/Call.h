#pragma once
// One call as the app sees it (modelled on Linphone desktop's CallCore): state
// out as properties with notify signals, commands in as methods. Created and
// owned by SoftphoneClient; hold it in a QPointer, ended calls are deleted after
// a while. Only the client feeds it service events.

#include "CallMedia.h"
#include "CallStateMachine.h"
#include "MediaSession.h"
#include "protocol/FieldValidators.h"
#include "protocol/Message.h"

#include <QObject>
#include <QPointer>
#include <QVariantMap>

namespace softphone::client {

class SoftphoneClient;

class Call : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString id READ id CONSTANT)
    Q_PROPERTY(softphone::client::CallDirection direction READ direction CONSTANT)
    Q_PROPERTY(QString remoteUserId READ remoteUserId CONSTANT)
    Q_PROPERTY(QVariantMap headers READ headersMap CONSTANT)
    Q_PROPERTY(softphone::client::CallState state READ state NOTIFY stateChanged)
    Q_PROPERTY(softphone::client::CallDetails details READ details NOTIFY stateChanged)
    Q_PROPERTY(bool muted READ isMuted WRITE setMuted NOTIFY mutedChanged)
    // On hold (docs/protocol.md "Hold and resume"): by this side, by the
    // other, or both; the voice stops both ways until neither holds.
    Q_PROPERTY(bool onHold READ isOnHold NOTIFY holdChanged)
    Q_PROPERTY(bool heldByMe READ isHeldByMe NOTIFY holdChanged)
    Q_PROPERTY(bool heldByRemote READ isHeldByRemote NOTIFY holdChanged)
    // Receive quality of the call's voice (CallQuality's fields), about once a second.
    Q_PROPERTY(QVariantMap quality READ qualityMap NOTIFY qualityChanged)

public:
    QString id() const { return m_id; }
    CallDirection direction() const { return m_machine.direction(); }
    QString remoteUserId() const { return m_remoteUserId; }
    protocol::Headers headers() const { return m_headers; }
    QVariantMap headersMap() const;
    CallState state() const { return m_machine.state(); }
    CallDetails details() const { return m_machine.details(); }
    bool isMuted() const { return m_muted; }
    bool isOnHold() const { return m_heldByMe || m_heldByRemote; }
    bool isHeldByMe() const { return m_heldByMe; }
    bool isHeldByRemote() const { return m_heldByRemote; }
    media::CallQuality quality() const
    {
        return m_voice ? m_voice->quality() : media::CallQuality{};
    }
    // The user the last transfer() sent the other party to (empty: none).
    QString transferTarget() const { return m_transferTarget; }
    // An incoming call that takes over one of ours in an attended transfer
    // (answered by the client itself; the replaced call is hung up once this
    // one is established): the replaced call's id, else empty.
    QString replacedCallId() const { return m_replacedCallId; }
    QVariantMap qualityMap() const;
    // The call's voice while it is established (null before and after): the
    // app sets its audio source and sink here when stateChanged(Established)
    // arrives; without them silence is sent and what is heard is discarded.
    // Always null in a client without call media (SoftphoneClient::setCallMedia).
    MediaSession *media() const { return m_voice ? m_voice->session() : nullptr; }
    // p2p, turn-udp, turn-tcp or ws-relay (docs/media.md "UDP media"); empty
    // while UDP media is being set up. Also `path` in quality.
    QString mediaPath() const { return m_voice ? m_voice->path() : QString(); }

public slots:
    // Incoming, not yet answered: take the call (Established when the service confirms).
    void answer();
    // Unanswered incoming: decline (the caller sees Denied). Outgoing before
    // answer: cancel (Canceled). Established: hang up (HungUp). The state changes
    // when the service confirms with `ended`.
    void hangup();
    // Local microphone mute; kept across the call, reset by nothing.
    void setMuted(bool muted);
    // Established calls only: puts the call on hold from this side, or takes
    // this side's hold off. The flags change (holdChanged) when the service
    // confirms with `hold_state`; the other side may still hold after resume().
    void hold();
    void resume();
    // Blind transfer (established calls): asks the other party to call
    // `userId` instead; the other party hangs this call up when it follows.
    // Attended transfer: `replacesCallId` is our own established call with
    // `userId`, which the other party's new call takes over; transferFinished
    // reports how it went (docs/protocol.md "Attended transfer").
    void transfer(const QString &userId, const QString &replacesCallId = {});
    // A keypad digit (0-9, *, #, A-D) to the other side while established: as a
    // telephone event when its `media` offered them, else as an in-band tone.
    // False when there is no voice yet or it is not a keypad digit.
    bool sendDigit(QChar digit);

signals:
    void stateChanged(softphone::client::CallState state);
    void mutedChanged(bool muted);
    void holdChanged();
    // The other party (`by`) transfers us to `to`: the app follows with
    // SoftphoneClient::followTransfer (or ignores it and the call goes on).
    // `replaces` is set for an attended transfer (pass it to followTransfer).
    void transferRequested(const QString &to, const QString &by, const QString &replaces);
    // Attended transfer, on the transferor's call: the other party's new call
    // to the transfer target was answered (connected), or failed (`cause`:
    // an end cause or error code, e.g. "no_answer", "invalid_state").
    void transferFinished(bool connected, const QString &cause);
    void qualityChanged();
    // The other side pressed a keypad digit (sent as a telephone event, or
    // heard as its in-band tones).
    void digitReceived(QChar digit);
    // The callee has devices that are offline but registered for push: the app
    // sends these pairs to its application server (the seed's step 3-4). Emitted
    // at most once per call, outgoing calls only.
    void shouldSendPushNotification(const QList<softphone::protocol::PushPair> &pairs);

private:
    friend class SoftphoneClient;
    Call(SoftphoneClient *client, const QString &id, CallDirection direction,
         const QString &remoteUserId, const protocol::Headers &headers);

    // Service events, applied through the state machine (illegal ones are logged and ignored).
    void applyProgress();
    void applyEstablished(const std::optional<protocol::MediaDescription> &remoteMedia);
    void applyRemoteCandidate(const protocol::Message &message);
    void applyRemoteMediaUpdate(const protocol::Message &message);
    void applyEnded(EndCause cause, const std::optional<CallError> &error);
    void applyPushPairs(const QList<protocol::PushPair> &pairs);
    void applyHoldState(bool byMe, bool byRemote);
    void sendHold(bool hold);
    // Attended transfer, on the transferee's call: how the new call went.
    void reportTransfer(bool connected, const QString &cause);
    void startMedia();
    // The offer's or answer's `media`; nullopt: the call has no voice.
    std::optional<protocol::MediaDescription> prepareMedia(bool peerHasIce = true);

    QPointer<SoftphoneClient> m_client;
    QString m_id;
    QString m_remoteUserId;
    protocol::Headers m_headers;
    CallStateMachine m_machine;
    bool m_muted = false;
    bool m_heldByMe = false;
    bool m_heldByRemote = false;
    CallMedia *m_voice = nullptr; // child; null in a client without call media
    bool m_mediaStarted = false;
    std::optional<protocol::MediaDescription> m_remoteOffer; // incoming: the caller's `media`
    bool m_answerSent = false;
    bool m_hangupSent = false;
    bool m_pushPairsSeen = false;
    QString m_transferTarget;
    QString m_replacedCallId;
};

} // namespace softphone::client
