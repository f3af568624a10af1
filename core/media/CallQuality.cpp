#include "CallQuality.h"

#include <algorithm>

namespace softphone::media {

int CallQuality::bars() const
{
    if (framesReceived == 0)
        return -1;
    const double lost = lossPercent + latePercent;
    int bars = 4;
    for (const double step : {1.0, 3.0, 8.0, 15.0})
        bars -= lost > step ? 1 : 0;
    for (const double step : {40.0, 80.0})
        bars -= jitterMs > step ? 1 : 0;
    for (const double step : {300.0, 600.0})
        bars -= roundTripMs > step ? 1 : 0;
    return std::max(bars, 0);
}

RecentQuality::RecentQuality(qint64 windowMs)
    : m_windowMs(windowMs)
{}

void RecentQuality::apply(CallQuality &q, qint64 nowMs)
{
    // A counter that went back (the stream was reset) starts over from nothing.
    if (!m_polls.empty() &&
        (q.framesExpected < m_polls.back().expected || q.framesReceived < m_polls.back().received ||
         q.framesLate < m_polls.back().late))
        m_polls.clear();
    if (m_polls.empty())
        m_polls.push_back({nowMs, 0, 0, 0}); // the call's start: nothing counted yet
    m_polls.push_back({nowMs, q.framesExpected, q.framesReceived, q.framesLate});
    while (m_polls.size() > 2 &&
           (nowMs - m_polls[1].atMs >= m_windowMs || m_polls.size() > kMaxPolls))
        m_polls.pop_front();
    const Poll &from = m_polls.front();
    const Poll &to = m_polls.back();
    const quint64 expected = to.expected - from.expected;
    if (expected > 0) {
        const quint64 received = to.received - from.received;
        m_lossPercent =
            received >= expected ? 0.0 : 100.0 * double(expected - received) / double(expected);
        m_latePercent = std::min(100.0, 100.0 * double(to.late - from.late) / double(expected));
    }
    q.lossPercent = m_lossPercent;
    q.latePercent = m_latePercent;
}

} // namespace softphone::media
