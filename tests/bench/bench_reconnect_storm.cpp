// Reconnect storm after a server crash (figures only, never pass/fail; see
// docs/benchmarks.md "Calling service"):
//   bench_reconnect_storm [N]     (default 10000)
// N authenticated connections (bench_calling_fleet workers), then the server is
// SIGKILLed and restarted on the same port, and every client reconnects:
//   immediate  all at once, failed attempts retried every 500 ms without jitter
//              (the worst case);
//   backoff    the client's own policy (1 s x1.6 +-20 %, as SoftphoneClient).
// Prints the time from the kill until every connection is welcomed again, the
// time from the restarted server's start line, and the listen-queue counters
// (nstat, namespace-wide) before and after.
#include "bench_calling_support.h"
#include "support/ServerProcess.h"

#include <QCoreApplication>
#include <cstdio>

using namespace softphone;
using namespace softphone::bench;

namespace {

constexpr int kPerWorker = 2500;

void storm(int n, Fleet::Reconnect mode)
{
    const char *name = mode == Fleet::Reconnect::Immediate ? "immediate" : "backoff";
    // Thousands of clients from 127.0.0.1 stand for as many addresses: no per-address cap.
    test::ServerProcess server({QStringLiteral("--roles"), QStringLiteral("calling"),
                                QStringLiteral("--set"),
                                QStringLiteral("ws.pending_per_address=1000000")});
    if (!server.start()) {
        std::printf("%s: server did not start: %s\n", name, qPrintable(server.lastError()));
        return;
    }
    Fleet fleet(server.callingUrl(), server.dataDir(), QStringLiteral("storm"), n, kPerWorker,
                mode);
    fleet.start();
    if (!waitFor([&] { return fleet.isReady(); }, 180000)) {
        std::printf("%s: only %d of %d connections came up\n", name, fleet.welcomed(), n);
        return;
    }
    const ListenCounters before = listenCounters();
    const qint64 killedAt = nowUs();
    server.kill();
    if (!server.restart()) {
        std::printf("%s: restart failed: %s\n", name, qPrintable(server.lastError()));
        return;
    }
    const qint64 listeningAt = nowUs();
    const bool back = waitFor([&] { return fleet.allBackSince(killedAt); }, 180000);
    const ListenCounters after = listenCounters();
    std::printf("%s: N=%d\n", name, n);
    if (back) {
        const qint64 last = fleet.lastAllBackUs();
        std::printf("  all back %.2f s after the kill, %.2f s after the restarted server listened "
                    "(restart took %.2f s)\n",
                    double(last - killedAt) / 1e6, double(last - listeningAt) / 1e6,
                    double(listeningAt - killedAt) / 1e6);
    } else {
        std::printf("  NOT all back within 180 s: %d of %d\n", fleet.welcomed(), n);
    }
    std::printf("  TcpExtListenOverflows +%lld  TcpExtListenDrops +%lld\n",
                after.overflows - before.overflows, after.drops - before.drops);
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    raiseFileLimit();
    prepareServerEnvironment();
    QCoreApplication app(argc, argv);
    const int n = argc > 1 ? QByteArray(argv[1]).toInt() : 10000;
    storm(n, Fleet::Reconnect::Immediate);
    storm(n, Fleet::Reconnect::ClientBackoff);
    return 0;
}
