// Call setup through the calling service (figures only, never pass/fail; see
// docs/benchmarks.md "Calling service"):
//   bench_call_setup [IDLE ...]     (default 0 10000)
//   bench_call_setup cluster        callers on node 1, callees on nodes 2 and 3
//                                   (alternately) of a three-node cluster on one
//                                   PostgreSQL and one Redis (TestCluster, as
//                                   docs/operations.md deploys it), no idle
//                                   connections: the cross-node dial -> incoming,
//                                   and what a device sign-in and a call cost the
//                                   engines (bench_engine_cost.h).
// For each IDLE: a fresh `softphone-server serve --roles calling`, IDLE idle
// connections (bench_calling_fleet workers), kPairs caller/callee pairs held
// here, then kCalls calls one after another: `call` from the caller until
// `incoming` reaches the callee (dial -> incoming), then the caller hangs up and
// the next call starts when the callee saw `ended`. Pairs take turns so no
// connection comes near the per-connection rate limit.
#include "bench_calling_support.h"
#include "bench_engine_cost.h"
#include "protocol/Builders.h"
#include "support/ServerProcess.h"
#include "support/TestCluster.h"

#include <QCoreApplication>
#include <QUuid>
#include <cstdio>

using namespace softphone;
using namespace softphone::bench;

