#pragma once
// The sounds a softphone plays itself, synthesised at 48 kHz mono: ringback
// while the other side rings, the ringtone, the call-ended beeps, DTMF, the
// speaker test, and the two cues heard inside a call: the hold tone and the
// call-waiting tone.

#include <QChar>
#include <cstdint>
#include <span>
#include <vector>

namespace softphone::media {

class ToneGenerator
{
public:
    struct Segment
    {
        int durationMs = 0;
        double frequency1 = 0; // 0 = silence
        double frequency2 = 0; // second tone mixed in, 0 = none
    };

    ToneGenerator(std::vector<Segment> pattern, bool repeat, double levelDbfs = -12);

    // 425 Hz, 1 s on, 4 s off (the European ringback cadence).
    static ToneGenerator ringback();
    // Two-tone warble: 2 x (0.4 s on, 0.2 s off), then 2 s off, repeated.
    static ToneGenerator ringtone();
    // Three short 480 Hz beeps, once.
    static ToneGenerator callEnded();
    // The speaker test of Settings: a rising chime C-E-G (523, 659, 784 Hz),
    // 0.3 s each, once.
    static ToneGenerator testSound();
    // What the held party hears: two soft 620 Hz beeps, then 4 s of quiet, repeated.
    static ToneGenerator hold();
    // A second call rings during this one (heard in the call, not on the
    // ringer): two short 425 Hz beeps, then 4.4 s of quiet, repeated.
    static ToneGenerator callWaiting();
    // One DTMF digit (0-9, *, #, A-D): its two frequencies, once; invalid
    // digits give an empty (already finished) generator.
    static ToneGenerator dtmf(QChar digit, int durationMs = 120);
    static bool dtmfFrequencies(QChar digit, double *low, double *high);

    // Fills `out` with the next samples; after a non-repeating pattern ends,
    // fills silence.
    void fill(std::span<int16_t> out);
    std::vector<int16_t> next(int samples);
    bool finished() const { return !m_repeat && m_segment >= m_pattern.size(); }
    // The whole pattern once (for files and tests).
    std::vector<int16_t> renderOnce();
    qint64 patternSamples() const;
    void restart();

private:
    std::vector<Segment> m_pattern;
    bool m_repeat;
    double m_amplitude;
    size_t m_segment = 0;
    qint64 m_position = 0; // within the segment, in samples
};

} // namespace softphone::media
