#include "ReplayGuard.h"

#include "crypto/SymmetricCrypto.h"

#include <QtEndian>

namespace softphone::server::appserver {

void ReplayGuard::expire(qint64 nowSecs)
{
    while (!m_order.empty() && m_order.front().first + kWindowSeconds < nowSecs) {
        m_seen.remove(m_order.front().second);
        m_order.pop_front();
    }
}

ReplayGuard::Result ReplayGuard::admit(const QByteArray &identity, qint64 nowSecs)
{
    expire(nowSecs);
    const QByteArray digest = crypto::sha256(identity);
    const Key key{qFromBigEndian<quint64>(digest.constData()),
                  qFromBigEndian<quint64>(digest.constData() + 8)};
    if (m_seen.contains(key))
        return Result::Duplicate;
    if (m_seen.size() >= m_capacity)
        return Result::Full;
    m_seen.insert(key);
    m_order.emplace_back(nowSecs, key);
    return Result::Fresh;
}

} // namespace softphone::server::appserver
