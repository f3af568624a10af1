#pragma once
// The voice of one established call: each block from the audio source (20 ms,
// or 10 ms once setFrameMs(10): a call with short frames on a path where they
// are used) is encoded (SendStream) and sent as a frame, and each block played
// is decoded from the frames received (ReceiveStream, whatever their
// duration) for the sink. Created
// by Call when the call is established, deleted when it ends (which also
// closes the sink). CallQuality is refreshed about once a second; its loss
// and lateness are those of the last 5 s (media::RecentQuality), the totals
// since the call began are kept beside them.
//
// Devices drive their own side: a microphone's block is sent the moment it
// is captured, a speaker pulls each block when its stream needs one, so no
// queue sits between two clocks. Files and "nothing" run on the session's
// own 20 ms clock, which catches up after a stall (see docs/media.md
// "Calls"); it stops while both sides are devices (no wakeups for nothing).
//
// On hold (docs/protocol.md "Hold and resume") nothing is sent (like mute:
// time runs on) and what arrives is not played: the held party hears the
// hold tone instead, the holder silence. The call-waiting tone is mixed into
// what the call plays while another call rings.
//
// Keypad digits (sendDigit) go out as RFC 4733 telephone events when the
// peer's `media` offered them, else as in-band DTMF tones (SendStream);
// digits the peer sends as events come out as digitReceived, in order, and
// so do those it sends as in-band tones (media::DtmfDetector on what is
// pulled to be played), until the peer has sent one as an event.

#include "AudioSink.h"
#include "AudioSource.h"
#include "media/CallQuality.h"
#include "media/DtmfDetector.h"
#include "media/MediaFormat.h"
#include "media/ReceiveStream.h"
#include "media/SendStream.h"
#include "media/ToneGenerator.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace softphone::client {

class MediaSession : public QObject
{
    Q_OBJECT
public:
    using FrameSender = std::function<void(const QByteArray &frame)>;
    using RoundTrip = std::function<double()>; // ms, -1 while unknown

    MediaSession(FrameSender sender, RoundTrip roundTrip, QObject *parent = nullptr);
    ~MediaSession() override;

    // Null source: silence is sent. Null sink: what is heard is discarded.
    // Either may be set or changed at any time.
    void setSource(std::shared_ptr<AudioSource> source);
    void setSink(std::shared_ptr<AudioSink> sink);
    void setMuted(bool muted);
    // The call's hold as this side sees it: held by this side, by the other.
    void setHold(bool byMe, bool byPeer);
    bool isOnHold() const { return m_holdByMe || m_holdByPeer; }
    // The call-waiting tone in what this call plays (another call rings).
    void setWaitingTone(bool on);
    bool isWaitingToneOn() const { return m_waitingTone.has_value(); }
    // The duration of the frames sent and of the blocks read and played: 20
    // or 10 (docs/media.md "10 ms frames"); may change mid-call.
    void setFrameMs(int ms);
    int frameMsNow() const { return int(m_frameSamples) / media::kSamplesPerMs; }
    // The loss the far end reports of our stream (RTCP), for the encoder's FEC.
    void setMeasuredLoss(double percent) { m_send->setMeasuredLoss(percent); }

    // How keypad digits go out: true when the peer takes telephone events.
    void setTelephoneEvents(bool on) { m_send->setTelephoneEvents(on); }
    // Sends one keypad digit (0-9, *, #, A-D); false when it is not one.
    bool sendDigit(QChar digit) { return m_send->sendDigit(digit); }

    // One binary frame from the calling connection.
    void receive(const QByteArray &frame);

    media::CallQuality quality() const { return m_quality; }
    // Reads the streams' figures now (done every second anyway) and emits qualityChanged.
    void refreshQuality();
    quint64 framesSent() const { return m_send ? m_send->framesSent() : 0; }

signals:
    void qualityChanged();
    // The peer pressed a keypad digit (a telephone event arrived, or its tone was heard).
    void digitReceived(QChar digit);

private:
    void tick();
    // Runs the session's clock only while a side has no clock of its own.
    void updateClock();
    void step();
    void sendBlock();
    std::span<const int16_t> playBlock();
    void rebuildSender();
    // Replaces what is heard on hold and mixes in the waiting tone.
    std::span<const int16_t> cues(std::span<const int16_t> heard);
    // Digits heard as in-band tones in the peer's audio, reported in order.
    void detectDigits(std::span<const int16_t> heard);

    FrameSender m_sender;
    RoundTrip m_roundTrip;
    std::shared_ptr<AudioSource> m_source;
    std::shared_ptr<AudioSink> m_sink;
    std::unique_ptr<media::SendStream> m_send;
    media::ReceiveStream m_receive;
    media::DtmfDetector m_inbandDigits;
    std::atomic<bool> m_peerSendsEvents = false; // then its audio is not searched for digits
    bool m_muted = false;
    bool m_holdByMe = false;
    bool m_holdByPeer = false;
    std::optional<media::ToneGenerator> m_holdTone;    // while held by the peer
    std::optional<media::ToneGenerator> m_waitingTone; // while another call rings
    std::array<int16_t, media::kFrameSamples> m_cueBlock{};
    size_t m_frameSamples = media::kFrameSamples;
    bool m_acoustic = false;
    bool m_sourceClocked = false; // the source says when a block is there
    bool m_sinkClocked = false;   // the sink pulls
    QTimer m_clockTimer;
    QTimer m_qualityTimer;
    QElapsedTimer m_clock;
    qint64 m_blocksDone = 0;
    quint64 m_skippedBlocks = 0;
    media::CallQuality m_quality;
    media::RecentQuality m_recentQuality;
};

} // namespace softphone::client
