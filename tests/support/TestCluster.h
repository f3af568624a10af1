#pragma once
// A cluster of softphone-server nodes for tests (docs/operations.md "Several
// nodes"): one real PostgreSQL, one real Redis, and nodes n1..nN started with
// --database, --bus and --node-id, sharing node 1's keys (copied before the
// others start) so a token or payload of one node is good on every node.
// Test code only (waits).

#include "PostgresServer.h"
#include "RedisServer.h"
#include "ServerProcess.h"

#include <QString>
#include <QStringList>
#include <memory>
#include <vector>

namespace softphone::test {

class TestCluster
{
public:
    TestCluster();
    ~TestCluster(); // nodes first, then Redis and PostgreSQL

    // Starts PostgreSQL, Redis and `nodes` nodes with `roles` (e.g.
    // "appserver,calling") plus extraArgs each; false with lastError().
    bool start(int nodes, const QString &roles, const QStringList &extraArgs = {});

    // 1-based, as the node ids n1..nN.
    ServerProcess &node(int number) { return *m_nodes.at(size_t(number - 1)); }
    static QString nodeId(int number) { return QStringLiteral("n%1").arg(number); }
    int size() const { return int(m_nodes.size()); }
    RedisServer &redis() { return *m_redis; }
    PostgresServer &postgres() { return *m_postgres; }
    QString lastError() const { return m_lastError; }

    // Waits (bounded) until Redis says `user`'s `device` is on node `nodeId`.
    bool located(const QString &user, const QString &device, const QString &nodeId,
                 int timeoutMs = 10000);

    void stopNodes() { m_nodes.clear(); }

private:
    std::unique_ptr<PostgresServer> m_postgres;
    std::unique_ptr<RedisServer> m_redis;
    std::vector<std::unique_ptr<ServerProcess>> m_nodes;
    QString m_lastError;
};

} // namespace softphone::test
