#include "RecentIds.h"

namespace softphone {

bool RecentIds::remember(const QString &id)
{
    if (m_index.contains(id))
        return false;
    m_ids.append(id);
    m_index.insert(id);
    while (m_ids.size() > m_limit)
        m_index.remove(m_ids.takeFirst());
    return true;
}

void RecentIds::assign(const QStringList &ids)
{
    m_ids.clear();
    m_index.clear();
    for (const QString &id : ids)
        remember(id);
}

} // namespace softphone
