#pragma once
// A cluster of softphone-server nodes for tests, as docs/operations.md "Several
// nodes" deploys it: one PostgreSQL, one Redis (--bus), N nodes with
// --node-id n1..nN sharing node 1's keys (a token or payload of one node is
// good on all). For the tests that kill or restart its parts. Test code only
// (waits in nested event loops).

#include "PostgresServer.h"
#include "RedisServer.h"
#include "ServerProcess.h"

#include <QList>
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

    // The engines, then one node per entry of `roles` (its --roles), each with
    // extraArgs; false with the reason in *error.
    bool start(const QStringList &roles, const QStringList &extraArgs, QString *error);
    // Each user with `password`, through node 1 (the accounts are shared).
    bool addUsers(const QStringList &users, const QString &password);

    ServerProcess &node(int number) { return *m_nodes.at(size_t(number - 1)); } // 1-based
    int size() const { return int(m_nodes.size()); }
    PostgresServer &postgres() { return *m_postgres; }
    RedisServer &redis() { return *m_redis; }
    // A service address listing these nodes' application servers in this
    // order, as a client's --server takes it ("http://...,http://...").
    QString serviceAddress(const QList<int> &numbers);
    // The node (1-based) whose calling service `callingUrl` is; 0 for none.
    int nodeOfCallingUrl(const QUrl &callingUrl);
    // Waits (bounded) until Redis says `user`'s `device` is on node `number`.
    bool located(const QString &user, const QString &device, int number, int timeoutMs = 10000);

private:
    std::unique_ptr<PostgresServer> m_postgres;
    std::unique_ptr<RedisServer> m_redis;
    std::vector<std::unique_ptr<ServerProcess>> m_nodes;
};

} // namespace softphone::test
