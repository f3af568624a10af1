#pragma once
// Keepalive for many connections without a timer each: the members are visited
// about once a second, one tenth of them on each 100 ms tick, so a large server
// never stalls its loop for a whole pass (a timer per connection costs memory
// and timer churn at 20k idle connections). Used by the calling service and the
// push role for their hello timeouts, pings and dead-peer checks.

#include <QHash>
#include <QList>
#include <QTimer>

#include <functional>
#include <vector>

namespace softphone::server {

template<typename Connection> class SlicedSweep
{
public:
    static constexpr int kSlices = 10;

    // visit may close connections, which then leave the sweep (remove())
    // while a slice is being visited: they are not visited any more.
    explicit SlicedSweep(std::function<void(Connection *)> visit)
        : m_visit(std::move(visit))
    {
        m_timer.setInterval(1000 / kSlices);
        m_timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_timer, &QTimer::timeout, [this] { tick(); });
    }

    void start() { m_timer.start(); }
    void stop() { m_timer.stop(); }

    void insert(Connection *connection)
    {
        m_members.insert(connection, m_next);
        m_next = (m_next + 1) % kSlices;
    }
    void remove(Connection *connection) { m_members.remove(connection); }
    bool contains(Connection *connection) const { return m_members.contains(connection); }
    QList<Connection *> members() const { return m_members.keys(); }
    void clear() { m_members.clear(); }

private:
    void tick()
    {
        m_current = (m_current + 1) % kSlices;
        std::vector<Connection *> slice;
        slice.reserve(size_t(m_members.size() / kSlices + 1));
        for (auto it = m_members.cbegin(); it != m_members.cend(); ++it)
            if (it.value() == m_current)
                slice.push_back(it.key());
        for (Connection *connection : slice)
            if (m_members.contains(connection))
                m_visit(connection);
    }

    std::function<void(Connection *)> m_visit;
    QHash<Connection *, int> m_members; // every open connection -> its slice
    QTimer m_timer;
    int m_current = 0;
    int m_next = 0;
};

} // namespace softphone::server
