#pragma once
// What the call quality indicator shows for one direction of a call.

#include <QtGlobal>
#include <deque>

namespace softphone::media {

struct CallQuality
{
    // Over the last few seconds (RecentQuality, as the call's session polls
    // them; since the call began until it did): what the indicator judges.
    double lossPercent = 0; // frames the network lost (from sequence numbers)
    double latePercent = 0; // frames that came after their play time
    // The same since the call began (the CLI's report when the call ends).
    double totalLossPercent = 0;
    double totalLatePercent = 0;
    quint64 framesExpected = 0; // since the call began, from the sequence numbers
    quint64 framesLate = 0;
    double jitterMs = 0;      // RFC 3550 interarrival jitter
    double bufferDelayMs = 0; // audio waiting in the jitter buffer
    // Where the mouth-to-ear delay goes, measured (sampled when the figures
    // are read), not configured; -1 where the stage does not exist (a file,
    // no device). Sending side of this end: capture buffer (device and the
    // partial block being gathered), send queue (blocks waiting for the
    // encoder). Playing side: play queue (decoded blocks waiting for the
    // device), playback buffer (queued in the sound server's stream).
    double captureMs = -1;
    double sendQueueMs = -1;
    double playQueueMs = -1;
    double playbackMs = -1;
    double playbackTargetMs = -1; // the playback buffer's current target
    quint64 underruns = 0;        // the speaker ran dry
    quint64 driftDropped = 0;     // frames dropped: the sender's clock runs faster
    double roundTripMs = -1;      // measured by the transport; -1 while unknown
    quint64 framesSent = 0;       // set by the call's media session
    quint64 framesReceived = 0;
    quint64 framesPlayed = 0; // blocks handed to the speaker (of frameMs)
    int frameMs = 20;         // the frames this end sends (and blocks it plays)
    quint64 fecRecovered = 0; // lost frames rebuilt from the next frame's FEC
    quint64 concealed = 0;    // blocks filled by packet loss concealment
    quint64 malformed = 0;    // packets rejected before the jitter buffer

    // The indicator's verdict, 0 (unusable) to 4 (clean): each loss step (1, 3,
    // 8, 15 % lost or late), jitter step (40, 80 ms) and round-trip step (300,
    // 600 ms) takes a bar. -1 while nothing has been received (no verdict yet).
    int bars() const;
};

// Turns the cumulative loss and lateness of successive polls of one call
// into the figures of the last windowMs (between windowMs and windowMs plus
// one poll interval: counted from the newest poll at least that old). A bad
// line shows within a poll or two however long the call was clean, and a
// line that got better shows that too. A window in which nothing arrived
// (the peer muted or holds, or the network is down) keeps the last figures.
class RecentQuality
{
public:
    static constexpr qint64 kWindowMs = 5000;
    explicit RecentQuality(qint64 windowMs = kWindowMs);

    // q with the cumulative counts of now (nowMs: a monotonic clock, ms):
    // sets its lossPercent and latePercent to the window's.
    void apply(CallQuality &q, qint64 nowMs);

private:
    struct Poll
    {
        qint64 atMs = 0;
        quint64 expected = 0;
        quint64 received = 0;
        quint64 late = 0;
    };
    static constexpr size_t kMaxPolls = 64; // kept polls at least window/64 apart

    qint64 m_windowMs;
    std::deque<Poll> m_polls; // the oldest is the window's start
    double m_lossPercent = 0;
    double m_latePercent = 0;
};

} // namespace softphone::media
