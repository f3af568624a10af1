#pragma once
// A bounded list of ids seen lately, the oldest forgotten first: the one place
// that hides repeats (pushes handed over twice, messages delivered twice, calls
// already answered from a notification, push versions already acknowledged).

#include <QSet>
#include <QStringList>

namespace softphone {

class RecentIds
{
public:
    explicit RecentIds(int limit)
        : m_limit(limit > 0 ? limit : 1)
    {}

    // Remembers id; true if it was not remembered before (a first sighting).
    bool remember(const QString &id);
    bool contains(const QString &id) const { return m_index.contains(id); }

    // Oldest first, for saving; assign() restores such a list, keeping the newest.
    const QStringList &ids() const { return m_ids; }
    void assign(const QStringList &ids);

    int size() const { return int(m_ids.size()); }
    int limit() const { return m_limit; }

private:
    int m_limit;
    QStringList m_ids;     // oldest first
    QSet<QString> m_index; // the same ids, for lookups
};

} // namespace softphone
