#include "ToneGenerator.h"

#include "MediaFormat.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace softphone::media {

namespace {
// Short fades at both ends of every tone: a hard start or stop clicks.
constexpr int kFadeSamples = 5 * kSamplesPerMs;
} // namespace

ToneGenerator::ToneGenerator(std::vector<Segment> pattern, bool repeat, double levelDbfs)
    : m_pattern(std::move(pattern))
    , m_repeat(repeat && !m_pattern.empty())
    , m_amplitude(32767.0 * std::pow(10.0, levelDbfs / 20.0))
{}

ToneGenerator ToneGenerator::ringback()
{
    return ToneGenerator({{1000, 425}, {4000, 0}}, true);
}

ToneGenerator ToneGenerator::ringtone()
{
    return ToneGenerator({{400, 440, 480}, {200, 0}, {400, 440, 480}, {2000, 0}}, true, -9);
}

ToneGenerator ToneGenerator::callEnded()
{
    return ToneGenerator({{150, 480}, {100, 0}, {150, 480}, {100, 0}, {150, 480}, {200, 0}}, false);
}

ToneGenerator ToneGenerator::testSound()
{
    return ToneGenerator({{300, 523.25}, {300, 659.25}, {300, 783.99}, {100, 0}}, false);
}

ToneGenerator ToneGenerator::hold()
{
    return ToneGenerator({{150, 620}, {150, 0}, {150, 620}, {4000, 0}}, true, -24);
}

ToneGenerator ToneGenerator::callWaiting()
{
    return ToneGenerator({{200, 425}, {200, 0}, {200, 425}, {4400, 0}}, true, -18);
}

bool ToneGenerator::dtmfFrequencies(QChar digit, double *low, double *high)
{
    static const char keys[4][5] = {"123A", "456B", "789C", "*0#D"};
    static const double rows[4] = {697, 770, 852, 941};
    static const double cols[4] = {1209, 1336, 1477, 1633};
    const char c = char(digit.toUpper().toLatin1());
    for (int r = 0; r < 4; ++r)
        for (int k = 0; k < 4; ++k)
            if (c != 0 && keys[r][k] == c) {
                *low = rows[r];
                *high = cols[k];
                return true;
            }
    return false;
}

ToneGenerator ToneGenerator::dtmf(QChar digit, int durationMs)
{
    double low = 0;
    double high = 0;
    if (!dtmfFrequencies(digit, &low, &high))
        return ToneGenerator({}, false);
    return ToneGenerator({{durationMs, low, high}}, false, -10);
}

void ToneGenerator::restart()
{
    m_segment = 0;
    m_position = 0;
}

qint64 ToneGenerator::patternSamples() const
{
    qint64 total = 0;
    for (const Segment &s : m_pattern)
        total += qint64(s.durationMs) * kSamplesPerMs;
    return total;
}

void ToneGenerator::fill(std::span<int16_t> out)
{
    size_t i = 0;
    while (i < out.size()) {
        if (m_segment >= m_pattern.size()) {
            if (!m_repeat) {
                std::fill(out.begin() + qsizetype(i), out.end(), int16_t(0));
                return;
            }
            m_segment = 0;
        }
        const Segment &seg = m_pattern[m_segment];
        const qint64 length = qint64(seg.durationMs) * kSamplesPerMs;
        const double scale = seg.frequency2 > 0 ? 0.5 : 1.0;
        for (; i < out.size() && m_position < length; ++i, ++m_position) {
            double v = 0;
            if (seg.frequency1 > 0) {
                const double t = double(m_position) / kSampleRate;
                v = std::sin(2 * std::numbers::pi * seg.frequency1 * t);
                if (seg.frequency2 > 0)
                    v += std::sin(2 * std::numbers::pi * seg.frequency2 * t);
                const qint64 edge = std::min(m_position, length - 1 - m_position);
                if (edge < kFadeSamples)
                    v *= double(edge) / kFadeSamples;
            }
            out[i] = int16_t(std::lround(v * scale * m_amplitude));
        }
        if (m_position >= length) {
            ++m_segment;
            m_position = 0;
        }
    }
}

std::vector<int16_t> ToneGenerator::next(int samples)
{
    std::vector<int16_t> out(size_t(std::max(samples, 0)));
    fill(out);
    return out;
}

std::vector<int16_t> ToneGenerator::renderOnce()
{
    restart();
    const bool repeat = m_repeat;
    m_repeat = false;
    std::vector<int16_t> out = next(int(patternSamples()));
    m_repeat = repeat;
    restart();
    return out;
}

} // namespace softphone::media
