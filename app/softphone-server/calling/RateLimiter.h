#pragma once
// Per-connection message rate limit (docs/protocol.md "Rate"): a token bucket
// of kRateLimitBurst tokens refilled at kRateLimitPerSecond. The first message
// over the limit is answered with error rate_limited; a client that sends
// another burst's worth while still limited is closed with 4429.

#include <QElapsedTimer>

namespace softphone::server::calling {

class RateLimiter
{
public:
    enum class Verdict {
        Accept, // handle the message
        Warn,   // drop it and send error rate_limited (once per episode)
        Drop,   // drop it silently (already warned)
        Close,  // still flooding after the warning: close with 4429
    };

    RateLimiter(int perSecond, int burst);

    Verdict take();
    // The bucket is full again: a limiter kept per user can be forgotten.
    bool isIdle();

private:
    void refill();

    const double m_perSecond;
    const double m_burst;
    double m_tokens;
    QElapsedTimer m_clock;
    qint64 m_lastNs = 0;
    bool m_warned = false;
    int m_droppedSinceWarning = 0;
};

} // namespace softphone::server::calling
