#pragma once
// The voice of one established call: each 20 ms block from the audio source
// is encoded (SendStream) and sent as a binary frame, and each block played
// is decoded from the frames received (ReceiveStream) for the sink. Created
// by Call when the call is established, deleted when it ends (which also
// closes the sink). CallQuality is refreshed about once a second.
//
// Devices drive their own side: a microphone's block is sent the moment it
// is captured, a speaker pulls each block when its stream needs one, so no
// queue sits between two clocks. Files and "nothing" run on the session's
// own 20 ms clock, which catches up after a stall (see docs/media.md
// "Calls").

#include "AudioSink.h"
#include "AudioSource.h"
#include "media/CallQuality.h"
#include "media/ReceiveStream.h"
#include "media/SendStream.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
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
    // The loss the far end reports of our stream (RTCP), for the encoder's FEC.
    void setMeasuredLoss(double percent) { m_send->setMeasuredLoss(percent); }

    // One binary frame from the calling connection.
    void receive(const QByteArray &frame);

    media::CallQuality quality() const { return m_quality; }
    // Reads the streams' figures now (done every second anyway) and emits qualityChanged.
    void refreshQuality();
    quint64 framesSent() const { return m_send ? m_send->framesSent() : 0; }

signals:
    void qualityChanged();

private:
    void tick();
    void step();
    void sendBlock();
    std::span<const int16_t> playBlock();
    void rebuildSender();

    FrameSender m_sender;
    RoundTrip m_roundTrip;
    std::shared_ptr<AudioSource> m_source;
    std::shared_ptr<AudioSink> m_sink;
    std::unique_ptr<media::SendStream> m_send;
    media::ReceiveStream m_receive;
    bool m_muted = false;
    bool m_acoustic = false;
    bool m_sourceClocked = false; // the source says when a block is there
    bool m_sinkClocked = false;   // the sink pulls
    QTimer m_clockTimer;
    QTimer m_qualityTimer;
    QElapsedTimer m_clock;
    qint64 m_blocksDone = 0;
    quint64 m_skippedBlocks = 0;
    media::CallQuality m_quality;
};

} // namespace softphone::client
