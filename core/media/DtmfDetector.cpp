#include "DtmfDetector.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <utility>

namespace softphone::media {

namespace {

constexpr std::array<double, 4> kLow = {697, 770, 852, 941};
constexpr std::array<double, 4> kHigh = {1209, 1336, 1477, 1633};
constexpr char kKeys[4][5] = {"123A", "456B", "789C", "*0#D"};
constexpr double kStandOut = 6.31;     // 8 dB: the tone over the others of its group
constexpr double kMaxTwist = 6.31;     // 8 dB between the low and the high tone
constexpr double kMinShare = 0.6;      // of the window's energy, the two tones together
constexpr double kMinAmplitude = 0.01; // of full scale, each tone (-40 dBFS)
constexpr int kWindowsForDigit = 2;    // 40 ms: the tone has lasted

// The energy at `frequency` in the window (Goertzel), scaled so that a pure
// sine of amplitude A gives about A^2 N / 2, as its sum of squares.
double toneEnergy(std::span<const float> x, double frequency)
{
    const double coeff = 2 * std::cos(2 * std::numbers::pi * frequency / kSampleRate);
    double s1 = 0;
    double s2 = 0;
    for (const float v : x) {
        const double s0 = v + coeff * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    const double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
    return 2 * power / double(x.size());
}

struct Strongest
{
    int index = 0;
    double energy = 0;
    double runnerUp = 0;
};

Strongest strongestOf(std::span<const float> x, const std::array<double, 4> &frequencies)
{
    Strongest s;
    for (int i = 0; i < 4; ++i) {
        const double e = toneEnergy(x, frequencies[size_t(i)]);
        if (e > s.energy) {
            s.runnerUp = s.energy;
            s.energy = e;
            s.index = i;
        } else {
            s.runnerUp = std::max(s.runnerUp, e);
        }
    }
    return s;
}

} // namespace

void DtmfDetector::feed(std::span<const int16_t> samples)
{
    while (!samples.empty()) {
        const size_t n = std::min(samples.size(), size_t(kWindowSamples - m_filled));
        std::transform(samples.begin(), samples.begin() + qsizetype(n), m_window.begin() + m_filled,
                       [](int16_t v) { return float(v) / 32768.f; });
        m_filled += int(n);
        samples = samples.subspan(n);
        if (m_filled < kWindowSamples)
            return;
        m_filled = 0;
        const QChar digit = classifyWindow();
        if (digit != m_candidate) {
            m_candidate = digit;
            m_windowsSeen = 0;
            m_reported = false;
        }
        if (digit.isNull())
            continue;
        if (++m_windowsSeen >= kWindowsForDigit && !m_reported) {
            m_reported = true;
            if (m_digits.size() < kMaxDigitsKept)
                m_digits += digit;
        }
    }
}

QChar DtmfDetector::classifyWindow() const
{
    const std::span<const float> x(m_window);
    double total = 0;
    for (const float v : x)
        total += double(v) * v;
    const double minEnergy = kMinAmplitude * kMinAmplitude * kWindowSamples / 2;
    if (total < 2 * minEnergy)
        return {};
    const Strongest low = strongestOf(x, kLow);
    const Strongest high = strongestOf(x, kHigh);
    if (low.energy < minEnergy || high.energy < minEnergy)
        return {};
    if (low.energy < kStandOut * low.runnerUp || high.energy < kStandOut * high.runnerUp)
        return {};
    if (low.energy > kMaxTwist * high.energy || high.energy > kMaxTwist * low.energy)
        return {};
    if (low.energy + high.energy < kMinShare * total)
        return {};
    return QLatin1Char(kKeys[low.index][high.index]);
}

QString DtmfDetector::takeDigits()
{
    return std::exchange(m_digits, QString());
}

void DtmfDetector::reset()
{
    m_filled = 0;
    m_candidate = QChar();
    m_windowsSeen = 0;
    m_reported = false;
    m_digits.clear();
}

} // namespace softphone::media
