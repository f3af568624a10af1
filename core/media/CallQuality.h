#pragma once
// What the call quality indicator shows for one direction of a call.

#include <QtGlobal>

namespace softphone::media {

struct CallQuality
{
    double lossPercent = 0;   // frames the network lost (from sequence numbers)
    double latePercent = 0;   // frames that came after their play time
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

} // namespace softphone::media
