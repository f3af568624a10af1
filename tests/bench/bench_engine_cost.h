#pragma once
// What one operation costs the cluster's engines (docs/benchmarks.md "Engine cost
// per operation"): the Redis commands the nodes sent (counted from MONITOR, so the
// commands a Lua script runs inside one EVAL are told apart from round trips) and
// the PostgreSQL statements they ran (pg_stat_statements, BEGIN and COMMIT
// included), between begin() and end(), divided by the operations done in between,
// so capacity planning is arithmetic. The benches that drive a TestCluster print it
// around their phases. Figures only; nothing here asserts.

#include <QMap>
#include <QProcess>
#include <QString>
#include <memory>

namespace softphone::test {
class PostgresServer;
class RedisServer;
} // namespace softphone::test

namespace softphone::bench {

class EngineCost
{
public:
    // Either engine may be null (a run without PostgreSQL or Redis).
    EngineCost(test::RedisServer *redis, test::PostgresServer *postgres);
    ~EngineCost();
    // Loads pg_stat_statements: PostgreSQL is restarted once with it preloaded (the
    // nodes reconnect at their next query). Call before the measured phases.
    bool enableStatements();
    // Starts counting: a PostgreSQL snapshot, Redis MONITOR (redis-cli) started.
    void begin();
    // Stops counting and prints "per <what>: ..." for `operations` done since begin().
    // Redis PING and PUBSUB (the nodes' keepalive and liveness checks, per second,
    // not per operation) are printed apart, per second.
    void end(const char *what, int operations);

private:
    QMap<QString, qint64> statements();

    test::RedisServer *m_redis;
    test::PostgresServer *m_postgres;
    bool m_statements = false;
    std::unique_ptr<QProcess> m_monitor;
    QMap<QString, qint64> m_statementsAtBegin;
    qint64 m_beginUs = 0;
};

} // namespace softphone::bench
