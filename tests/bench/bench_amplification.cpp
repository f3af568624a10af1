// An unrelated request's latency while one user floods calls (issue #11 item 8;
// figures only, never pass/fail; see docs/benchmarks.md "Amplification"):
//   bench_amplification [SECONDS]     (default 10 per phase)
// A fresh `softphone-server serve` (every role). bob registers push data
// (1024 bytes) for 64 devices; then, for SECONDS each, a quiet phase and a
// flood phase in which mallory sends 40 `call`s a second to bob (each hung up at
// once) from 4 connections. Meanwhile the bench measures GET /v1/keys (one
// request at a time) and carol -> dave call setup (dial -> incoming, 4 a
// second). Before the fix each flood call signed 64 payloads and answered with
// a ~110 KB `push`; SOFTPHONE_SERVER_BIN picks the binary to compare.
#include "bench_calling_support.h"
#include "protocol/Builders.h"
#include "support/ServerProcess.h"

#include "crypto/Random.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>
#include <cstdio>

using namespace softphone;
using namespace softphone::bench;

namespace {

constexpr int kRegisteredDevices = 64;
constexpr int kFlooders = 4;
constexpr int kFloodIntervalMs = 25; // 40 calls/s
constexpr int kProbeCallIntervalMs = 250;
constexpr int kKeysPauseMs = 20;

struct FloodTally
{
    int accepted = 0;
    int pushes = 0;
    qint64 pushBytes = 0;
    QHash<QString, int> errors; // code -> count
};

QString callId()
{
    return crypto::randomUuid();
}

void runPhase(const char *name, bool flood, int seconds, test::ServerProcess &server,
              std::vector<std::unique_ptr<BenchClient>> &flooders, BenchClient &carol,
              BenchClient &dave)
{
    std::vector<qint64> keys, setup;
    FloodTally tally;
    bool running = true;
    QNetworkAccessManager http;
    QUrl keysUrl = server.appServerUrl();
    keysUrl.setPath(QStringLiteral("/v1/keys"));
    std::function<void()> getKeys = [&] {
        if (!running)
            return;
        const qint64 started = nowUs();
        QNetworkReply *reply = http.get(QNetworkRequest(keysUrl));
        QObject::connect(reply, &QNetworkReply::finished, reply, [&, reply, started] {
            if (reply->error() == QNetworkReply::NoError)
                keys.push_back(nowUs() - started);
            reply->deleteLater();
            QTimer::singleShot(kKeysPauseMs, getKeys);
        });
    };

    QString probeCall;
    qint64 dialedAt = 0;
    QTimer probeTimer;
    probeTimer.setInterval(kProbeCallIntervalMs);
    QObject::connect(&probeTimer, &QTimer::timeout, [&] {
        if (!probeCall.isEmpty())
            return; // the previous one has not reached dave yet
        probeCall = callId();
        dialedAt = nowUs();
        carol.send(protocol::makeCall(probeCall, QStringLiteral("dave")));
    });
    QMetaObject::Connection onDave =
        QObject::connect(&dave, &BenchClient::message, [&](const QJsonObject &m, qint64 at) {
            if (m.value(u"type").toString() == u"incoming" &&
                m.value(u"callId").toString() == probeCall) {
                setup.push_back(at - dialedAt);
                carol.send(protocol::makeHangup(probeCall));
                probeCall.clear();
            }
        });

    QTimer floodTimer;
    floodTimer.setInterval(kFloodIntervalMs);
    int next = 0;
    QObject::connect(&floodTimer, &QTimer::timeout, [&] {
        BenchClient &from = *flooders[size_t(next++ % kFlooders)];
        const QString id = callId();
        from.send(protocol::makeCall(id, QStringLiteral("bob"), {}, false, id));
        from.send(protocol::makeHangup(id));
    });
    std::vector<QMetaObject::Connection> onFlood;
    for (auto &flooder : flooders) {
        onFlood.push_back(QObject::connect(
            flooder.get(), &BenchClient::message, [&](const QJsonObject &m, qint64) {
                const QString type = m.value(u"type").toString();
                if (type == u"ok" && !m.value(u"re").toString().isEmpty())
                    ++tally.accepted;
                else if (type == u"push") {
                    ++tally.pushes;
                    tally.pushBytes += QJsonDocument(m).toJson(QJsonDocument::Compact).size();
                } else if (type == u"error")
                    ++tally.errors[m.value(u"code").toString()];
            }));
    }

    getKeys();
    probeTimer.start();
    if (flood)
        floodTimer.start();
    waitFor([] { return false; }, seconds * 1000);
    running = false;
    floodTimer.stop();
    probeTimer.stop();
    waitFor([] { return false; }, 500); // let the last replies land outside the figures
    QObject::disconnect(onDave);
    for (const auto &c : onFlood)
        QObject::disconnect(c);

    std::printf("%s (%d s)\n", name, seconds);
    std::printf("  GET /v1/keys:                 %s\n", qPrintable(summarizeUs(keys)));
    std::printf("  carol -> dave dial->incoming: %s\n", qPrintable(summarizeUs(setup)));
    if (flood) {
        QStringList errors;
        for (auto it = tally.errors.cbegin(); it != tally.errors.cend(); ++it)
            errors << QStringLiteral("%1 x%2").arg(it.key()).arg(it.value());
        std::printf("  flood: %d calls sent, %d accepted, %d push replies (%.1f KB each), "
                    "refused: %s\n",
                    next, tally.accepted, tally.pushes,
                    tally.pushes ? double(tally.pushBytes) / tally.pushes / 1024 : 0.0,
                    errors.isEmpty() ? "none" : qPrintable(errors.join(QStringLiteral(", "))));
    }
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    prepareServerEnvironment();
    QCoreApplication app(argc, argv);
    const int seconds = argc > 1 ? std::max(1, QByteArray(argv[1]).toInt()) : 10;
    std::printf("server: %s\n", qPrintable(test::ServerProcess::serverBinary()));

    test::ServerProcess server;
    if (!server.start()) {
        std::printf("server did not start: %s\n", qPrintable(server.lastError()));
        return 1;
    }
    for (const char *user : {"mallory", "bob", "carol", "dave"}) {
        if (!server.addUser(QString::fromLatin1(user), QStringLiteral("bench password 1"))) {
            std::printf("cannot add user %s\n", user);
            return 1;
        }
    }
    const QUrl url = server.callingUrl();
    auto token = [&](const char *user, const QString &device) {
        return signToken(server.dataDir(), QString::fromLatin1(user), device);
    };

    // bob's devices register one after the other (the server keeps what its cap allows).
    int registered = 0;
    for (int i = 0; i < kRegisteredDevices; ++i) {
        const QString device = QStringLiteral("dev%1").arg(i, 2, 10, QLatin1Char('0'));
        BenchClient agent;
        bool done = false;
        QObject::connect(&agent, &BenchClient::welcomed, [&] {
            agent.send(protocol::makePushRegister(crypto::randomBytes(1024), QStringLiteral("r")));
        });
        QObject::connect(&agent, &BenchClient::message, [&](const QJsonObject &m, qint64) {
            done = true;
            registered += m.value(u"type").toString() == u"ok";
        });
        agent.open(url, token("bob", device), device, {false, false, true});
        waitFor([&] { return done; }, 10000);
    }
    std::printf("bob registered %d devices\n", registered);

    std::vector<std::unique_ptr<BenchClient>> flooders;
    for (int i = 0; i < kFlooders; ++i) {
        flooders.push_back(std::make_unique<BenchClient>());
        flooders.back()->setMaxIncomingBytes(1 << 20); // an unfixed server's ~110 KB `push`
        flooders.back()->open(url, token("mallory", QStringLiteral("m%1").arg(i)),
                              QStringLiteral("m%1").arg(i));
    }
    BenchClient carol, dave;
    carol.open(url, token("carol", QStringLiteral("desk")), QStringLiteral("desk"));
    dave.open(url, token("dave", QStringLiteral("desk")), QStringLiteral("desk"));
    const bool up = waitFor(
        [&] {
            for (auto &f : flooders)
                if (!f->isWelcomed())
                    return false;
            return carol.isWelcomed() && dave.isWelcomed();
        },
        20000);
    if (!up) {
        std::printf("the connections did not all come up\n");
        return 1;
    }
    runPhase("quiet", false, seconds, server, flooders, carol, dave);
    runPhase("mallory floods 40 calls/s", true, seconds, server, flooders, carol, dave);
    return 0;
}
