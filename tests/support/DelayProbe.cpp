#include "DelayProbe.h"

#include "Processes.h"

#include <QElapsedTimer>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace softphone::test {

namespace {
constexpr int kRate = 48000;
constexpr double kAbsThreshold = 300; // envelope level that means "a burst is there"

double nowNs()
{
    static QElapsedTimer clock = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return double(clock.nsecsElapsed());
}

// Onset of a burst found at or after `from`: the first sample whose envelope
// reaches half the burst's peak (peak over the 60 ms after it crossed the
// absolute threshold). Returns -1 if none before `to`.
double onset(const std::vector<float> &e, size_t from, size_t to)
{
    to = std::min(to, e.size());
    size_t k = from;
    while (k < to && e[k] < kAbsThreshold)
        ++k;
    if (k >= to)
        return -1;
    const size_t peakEnd = std::min(e.size(), k + size_t(kRate * 60 / 1000));
    const float peak = *std::max_element(e.begin() + long(k), e.begin() + long(peakEnd));
    size_t j = k > size_t(kRate / 100) ? k - size_t(kRate / 100) : 0;
    while (j < peakEnd && e[j] < peak / 2)
        ++j;
    return double(j);
}
} // namespace

TimedRecorder::TimedRecorder(const QString &source)
{
    nowNs(); // the clock starts before the first read
    QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process, [this] {
        const double t = nowNs();
        m_bytes += m_process.readAllStandardOutput();
        const double n = double(m_bytes.size() / 2);
        m_reads.push_back({n, t - n * 1e9 / kRate});
    });
    dieWithTest(m_process);
    m_process.start(QStringLiteral("parec"),
                    {QStringLiteral("-d"), source, QStringLiteral("--raw"),
                     QStringLiteral("--format=s16le"), QStringLiteral("--rate=48000"),
                     QStringLiteral("--channels=1"), QStringLiteral("--latency-msec=10")});
}

TimedRecorder::~TimedRecorder()
{
    stop();
}

bool TimedRecorder::started()
{
    return m_process.waitForStarted(5000);
}

void TimedRecorder::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.kill();
    m_process.waitForFinished(5000);
}

std::vector<float> TimedRecorder::envelope() const
{
    const auto *s = reinterpret_cast<const int16_t *>(m_bytes.constData());
    const size_t n = samples();
    std::vector<float> e(n);
    constexpr int w = kRate / 1000;
    double sum = 0;
    for (size_t i = 0; i < n; ++i) {
        sum += std::abs(int(s[i]));
        if (i >= size_t(w))
            sum -= std::abs(int(s[i - w]));
        e[i] = float(sum / w);
    }
    return e;
}

double TimedRecorder::sampleAt(double ns) const
{
    const double k = (ns - startNear(-1)) * kRate / 1e9;
    return (ns - startNear(k)) * kRate / 1e9;
}

double TimedRecorder::startSpreadMs() const
{
    double lo = 1e300, hi = -1e300;
    for (double k = 0; k < double(samples()); k += kRate / 2) {
        lo = std::min(lo, startNear(k));
        hi = std::max(hi, startNear(k));
    }
    return hi < lo ? 0 : (hi - lo) / 1e6;
}

double TimedRecorder::startNear(double k) const
{
    double best = 1e300;
    for (const Read &r : m_reads)
        if (k < 0 || std::abs(r.samples - k) <= kRate / 2)
            best = std::min(best, r.start);
    return best < 1e299 ? best : 0;
}

std::vector<int16_t> chirpBurst()
{
    std::vector<int16_t> out(kRate / 20);
    const double f0 = 600, f1 = 2400, len = double(out.size()) / kRate;
    for (size_t i = 0; i < out.size(); ++i) {
        const double t = double(i) / kRate;
        const double phase = 2 * std::numbers::pi * (f0 * t + (f1 - f0) * t * t / (2 * len));
        out[i] = int16_t(12000 * std::sin(phase));
    }
    return out;
}

std::vector<BurstDelay> burstDelays(const TimedRecorder &feed, const TimedRecorder &speaker)
{
    const std::vector<float> fe = feed.envelope();
    const std::vector<float> se = speaker.envelope();
    std::vector<BurstDelay> out;
    size_t from = 0;
    while (true) {
        const double f = onset(fe, from, fe.size());
        if (f < 0)
            break;
        from = size_t(f) + size_t(kRate / 2); // bursts are at least 0.5 s apart
        BurstDelay d;
        d.feedSeconds = f / kRate;
        const double tf = feed.timeOf(f);
        const double s0 = std::max(0.0, speaker.sampleAt(tf - 20e6));
        const double s = onset(se, size_t(s0), size_t(std::max(0.0, speaker.sampleAt(tf + 600e6))));
        if (s >= 0)
            d.ms = (speaker.timeOf(s) - tf) / 1e6;
        out.push_back(d);
    }
    return out;
}

double percentile(std::vector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    const size_t i = size_t(std::lround(p * double(v.size() - 1)));
    return v[i];
}

} // namespace softphone::test