namespace {

constexpr int kPairs = 50;
constexpr int kCalls = 1000;
constexpr int kCostedCalls = 100;
constexpr int kPerWorker = 2500;

// idle == -1: the cluster run (callees on two other nodes sharing the keys and a Redis).
void runWith(int idle)
{
    // Thousands of clients from 127.0.0.1 stand for as many addresses: no per-address cap.
    // The per-user call limit is lifted too: 50 callers place 1100 calls in seconds.
    const QStringList limits{
        QStringLiteral("--set"), QStringLiteral("ws.pending_per_address=1000000"),
        QStringLiteral("--set"), QStringLiteral("calling.user_calls_per_second=1000000"),
        QStringLiteral("--set"), QStringLiteral("calling.user_calls_burst=1000000")};
    test::TestCluster cluster;
    std::unique_ptr<test::ServerProcess> single;
    if (idle < 0) {
        if (!cluster.start(3, QStringLiteral("calling"), limits)) {
            std::printf("cluster: %s\n", qPrintable(cluster.lastError()));
            return;
        }
    } else {
        single = std::make_unique<test::ServerProcess>(
            QStringList{QStringLiteral("--roles"), QStringLiteral("calling")} + limits);
        if (!single->start()) {
            std::printf("idle=%d: server did not start: %s\n", idle,
                        qPrintable(single->lastError()));
            return;
        }
    }
    test::ServerProcess &server = idle < 0 ? cluster.node(1) : *single;
    EngineCost cost(idle < 0 ? &cluster.redis() : nullptr,
                    idle < 0 ? &cluster.postgres() : nullptr);
    if (idle < 0 && !cost.enableStatements())
        std::printf("pg_stat_statements could not be loaded: no statement counts\n");
    const QUrl url = server.callingUrl();
    // Pairs alternate between nodes 2 and 3 in the cluster run.
    auto calleeUrl = [&](int pair) {
        return idle >= 0 ? url : cluster.node(pair % 2 ? 3 : 2).callingUrl();
    };
    cost.begin();
    std::unique_ptr<Fleet> fleet;
    if (idle > 0) {
        fleet = std::make_unique<Fleet>(url, server.dataDir(), QStringLiteral("idle"), idle,
                                        kPerWorker, Fleet::Reconnect::Immediate);
        fleet->start();
        if (!waitFor([&] { return fleet->isReady(); }, 180000))
            std::printf("idle=%d: only %d idle connections came up\n", idle, fleet->welcomed());
    }
    std::vector<std::unique_ptr<BenchClient>> callers, callees;
    for (int i = 0; i < kPairs; ++i) {
        const QString device = QStringLiteral("bench");
        callers.push_back(std::make_unique<BenchClient>());
        callers.back()->open(
            url, signToken(server.dataDir(), QStringLiteral("caller%1").arg(i), device), device);
        callees.push_back(std::make_unique<BenchClient>());
        callees.back()->open(calleeUrl(i),
                             signToken(server.dataDir(), QStringLiteral("callee%1").arg(i), device),
                             device);
    }
    auto allWelcomed = [&] {
        for (int i = 0; i < kPairs; ++i)
            if (!callers[size_t(i)]->isWelcomed() || !callees[size_t(i)]->isWelcomed())
                return false;
        return true;
    };
    if (!waitFor(allWelcomed, 60000)) {
        std::printf("idle=%d: the caller/callee connections did not all come up\n", idle);
        return;
    }
    if (idle < 0) {
        // Every location is in Redis before the first dial.
        waitFor(
            [&] {
                return cluster.redis()
                           .cli({QStringLiteral("KEYS"), QStringLiteral("softphone:loc:*")})
                           .split(u'\n', Qt::SkipEmptyParts)
                           .size() >= 2 * kPairs;
            },
            10000);
        cost.end("device sign-in (calling hello)", 2 * kPairs);
    }

    std::vector<qint64> setup;
    int started = 0;
    int failures = 0;
    QString currentCall;
    qint64 dialedAt = 0;
    bool finished = false;
    int lastCall = kCalls;
    std::function<void()> dial = [&] {
        if (started >= lastCall) {
            finished = true;
            return;
        }
        const int pair = started % kPairs;
        ++started;
        currentCall = QUuid::createUuid().toString(QUuid::WithoutBraces);
        dialedAt = nowUs();
        callers[size_t(pair)]->send(protocol::makeCall(
            currentCall, QStringLiteral("callee%1").arg(pair), {}, false, QStringLiteral("c")));
    };
    for (int i = 0; i < kPairs; ++i) {
        BenchClient *caller = callers[size_t(i)].get();
        QObject::connect(callees[size_t(i)].get(), &BenchClient::message, caller,
                         [&, caller](const QJsonObject &m, qint64 at) {
                             const QString type = m.value(QLatin1StringView("type")).toString();
                             if (m.value(QLatin1StringView("callId")).toString() != currentCall)
                                 return;
                             if (type == QLatin1StringView("incoming")) {
                                 setup.push_back(at - dialedAt);
                                 caller->send(protocol::makeHangup(currentCall));
                             } else if (type == QLatin1StringView("ended")) {
                                 dial();
                             }
                         });
        QObject::connect(caller, &BenchClient::message, caller, [&](const QJsonObject &m, qint64) {
            if (m.value(QLatin1StringView("type")).toString() == QLatin1StringView("error")) {
                ++failures;
                std::printf("  error: %s\n",
                            qPrintable(m.value(QLatin1StringView("message")).toString()));
                dial();
            }
        });
    }
    const qint64 start = nowUs();
    dial();
    waitFor([&] { return finished; }, 120000);
    const double seconds = double(nowUs() - start) / 1e6;
    std::printf("%s  %d calls in %.1f s, %d errors\n",
                idle < 0 ? "cluster (3 nodes, callers on node 1, callees on nodes 2 and 3)"
                         : qPrintable(QStringLiteral("idle=%1").arg(idle)),
                int(setup.size()), seconds, failures);
    std::printf("  dial -> incoming on the callee: %s\n", qPrintable(summarizeUs(setup)));
    if (idle < 0) {
        // The engines' cost apart from the timed calls: Redis MONITOR slows Redis down.
        cost.begin();
        const size_t timed = setup.size();
        lastCall += kCostedCalls;
        finished = false;
        dial();
        waitFor([&] { return finished; }, 60000);
        // dial, incoming on a device of another node, hang-up, ended
        cost.end("call", int(setup.size() - timed));
    }
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    raiseFileLimit();
    prepareServerEnvironment();
    QCoreApplication app(argc, argv);
    QList<int> idles;
    for (int i = 1; i < argc; ++i)
        idles << (QByteArray(argv[i]) == "cluster" ? -1 : QByteArray(argv[i]).toInt());
    if (idles.isEmpty())
        idles = {0, 10000};
    for (int idle : idles)
        runWith(idle);
    return 0;
}
