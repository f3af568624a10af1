// Push wake-up: dial -> incomingCall on a callee that was offline and is reached
// only by push (figures only, never pass/fail; see docs/benchmarks.md "Push wake-up"):
//   bench_push_wake [N]     (default 200 calls)
// Every part is real, as in tests/integration/flow/tst_pushflow.cpp: one
// softphone-server (appserver, calling, push roles) on loopback; the caller is
// an in-process SoftphoneClient with PushPairSender attached (posts the push
// pairs to /v1/push); the callee's device is a PushChannel with its secrets in
// the keychain (run under tests/desktop-session), and on each push the payload
// is relayed into a fresh, not yet started SoftphoneClient of the callee, which
// connects, claims the call and emits incomingCall. Each call is then hung up
// and the callee client shut down, so the next call finds the device offline.
#include "integration/flow/FlowHarness.h"

#include "crypto/Jwt.h"
#include "support/Processes.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QPointer>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

using namespace softphone;
using namespace softphone::client;
using namespace softphone::test;

namespace {

// Runs the event loop until done() or the timeout; returns done(). Blocks in
// the event loop between events (QCoreApplication::processEvents with a max
// time never waits, so looping on it would spin a core and skew the figures);
// the ticker only bounds how late the timeout is noticed.
bool waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    QTimer ticker;
    ticker.start(10);
    while (!done() && timer.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    return done();
}

QString summarize(std::vector<qint64> us)
{
    if (us.empty())
        return QStringLiteral("no samples");
    std::sort(us.begin(), us.end());
    auto at = [&](double q) {
        return double(us[std::min(us.size() - 1, size_t(q * double(us.size())))]) / 1000.0;
    };
    return QStringLiteral("p50 %1 ms  p95 %2 ms  max %3 ms  (n=%4)")
        .arg(at(0.50), 0, 'f', 1)
        .arg(at(0.95), 0, 'f', 1)
        .arg(double(us.back()) / 1000.0, 0, 'f', 1)
        .arg(us.size());
}

ClientCapabilities pushedDevice()
{
    ClientCapabilities caps;
    caps.calling = true;
    caps.messaging = true;
    caps.push = true;
    return caps;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    softphone::test::useThisBuildsBinaries();
    // Per-call info logs of the clients and the server would time the terminal.
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        qputenv("QT_LOGGING_RULES", "softphone.*.info=false");
    QLoggingCategory::setFilterRules(QStringLiteral("softphone.*.info=false"));
    const int calls = argc > 1 ? std::max(1, QByteArray(argv[1]).toInt()) : 200;

    QString why;
    if (!keychainReachable(&why)) {
        std::printf("no keychain (run under tests/desktop-session): %s\n", qPrintable(why));
        return 1;
    }
    // The application server admits 30 push requests a minute per caller
    // (PushFanout::kRequestsPerMinute): callers take turns so none comes near it.
    constexpr int kCallers = 16;
    QStringList users{QStringLiteral("bob")};
    for (int c = 0; c < kCallers; ++c)
        users << QStringLiteral("caller%1").arg(c);
    FlowHarness flow;
    if (!flow.start(users, &why)) {
        std::printf("server did not start: %s\n", qPrintable(why));
        return 1;
    }
    auto device = flow.registerPushDevice(QStringLiteral("bob"), QStringLiteral("desk"));
    if (!device) {
        std::printf("the push device did not come up\n");
        return 1;
    }
    std::vector<std::unique_ptr<SoftphoneClient>> callers;
    std::vector<std::unique_ptr<PushPairSender>> senders;
    for (int c = 0; c < kCallers; ++c) {
        callers.push_back(flow.online(users.at(c + 1), QStringLiteral("phone")));
        if (!callers.back()) {
            std::printf("caller %d did not come up\n", c);
            return 1;
        }
        senders.push_back(flow.glue(callers.back().get()));
    }

    QElapsedTimer clock;
    clock.start();
    // The call being measured and what its push did; the channel's own signal
    // relays at once, as the apps do, so no polling interval is in the figure.
    QString currentCall;
    SoftphoneClient *bob = nullptr;
    qint64 pushedAt = -1;
    bool canceled = false;
    QObject::connect(&device->channel(), &push::PushChannel::messageReceived, &app,
                     [&](const push::PushMessage &message) {
                         const QString payload = FlowHarness::payloadOf(message);
                         message.accept();
                         device->received().clear();
                         const auto claims = crypto::decodeJwtUnverified(payload).claims;
                         if (claims.value(QLatin1StringView("id")).toString() != currentCall)
                             return;
                         const QString kind = claims.value(QLatin1StringView("t")).toString();
                         if (kind == QLatin1StringView("cancel"))
                             canceled = true;
                         if (kind != QLatin1StringView("call") || pushedAt >= 0 || !bob)
                             return;
                         pushedAt = clock.nsecsElapsed() / 1000;
                         bob->relayRemotePushNotificationPayload(payload);
                     });

    std::vector<qint64> total, toPush, pushToRing;
    int failures = 0;
    for (int i = 0; i < calls; ++i) {
        // Token and configuration first: a woken app has them stored already.
        auto callee = flow.dormant(QStringLiteral("bob"), QStringLiteral("desk"), pushedDevice());
        bob = callee.get();
        Call *ringing = nullptr;
        qint64 ringAt = -1;
        QObject::connect(bob, &SoftphoneClient::incomingCall, bob, [&](Call *call) {
            ringAt = clock.nsecsElapsed() / 1000;
            ringing = call;
        });
        pushedAt = -1;
        canceled = false;
        SoftphoneClient &caller = *callers[size_t(i % kCallers)];
        const qint64 dialAt = clock.nsecsElapsed() / 1000;
        QPointer<Call> outgoing = caller.callUser(QStringLiteral("bob"));
        currentCall = outgoing ? outgoing->id() : QString();
        const bool rang = waitUntil([&] { return ringing != nullptr; }, 20000);
        if (rang) {
            total.push_back(ringAt - dialAt);
            toPush.push_back(pushedAt - dialAt);
            pushToRing.push_back(ringAt - pushedAt);
        } else {
            ++failures;
            std::printf("call %d: no incomingCall within 20 s (push %s)\n", i,
                        pushedAt >= 0 ? "came" : "did not come");
        }
        // Canceled before answer, like a caller giving up: the service ends it
        // on the woken client and the application server pushes a cancel; both
        // are waited for so they do not fall into the next measurement.
        if (outgoing && outgoing->state() != CallState::Ended)
            outgoing->hangup();
        waitUntil([&] { return !outgoing || outgoing->state() == CallState::Ended; }, 10000);
        waitUntil([&] { return !ringing || ringing->state() == CallState::Ended; }, 10000);
        if (pushedAt >= 0)
            waitUntil([&] { return canceled; }, 5000);
        bob = nullptr;
        callee->terminate();
        waitUntil(
            [&] {
                return callee->connectionState() == SoftphoneClient::ConnectionState::Disconnected;
            },
            5000);
        callee.reset();
        // Let the service see the close before the next dial, or that dial
        // would ring the still-connected device directly instead of pushing.
        waitUntil([] { return false; }, 100);
        if ((i + 1) % 50 == 0)
            std::printf("%d/%d calls\n", i + 1, calls);
        std::fflush(stdout);
    }
    std::printf("push wake-up over %d calls (%d failed):\n", calls, failures);
    std::printf("  dial -> incomingCall on the woken callee: %s\n", qPrintable(summarize(total)));
    std::printf("  dial -> push received by the PushChannel: %s\n", qPrintable(summarize(toPush)));
    std::printf("  push -> incomingCall (relay, connect, hello, claim): %s\n",
                qPrintable(summarize(pushToRing)));
    return failures == calls ? 1 : 0;
}
