#pragma once
// A cluster of softphone-server nodes for tests, as docs/operations.md "Several
// nodes" deploys it: one real PostgreSQL, one real Redis (--bus), and nodes
// n1..nN started with --database, --bus and --node-id, sharing node 1's keys
// (copied before the others start) so a token or payload of one node is good on
// every node, and each trusting every node's push origin (--push-allow with the
// nodes' HTTP addresses, chosen before the first starts). For the tests that call across, kill or
// restart its parts. Test code only (waits in nested event loops).

#include "PostgresServer.h"
#include "RedisServer.h"
#include "ServerProcess.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <memory>
#include <vector>

namespace softphone::test {

class TestCluster
{
public:
    TestCluster() = default;
    ~TestCluster(); // nodes first, then Redis and PostgreSQL
    TestCluster(const TestCluster &) = delete;
    TestCluster &operator=(const TestCluster &) = delete;

    // Starts PostgreSQL, Redis and `nodes` nodes with `roles` (e.g.
    // "appserver,calling") plus extraArgs each; false with lastError().
    bool start(int nodes, const QString &roles, const QStringList &extraArgs = {});
    // The same with one node per entry of `roles` (its --roles).
    bool start(const QStringList &roles, const QStringList &extraArgs = {});
    // Each user with `password`, through node 1 (the accounts are shared).
    bool addUsers(const QStringList &users, const QString &password);

    // 1-based, as the node ids n1..nN.
    ServerProcess &node(int number) { return *m_nodes.at(size_t(number - 1)); }
    static QString nodeId(int number) { return QStringLiteral("n%1").arg(number); }
    int size() const { return int(m_nodes.size()); }
    RedisServer &redis() { return *m_redis; }
    PostgresServer &postgres() { return *m_postgres; }
    QString lastError() const { return m_lastError; }

    // A service address listing these nodes' application servers in this
    // order, as a client's --server takes it ("http://...,http://...").
    QString serviceAddress(const QList<int> &numbers);
    // The node (1-based) whose calling service `callingUrl` is; 0 for none.
    int nodeOfCallingUrl(const QUrl &callingUrl);

    // Waits (bounded) until Redis says `user`'s `device` is on node `nodeId`.
    bool located(const QString &user, const QString &device, const QString &nodeId,
                 int timeoutMs = 10000);
    bool located(const QString &user, const QString &device, int number, int timeoutMs = 10000)
    {
        return located(user, device, nodeId(number), timeoutMs);
    }

    void stopNodes() { m_nodes.clear(); }

private:
    std::unique_ptr<PostgresServer> m_postgres;
    std::unique_ptr<RedisServer> m_redis;
    std::vector<std::unique_ptr<ServerProcess>> m_nodes;
    QString m_lastError;
};

} // namespace softphone::test
