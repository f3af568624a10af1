#include "CallQuality.h"

#include "JitterBuffer.h"

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
    // Polled more often than the window's share per kept poll, the newest poll
    // takes the place of the one before: the window keeps its length however
    // often someone polls, in at most about kMaxPolls entries.
    const Poll poll{nowMs, q.framesExpected, q.framesReceived, q.framesLate};
    const qint64 spacing = m_windowMs / qint64(kMaxPolls);
    if (m_polls.size() >= 3 && nowMs - m_polls[m_polls.size() - 2].atMs < spacing)
        m_polls.back() = poll;
    else
        m_polls.push_back(poll);
    while (m_polls.size() > 2 &&
           (nowMs - m_polls[1].atMs >= m_windowMs || m_polls.size() > kMaxPolls + 2))
        m_polls.pop_front();
    const Poll &from = m_polls.front();
    const Poll &to = m_polls.back();
    // The window's counts, read as the jitter buffer reads the whole call's.
    JitterBuffer::Stats window;
    window.expected = to.expected - from.expected;
    window.received = to.received - from.received;
    window.late = to.late - from.late;
    if (window.expected > 0) {
        m_lossPercent = window.lossPercent();
        m_latePercent = std::min(100.0, window.latePercent());
    }
    q.lossPercent = m_lossPercent;
    q.latePercent = m_latePercent;
}

} // namespace softphone::media
