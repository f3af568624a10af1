#include "TestCluster.h"

#include <QDeadlineTimer>
#include <QTcpServer>
#include <QTest>

namespace softphone::test {

TestCluster::~TestCluster()
{
    m_nodes.clear();
    m_redis.reset();
    m_postgres.reset();
}

bool TestCluster::start(int nodes, const QString &roles, const QStringList &extraArgs)
{
    return start(QStringList(nodes, roles), extraArgs);
}

bool TestCluster::start(const QStringList &roles, const QStringList &extraArgs)
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
    // Each node's push endpoints name its own HTTP origin, so every application
    // server trusts every node's (--push-allow), as run-local-cluster and
    // node.env.example deploy it: the HTTP ports are chosen before any node starts.
    QList<quint16> httpPorts;
    QStringList pushAllow;
    {
        std::vector<std::unique_ptr<QTcpServer>> probes; // held together: distinct ports
        for (int i = 1; i <= roles.size(); ++i) {
            probes.push_back(std::make_unique<QTcpServer>());
            if (!probes.back()->listen(QHostAddress::LocalHost, 0)) {
                m_lastError = QStringLiteral("no free loopback port");
                return false;
            }
            httpPorts << probes.back()->serverPort();
            pushAllow << QStringLiteral("--push-allow")
                      << QStringLiteral("http://127.0.0.1:%1").arg(httpPorts.last());
        }
    }
    for (int i = 1; i <= roles.size(); ++i) {
        m_nodes.push_back(std::make_unique<ServerProcess>(
            QStringList{QStringLiteral("--database"), m_postgres->url(), QStringLiteral("--bus"),
                        m_redis->url(), QStringLiteral("--node-id"), nodeId(i),
                        QStringLiteral("--roles"), roles.at(i - 1), QStringLiteral("--http-listen"),
                        QStringLiteral("127.0.0.1:%1").arg(httpPorts.at(i - 1))} +
            pushAllow + extraArgs));
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

bool TestCluster::addUsers(const QStringList &users, const QString &password)
{
    for (const QString &user : users)
        if (!m_nodes.front()->addUser(user, password))
            return false;
    return true;
}

QString TestCluster::serviceAddress(const QList<int> &numbers)
{
    QStringList urls;
    for (int number : numbers)
        urls << node(number).appServerUrl().toString(QUrl::StripTrailingSlash);
    return urls.join(QLatin1Char(','));
}

int TestCluster::nodeOfCallingUrl(const QUrl &callingUrl)
{
    for (int i = 1; i <= size(); ++i)
        if (node(i).callingUrl().port() == callingUrl.port())
            return i;
    return 0;
}

bool TestCluster::located(const QString &user, const QString &device, const QString &nodeId,
                          int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        const QString value =
            m_redis->cli({QStringLiteral("HGET"), QStringLiteral("softphone:loc:") + user, device});
        // "<expires ms> <node> <flags>" (DeviceLocations)
        if (value.trimmed().split(u' ').value(1) == nodeId)
            return true;
        QTest::qWait(100);
    }
    return false;
}

} // namespace softphone::test
