// The sign-in path's cost (docs/benchmarks.md "Sign-in"): `user add` (one scrypt
// hash in a new process), one login over HTTP (one scrypt check), and 40 parallel
// logins for 40 names: how many were checked and refused, the time to the last
// answer and the server's peak RSS (each check holds 128 MiB while it runs).
// Figures only; nothing here asserts. Run it against another server binary with
// SOFTPHONE_SERVER_BIN=... to compare.
//   bench_login [rounds]     (default 5)
//   bench_login cluster [N]  (default 50) what a login costs the engines: two
//                            application servers on one PostgreSQL and one Redis
//                            (TestCluster), N good logins, N token refreshes (with
//                            a request id, retried, without) and N wrong passwords
//                            alternating between the nodes (bench_engine_cost.h).
#include "bench_calling_support.h"
#include "bench_engine_cost.h"
#include "integration/security/accounts/LoopbackClients.h"
#include "support/ServerProcess.h"
#include "support/TestCluster.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <cstdio>

using namespace softphone;
using namespace softphone::bench;

namespace {

qint64 peakRssKb(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

double medianMs(std::vector<qint64> us)
{
    std::sort(us.begin(), us.end());
    return us.empty() ? 0 : double(us[us.size() / 2]) / 1000.0;
}

int runCluster(int logins)
{
    test::TestCluster cluster;
    if (!cluster.start(2, QStringLiteral("appserver"))) {
        std::fprintf(stderr, "cluster: %s\n", qPrintable(cluster.lastError()));
        return 1;
    }
    QStringList users;
    for (int i = 0; i < logins; ++i)
        users << QStringLiteral("user%1").arg(i);
    if (!cluster.addUsers(users, QStringLiteral("bench-password"))) {
        std::fprintf(stderr, "user add failed\n");
        return 1;
    }
    EngineCost cost(&cluster.redis(), &cluster.postgres());
    if (!cost.enableStatements())
        std::printf("pg_stat_statements could not be loaded: no statement counts\n");
    // Each node's connections reopened after the restart before counting.
    for (int node = 1; node <= cluster.size(); ++node)
        cluster.node(node).login(users[0], QStringLiteral("bench-password"));
    cost.begin();
    int failed = 0;
    QStringList refreshTokens;
    for (int i = 0; i < logins; ++i) {
        const test::HttpReply reply =
            cluster.node(1 + i % 2).loginReply(users[i], QStringLiteral("bench-password"));
        failed += reply.status != 200;
        refreshTokens << reply.json.value(u"refreshToken").toString();
    }
    cost.end("login", logins);
    // Token refreshes as the clients send them (with a request id), each then
    // retried on the other node as after a lost answer, then refreshes without an id.
    auto refresh = [&](int node, const QString &token, const QString &id) {
        QJsonObject body{{"refreshToken", token}};
        if (!id.isEmpty())
            body.insert(QLatin1StringView("requestId"), id);
        return cluster.node(node).http().postJson(
            cluster.node(node).appServerUrl().resolved(QUrl(QStringLiteral("/v1/token"))), body);
    };
    int refreshFailed = 0;
    QStringList fresh;
    cost.begin();
    for (int i = 0; i < logins; ++i) {
        const test::HttpReply reply =
            refresh(1 + i % 2, refreshTokens[i], QStringLiteral("bench-request-%1-0000000").arg(i));
        refreshFailed += reply.status != 200;
        fresh << reply.json.value(u"refreshToken").toString();
    }
    cost.end("token refresh with a request id", logins);
    cost.begin();
    for (int i = 0; i < logins; ++i)
        refreshFailed +=
            refresh(2 - i % 2, refreshTokens[i], QStringLiteral("bench-request-%1-0000000").arg(i))
                .json.value(u"refreshToken")
                .toString() != fresh[i];
    cost.end("retried refresh (same request id, other node)", logins);
    cost.begin();
    for (int i = 0; i < logins; ++i)
        refreshFailed += refresh(1 + i % 2, fresh[i], {}).status != 200;
    cost.end("token refresh without a request id", logins);
    cost.begin();
    int refused = 0;
    for (int i = 0; i < logins; ++i)
        if (cluster.node(1 + i % 2).loginReply(users[i], QStringLiteral("wrong")).status == 401)
            ++refused;
    cost.end("wrong password", logins);
    // Nothing to do: what the nodes send anyway (the bus keepalive).
    cost.begin();
    waitFor([] { return false; }, 5000);
    cost.end("5 s of idle, 2 nodes", 1);
    std::printf("cluster: %d logins (%d failed), %d x 3 refreshes (%d failed), then %d wrong "
                "passwords (%d refused with 401), alternating between 2 nodes\n",
                logins, failed, logins, refreshFailed, logins, refused);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (app.arguments().value(1) == u"cluster") {
        prepareServerEnvironment();
        return runCluster(std::max(1, app.arguments().value(2, QStringLiteral("50")).toInt()));
    }
    const int rounds = std::max(1, app.arguments().value(1, QStringLiteral("5")).toInt());
    prepareServerEnvironment();
    // The production cost, not the suite's test cost (ServerProcess::hashCostArgs).
    test::ServerProcess server({QStringLiteral("--roles"), QStringLiteral("appserver"),
                                QStringLiteral("--set"),
                                QStringLiteral("appserver.scrypt_log2n=17")});
    if (!server.start()) {
        std::fprintf(stderr, "server: %s\n", qPrintable(server.lastError()));
        return 1;
    }
    std::vector<qint64> addUs, loginUs;
    for (int i = 0; i < rounds; ++i) {
        const QString user = QStringLiteral("user%1").arg(i);
        const qint64 t0 = nowUs();
        if (!server.addUser(user, QStringLiteral("bench-password-%1").arg(i))) {
            std::fprintf(stderr, "user add failed\n");
            return 1;
        }
        addUs.push_back(nowUs() - t0);
    }
    for (int i = 0; i < rounds; ++i) {
        const qint64 t0 = nowUs();
        if (server
                .login(QStringLiteral("user%1").arg(i), QStringLiteral("bench-password-%1").arg(i))
                .isEmpty()) {
            std::fprintf(stderr, "login failed\n");
            return 1;
        }
        loginUs.push_back(nowUs() - t0);
    }
    std::printf("user add (new process, one hash): median %.0f ms over %d\n", medianMs(addUs),
                rounds);
    std::printf("login over HTTP (one check):      median %.0f ms over %d\n", medianMs(loginUs),
                rounds);

    const qint64 pid = serverPid(server.dataDir());
    const qint64 peakBefore = peakRssKb(pid);
    QList<QByteArray> bodies;
    for (int i = 0; i < 40; ++i)
        bodies << QJsonDocument(QJsonObject{{"user", QStringLiteral("name%1").arg(i)},
                                            {"password", "guess-guess"}})
                      .toJson(QJsonDocument::Compact);
    QUrl url = server.appServerUrl();
    url.setPath(QStringLiteral("/v1/login"));
    QElapsedTimer timer;
    timer.start();
    const QList<test::HttpReply> replies =
        test::parallelPosts(url, bodies, {{"Content-Type", "application/json"}},
                            QHostAddress(QHostAddress::LocalHost), 300000);
    const qint64 ms = timer.elapsed();
    QMap<int, int> counts;
    for (const test::HttpReply &reply : replies)
        ++counts[reply.status];
    QStringList tally;
    for (auto it = counts.begin(); it != counts.end(); ++it)
        tally << QStringLiteral("%1 x %2").arg(it.value()).arg(it.key());
    std::printf("40 parallel logins, 40 names:     %s, last answer after %lld ms; server peak "
                "RSS %lld -> %lld MiB\n",
                qPrintable(tally.join(QStringLiteral(", "))), ms, peakBefore / 1024,
                peakRssKb(pid) / 1024);
    return 0;
}
