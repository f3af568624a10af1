#include "Backoff.h"

#include <QRandomGenerator>
#include <algorithm>
#include <cmath>

namespace softphone {

std::chrono::milliseconds Backoff::next()
{
    const double base = double(m_policy.initial.count()) * std::pow(m_policy.multiplier, m_attempt);
    const double capped = std::min(base, double(m_policy.cap.count()));
    const double spread = capped * m_policy.jitter;
    const double jittered =
        capped - spread + QRandomGenerator::global()->generateDouble() * 2 * spread;
    if (base < double(m_policy.cap.count()))
        ++m_attempt;
    return std::chrono::milliseconds(std::max<qint64>(1, qint64(jittered)));
}

} // namespace softphone
