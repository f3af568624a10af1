#pragma once
// Remembers which push pairs the application server already sent, so a caller
// who posts the same pair again gets "duplicate" and no second push
// (docs/security.md "The push pair"). A pair is accepted only within
// kWindowSeconds of its issue, so an entry is needed only that long: entries
// leave in arrival order, memory is bounded by the posting rate, and a hard cap
// refuses new pairs (fail closed) rather than forget a sent one. In memory: a
// restart forgets, which only matters for pairs issued in the last window.

#include <QByteArray>
#include <QSet>
#include <deque>
#include <utility>

namespace softphone::server::appserver {

class ReplayGuard
{
public:
    static constexpr qint64 kWindowSeconds = 300;
    static constexpr qsizetype kDefaultCapacity = 200000;

    explicit ReplayGuard(qsizetype capacity = kDefaultCapacity)
        : m_capacity(capacity)
    {}

    enum class Result { Fresh, Duplicate, Full };
    // Records `identity` (any bytes naming the pair) at `nowSecs` unless it is
    // known (Duplicate) or the table is full (Full: nothing recorded).
    Result admit(const QByteArray &identity, qint64 nowSecs);
    qsizetype size() const { return m_seen.size(); }

private:
    using Key = std::pair<quint64, quint64>; // the first 16 bytes of SHA-256(identity)
    void expire(qint64 nowSecs);

    qsizetype m_capacity;
    QSet<Key> m_seen;
    std::deque<std::pair<qint64, Key>> m_order; // (seconds recorded, key), oldest first
};

} // namespace softphone::server::appserver
