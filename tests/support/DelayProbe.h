#pragma once
// Mouth-to-ear delay through the PulseAudio devices, measured from outside
// the softphone (bench_device_delay, tst_voice_devices): short chirp bursts
// played into a null sink the call captures from, and two `parec` streams
// recording that sink's monitor and the monitor of the sink the call plays
// on. Delay of a burst = its onset on the speaker monitor - its onset on the
// feed monitor.
//
// Common time base: each stream's sample index is mapped onto this
// process's monotonic clock by the lower envelope of (read time - samples
// received / 48 kHz) over the reads within 0.5 s (the reads that came
// soonest after the data was ready). Both streams are the same kind of
// source (null sink monitor) with the same parec settings, so their
// constant capture latency cancels in the difference (checked by
// bench_device_delay --calibrate: 0.0 ms).

#include <QByteArray>
#include <QProcess>
#include <QString>

#include <cstdint>
#include <vector>

namespace softphone::test {

// parec on a source (a monitor: "<sink>.monitor"); every read is stamped with
// the monotonic clock.
class TimedRecorder
{
public:
    explicit TimedRecorder(const QString &source);
    ~TimedRecorder();
    TimedRecorder(const TimedRecorder &) = delete;
    TimedRecorder &operator=(const TimedRecorder &) = delete;

    bool started();
    void stop();
    size_t samples() const { return size_t(m_bytes.size() / 2); }
    // Envelope: mean |x| over the last 1 ms (trailing, the same on both streams).
    std::vector<float> envelope() const;
    // Monotonic time (ns) of sample k, and the sample at a time.
    double timeOf(double k) const { return startNear(k) + k * 1e9 / 48000; }
    double sampleAt(double ns) const;
    // How far the local start estimates move over the recording (ms): ~0 when
    // the stream ran without pauses.
    double startSpreadMs() const;

private:
    struct Read
    {
        double samples; // received so far
        double start;   // read time - samples / rate (ns)
    };
    double startNear(double k) const; // k < 0: over all reads

    QProcess m_process;
    QByteArray m_bytes;
    std::vector<Read> m_reads;
};

// 50 ms chirp 600 -> 2400 Hz at 48 kHz: voice band, sharp start, not steady
// like a tone.
std::vector<int16_t> chirpBurst();

struct BurstDelay
{
    double feedSeconds = 0; // onset on the feed, s into its recording
    double ms = -1;         // -1: not heard on the speaker within 600 ms
};
// Every burst found on `feed` (at least 0.5 s apart) and its delay to `speaker`.
std::vector<BurstDelay> burstDelays(const TimedRecorder &feed, const TimedRecorder &speaker);

double percentile(std::vector<double> v, double p);

} // namespace softphone::test
