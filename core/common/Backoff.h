#pragma once
// Reconnect delays: exponential with jitter and a cap (gRPC's figures by default:
// 1 s initial, x1.6, +-20 %, 120 s cap), so a server restart does not bring
// every client back in the same millisecond.

#include <chrono>

namespace softphone {

class Backoff
{
public:
    struct Policy
    {
        std::chrono::milliseconds initial{1000};
        double multiplier = 1.6;
        double jitter = 0.2;
        std::chrono::milliseconds cap{120000};
    };

    Backoff() = default;
    explicit Backoff(Policy policy)
        : m_policy(policy)
    {}

    // The delay before the next attempt; each call grows the base delay.
    std::chrono::milliseconds next();
    void reset() { m_attempt = 0; }
    int attempts() const { return m_attempt; }

private:
    Policy m_policy;
    int m_attempt = 0;
};

} // namespace softphone
