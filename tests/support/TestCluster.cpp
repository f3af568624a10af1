#include "TestCluster.h"

#include <QDeadlineTimer>
#include <QTest>

namespace softphone::test {

TestCluster::TestCluster() = default;

TestCluster::~TestCluster()
{
    m_nodes.clear();
    m_redis.reset();
    m_postgres.reset();
}

bool TestCluster::start(int nodes, const QString &roles, const QStringList &extraArgs)
{
    if (!RedisServer::available() || !PostgresServer::available()) {
        m_lastError = QStringLiteral(
            "redis-server or PostgreSQL 15 is missing: packaging/install-deps.sh installs them");
        return false;
    }
    m_postgres = std::make_unique<PostgresServer>();
    if (!m_postgres->start()) {
        m_lastError = m_postgres->lastError();
        return false;
    }
    m_redis = std::make_unique<RedisServer>();
    if (!m_redis->start()) {
        m_lastError = m_redis->lastError();
        return false;
    }
    for (int i = 1; i <= nodes; ++i) {
        m_nodes.push_back(std::make_unique<ServerProcess>(
            QStringList{QStringLiteral("--database"), m_postgres->url(), QStringLiteral("--bus"),
                        m_redis->url(), QStringLiteral("--node-id"), nodeId(i),
                        QStringLiteral("--roles"), roles} +
            extraArgs));
        ServerProcess &started = *m_nodes.back();
        // Node 1's keys: tokens and payloads of one node are good on all.
        if (i > 1 && !started.copyKeysFrom(*m_nodes.front())) {
            m_lastError = QStringLiteral("cannot copy node 1's keys to node %1").arg(i);
            return false;
        }
        if (!started.start()) {
            m_lastError = QStringLiteral("node %1: %2").arg(i).arg(started.lastError());
            return false;
        }
    }
    return true;
}

bool TestCluster::located(const QString &user, const QString &device, const QString &nodeId,
                          int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        const QString value =
            m_redis->cli({QStringLiteral("HGET"), QStringLiteral("softphone:loc:") + user, device});
        if (value.endsWith(u' ' + nodeId))
            return true;
        QTest::qWait(100);
    }
    return false;
}

} // namespace softphone::test
