#pragma once
// Per-call receive buffer over speexdsp's adaptive jitter buffer: it absorbs
// network jitter and reordering and tells the player, every frame (20 ms, or
// 10 ms while the sender sends short frames: the step follows the frames
// that arrive), what to play: a frame, nothing (conceal), or the next frame
// whose FEC can rebuild the missing one. It also keeps the receive statistics
// of the call.
//
// speexdsp picks the delay from the measured arrival times (one frame on a
// clean path, more when the network jitters). What it does not do well is
// clock drift: a sender whose clock runs faster than the player's fills the
// buffer up to ~180 ms before speexdsp drops anything, and a sender that
// stalled and sent its backlog leaves that much more delay for good. So when
// frames were waiting that were never needed (60 ms or more ahead at every
// play step for a second), all but one frame less than that are dropped at
// once: the queue cannot grow over a long call.

#include "MediaFormat.h"
#include "MediaFrame.h"

#include <QByteArray>
#include <cstdint>
#include <map>

struct JitterBuffer_;

namespace softphone::media {

class JitterBuffer
{
public:
    struct Slot
    {
        enum Kind {
            Frame,       // payload is the frame to play
            Lost,        // nothing to play: conceal
            FecFromNext, // lost, but payload (the next frame) carries FEC for it
            Insertion,   // the buffer deepens by one frame: conceal, not a loss
            NotStarted,  // nothing received yet: silence, not a loss
        };
        Kind kind = NotStarted;
        QByteArray payload;
        quint32 timestamp = 0;
        quint16 sequence = 0;
        int samples = 0; // the slot's duration: 480 or 960
    };

    struct Stats
    {
        quint64 received = 0;   // frames that arrived (late ones included)
        quint64 expected = 0;   // from the sequence numbers (RFC 3550 style)
        quint64 late = 0;       // arrived after their play time
        quint64 duplicates = 0; // same timestamp twice
        quint64 resyncs = 0;    // restarts after the play point ran ahead of the sender
        quint64 drifted = 0;    // frames dropped because the sender's clock runs faster
        double jitterMs = 0;    // RFC 3550 interarrival jitter
        double bufferDelayMs = 0;
        double lossPercent() const;
        double latePercent() const;
    };

    explicit JitterBuffer(int marginMs = 10);
    ~JitterBuffer();
    JitterBuffer(const JitterBuffer &) = delete;
    JitterBuffer &operator=(const JitterBuffer &) = delete;

    // arrivalUs: the receiver's monotonic clock when the frame arrived.
    void put(const MediaFrame &frame, qint64 arrivalUs);
    // A packet of the same stream that is not audio (a telephone event, which
    // takes the audio's place and sequence number): counted as received, so
    // it is not taken for a loss, and nothing else.
    void countSequence(quint16 sequence);
    // One play-out step of frameSamples().
    Slot get();
    // The step: the duration of the frames that arrive (960 until one did).
    int frameSamples() const { return m_frameSamples; }
    void reset();
    Stats stats() const;

private:
    struct Pending
    {
        QByteArray payload;
        quint16 sequence = 0;
    };

    void createSpeex();
    void useFrameSize(int samples);
    void updateArrivalStats(const MediaFrame &frame, qint64 arrivalUs);
    int framesWaiting() const;
    int framesToDrop();
    void putIntoSpeex(quint32 timestamp, const Pending &frame);
    // Forgets the frames before timestamp and starts speexdsp over with the rest.
    void restartAt(quint32 timestamp);

    ::JitterBuffer_ *m_jb = nullptr;
    int m_marginMs;
    int m_frameSamples = kFrameSamples;
    // Payloads that have arrived and are not played yet, by timestamp: lets
    // a missing slot look at the next frame for FEC (speexdsp cannot peek).
    std::map<quint32, Pending> m_pending;
    bool m_started = false;
    quint32 m_playTimestamp = 0; // the next timestamp to play
    quint32 m_newestTimestamp = 0;
    int m_lateRun = 0;        // late frames in a row
    int m_driftSteps = 0;     // play steps in the current drift window
    int m_driftLeast = 0;     // the fewest frames waiting in it
    qint64 m_lateSinceUs = 0; // arrival of the first of them
    Stats m_stats;
    // RFC 3550 appendix A.1/A.8 state.
    quint16 m_maxSeq = 0;
    quint32 m_cycles = 0;
    quint32 m_baseSeq = 0;
    bool m_haveTransit = false;
    qint64 m_lastTransit = 0;
    double m_jitter = 0; // in samples
};

} // namespace softphone::media
