#pragma once
// Keypad digits heard in the audio: in-band DTMF tones (ITU-T Q.23/Q.24) from
// a peer that sends its keypad as tones rather than telephone events (its
// `media` took none, or it is not our softphone). Goertzel filters on the
// eight DTMF frequencies over 20 ms windows of the decoded 48 kHz audio. A
// window holds a digit when one low and one high tone stand out: each at
// least 8 dB over the others of its group, within 8 dB of each other (twist),
// together most of the window's energy, and not quiet (above about -40 dBFS
// each). A digit counts once it fills two windows in a row, and once only
// until a window without it (a pause, or another digit). Speech rarely keeps
// two pure tones for 40 ms, music can: a heard digit is shown, never acted on.
// Not a QObject: it runs where the audio is pulled (the audio thread).

#include "MediaFormat.h"

#include <QChar>
#include <QString>
#include <array>
#include <cstdint>
#include <span>

namespace softphone::media {

class DtmfDetector
{
public:
    static constexpr int kWindowSamples = kFrameSamples; // 20 ms at 48 kHz

    // Any number of samples; windows are cut across calls.
    void feed(std::span<const int16_t> samples);
    // The digits recognised since the last call, in order ("" when none); at
    // most kMaxDigitsKept wait, more are dropped.
    QString takeDigits();
    static constexpr int kMaxDigitsKept = 64;
    void reset();

private:
    QChar classifyWindow() const;

    std::array<float, kWindowSamples> m_window{};
    int m_filled = 0;
    QChar m_candidate; // the digit of the last window ('\0' when none)
    int m_windowsSeen = 0;
    bool m_reported = false; // m_candidate was reported
    QString m_digits;
};

} // namespace softphone::media
