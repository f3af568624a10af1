#include "RateLimiter.h"

#include <algorithm>

namespace softphone::server::calling {

RateLimiter::RateLimiter(int perSecond, int burst)
    : m_perSecond(perSecond)
    , m_burst(burst)
    , m_tokens(burst)
{
    m_clock.start();
}

void RateLimiter::refill()
{
    const qint64 now = m_clock.nsecsElapsed();
    m_tokens = std::min(m_burst, m_tokens + double(now - m_lastNs) * m_perSecond / 1e9);
    m_lastNs = now;
    // The episode ends only when the client has been quiet long enough to earn a
    // full bucket back, so a flood paced just over the limit still ends in 4429.
    if (m_warned && m_tokens >= m_burst) {
        m_warned = false;
        m_droppedSinceWarning = 0;
    }
}

bool RateLimiter::isIdle()
{
    refill();
    return m_tokens >= m_burst;
}

RateLimiter::Verdict RateLimiter::take()
{
    refill();
    if (m_tokens >= 1.0) {
        m_tokens -= 1.0;
        return Verdict::Accept;
    }
    if (!m_warned) {
        m_warned = true;
        return Verdict::Warn;
    }
    if (++m_droppedSinceWarning >= int(m_burst))
        return Verdict::Close;
    return Verdict::Drop;
}

} // namespace softphone::server::calling
