// Calling service under many idle connections (figures only, never pass/fail;
// see docs/benchmarks.md "Calling service"):
//   bench_calling_connections [N ...]     (default 1000 10000 19900)
// For each N: a fresh `softphone-server serve --roles calling` on loopback, N
// idle authenticated connections (worker processes bench_calling_fleet plus
// kSampleClients held here), then
//   - server RSS per connection: VmRSS delta over the empty server / N;
//   - signaling round trip: a `call` to a user with no device and its `ok`,
//     one every kSampleGapMs over the sample connections, so the samples span
//     several of the server's keepalive sweeps.
// Past 28000 connections the server listens on 0.0.0.0 and the workers spread over
// 127.0.0.1..8: run it in a network namespace of its own, as root (the file limit):
//   unshare --net sh -c 'ip link set lo up && bench_calling_connections 100000'
#include "bench_calling_support.h"
#include "protocol/Builders.h"
#include "support/ServerProcess.h"

#include <QCoreApplication>
#include <QHash>
#include <QThread>
#include <QTimer>
#include <QUuid>
#include <cstdio>

using namespace softphone;
using namespace softphone::bench;

namespace {

constexpr int kSampleClients = 200;
constexpr int kSamples = 1000;
constexpr int kSampleGapMs = 5;
constexpr int kPerWorker = 2500;

void runAt(int wanted)
{
    const int n = withinFileLimit(wanted);
    // Thousands of clients from 127.0.0.1 stand for as many addresses: no per-address cap.
    test::ServerProcess server({QStringLiteral("--roles"), QStringLiteral("calling"),
                                QStringLiteral("--set"),
                                QStringLiteral("ws.pending_per_address=1000000")});
    // Past one loopback address's ephemeral ports: 0.0.0.0, the workers spread over 127.0.0.x.
    if (!server.startOn(listenHostFor(n), {})) {
        std::printf("N=%d: server did not start: %s\n", n, qPrintable(server.lastError()));
        return;
    }
    const qint64 pid = serverPid(server.dataDir());
    QThread::msleep(500);
    const qint64 rssEmpty = rssKb(pid);
    const QUrl url = spreadOverLoopback(server.callingUrl(), 0);

    const int samples = std::min(kSampleClients, n);
    const qint64 fillStart = nowUs();
    Fleet fleet(url, server.dataDir(), QStringLiteral("idle"), n - samples, kPerWorker,
                Fleet::Reconnect::Immediate);
    fleet.setSpreadOverLoopback(n > kConnectionsPerLoopbackAddress);
    fleet.start();
    if (!waitFor([&] { return fleet.isReady(); }, 180000)) {
        std::printf("N=%d: only %d of %d idle connections came up in 180 s\n", n, fleet.welcomed(),
                    fleet.total());
    }
    std::vector<std::unique_ptr<BenchClient>> clients;
    for (int i = 0; i < samples; ++i) {
        clients.push_back(std::make_unique<BenchClient>());
        clients.back()->open(
            url,
            signToken(server.dataDir(), QStringLiteral("sample%1").arg(i), QStringLiteral("bench")),
            QStringLiteral("bench"));
    }
    auto welcomedSamples = [&] {
        return int(std::count_if(clients.begin(), clients.end(),
                                 [](const auto &c) { return c->isWelcomed(); }));
    };
    waitFor([&] { return welcomedSamples() == samples; }, 60000);
    const double fillSeconds = double(nowUs() - fillStart) / 1e6;
    const int connected = fleet.welcomed() + welcomedSamples();
    // Let the server settle (sweeps, deferred deletes) before reading its RSS.
    waitFor([] { return false; }, 2000);
    const qint64 rssFull = rssKb(pid);

    // Round trips: one request in flight at a time, spread over time.
    QHash<QString, qint64> sentAt;
    std::vector<qint64> rtt;
    for (auto &client : clients) {
        QObject::connect(client.get(), &BenchClient::message, client.get(),
                         [&](const QJsonObject &m, qint64 at) {
                             const QString re = m.value(QLatin1StringView("re")).toString();
                             const auto it = sentAt.constFind(re);
                             if (it == sentAt.constEnd())
                                 return;
                             rtt.push_back(at - *it);
                             sentAt.erase(it);
                         });
    }
    int sent = 0;
    QTimer pacer;
    QObject::connect(&pacer, &QTimer::timeout, [&] {
        if (sent >= kSamples) {
            pacer.stop();
            return;
        }
        BenchClient &client = *clients[size_t(sent % samples)];
        const QString id = QStringLiteral("r%1").arg(sent);
        const QString callId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        sentAt.insert(id, nowUs());
        client.send(
            protocol::makeCall(callId, QStringLiteral("offline%1").arg(sent), {}, false, id));
        ++sent;
    });
    pacer.start(kSampleGapMs);
    waitFor([&] { return sent >= kSamples && sentAt.isEmpty(); }, kSamples * kSampleGapMs + 120000);

    std::printf("N=%d  connected %d  fill %.1f s (%.0f/s)\n", n, connected, fillSeconds,
                connected / fillSeconds);
    std::printf("  server RSS empty %lld kB, with N %lld kB: %.1f kB per connection\n", rssEmpty,
                rssFull, connected > 0 ? double(rssFull - rssEmpty) / connected : 0.0);
    std::printf("  call->ok round trip: %s  (%lld unanswered)\n", qPrintable(summarizeUs(rtt)),
                qint64(sentAt.size()));
    std::fflush(stdout);
    clients.clear();
}

} // namespace

int main(int argc, char **argv)
{
    const quint64 files = raiseFileLimit();
    prepareServerEnvironment();
    QCoreApplication app(argc, argv);
    QList<int> sizes;
    for (int i = 1; i < argc; ++i)
        sizes << QByteArray(argv[i]).toInt();
    if (sizes.isEmpty())
        sizes = {1000, 10000, 19900};
    std::printf("bench_calling_connections: RLIMIT_NOFILE %llu here; %d connections per worker\n",
                static_cast<unsigned long long>(files), kPerWorker);
    for (int n : sizes)
        runAt(n);
    return 0;
}
