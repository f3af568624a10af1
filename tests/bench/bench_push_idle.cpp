// Memory of idle push devices: for each N a fresh `softphone-server serve --roles
// push` on loopback, N raw autopush-protocol WebSockets (hello + one register
// each, as a softphone that subscribed once), then the server's VmRSS growth per
// connection from /proc/PID/status. Figures only; nothing here asserts
// (docs/benchmarks.md "Push channel").
//   bench_push_idle [N...]            (default 1000 10000 19900)
// The connections are held by worker processes (this executable started again
// with --worker URL COUNT, at most kPerWorker each) so neither side runs out of
// file descriptors; the server inherits our raised RLIMIT_NOFILE (as root raised past
// its hard limit). Past 28000 devices the server listens on 0.0.0.0 and the workers
// spread over 127.0.0.1..8: run it in a network namespace of its own, as root:
//   unshare --net sh -c 'ip link set lo up && bench_push_idle 100000'
#include "bench_calling_support.h"
#include "support/ServerProcess.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QProcess>
#include <QTimer>
#include <QUuid>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>
#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

#include <csignal>
#include <sys/prctl.h>

using namespace softphone;
using namespace softphone::bench;

namespace {

constexpr int kPerWorker = 5000;
// Handshakes + hello + register outstanding per worker: the fill rate of a
// well-behaved fleet, not a connect storm.
constexpr int kInFlight = 64;
// Server -> device frames here are small JSON; the server's own limit is 65536.
constexpr qint64 kMaxIncoming = 65536;
constexpr int kRetryMs = 500;

// Holds COUNT devices; prints "registered N" (at most every 250 ms when it
// changed) and "ready" once all are registered. A device whose socket drops is
// opened again (a new uaid: the figures count live connections only).
class Worker : public QObject
{
public:
    Worker(QUrl url, int count)
        : m_url(std::move(url))
        , m_sockets(size_t(count), nullptr)
        , m_done(size_t(count), false)
    {
        auto *report = new QTimer(this);
        connect(report, &QTimer::timeout, this, [this] {
            if (m_registered == m_reported)
                return;
            m_reported = m_registered;
            std::printf("registered %d\n", m_registered);
            if (m_registered == int(m_sockets.size()))
                std::printf("ready\n");
            std::fflush(stdout);
        });
        report->start(250);
        for (int i = 0; i < kInFlight && m_next < int(m_sockets.size()); ++i)
            open(m_next++);
    }

private:
    void open(int index)
    {
        auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
        m_sockets[size_t(index)] = socket;
        socket->setMaxAllowedIncomingFrameSize(kMaxIncoming);
        socket->setMaxAllowedIncomingMessageSize(kMaxIncoming);
        connect(socket, &QWebSocket::connected, this, [socket] {
            socket->sendTextMessage(
                QStringLiteral(R"({"messageType":"hello","use_webpush":true})"));
        });
        connect(socket, &QWebSocket::textMessageReceived, this,
                [this, index, socket](const QString &text) {
                    const QJsonObject msg = QJsonDocument::fromJson(text.toUtf8()).object();
                    const QString type = msg.value(u"messageType").toString();
                    if (type == u"hello") {
                        const QString channel =
                            QUuid::createUuid().toString(QUuid::WithoutBraces).toLower();
                        socket->sendTextMessage(
                            QStringLiteral(R"({"messageType":"register","channelID":"%1"})")
                                .arg(channel));
                    } else if (type == u"register" && msg.value(u"status").toInt() == 200 &&
                               !m_done[size_t(index)]) {
                        m_done[size_t(index)] = true;
                        ++m_registered;
                        if (m_next < int(m_sockets.size()))
                            open(m_next++);
                    }
                });
        connect(socket, &QWebSocket::disconnected, this, [this, index, socket] {
            socket->deleteLater();
            const bool wasDone = m_done[size_t(index)];
            if (wasDone) {
                m_done[size_t(index)] = false;
                --m_registered;
            }
            std::fprintf(stderr, "worker: connection %d lost (%d %s)\n", index,
                         int(socket->closeCode()), qPrintable(socket->closeReason()));
            QTimer::singleShot(kRetryMs, this, [this, index] { open(index); });
            // A connection lost during the fill frees its slot in the window.
            if (!wasDone && m_next < int(m_sockets.size()))
                open(m_next++);
        });
        QWebSocketHandshakeOptions options;
        options.setSubprotocols({QStringLiteral("push-notification")});
        socket->open(QNetworkRequest(m_url), options);
    }

    QUrl m_url;
    std::vector<QWebSocket *> m_sockets;
    std::vector<bool> m_done;
    int m_next = 0;
    int m_registered = 0;
    int m_reported = -1;
};

int runWorker(const QStringList &args)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL); // never outlive the coordinator
    raiseFileLimit();
    Worker worker(QUrl(args.value(2)), args.value(3).toInt());
    return QCoreApplication::exec();
}

struct WorkerProcess
{
    std::unique_ptr<QProcess> process;
    QByteArray buffer;
    int registered = 0;
    bool ready = false;
};

qint64 fileSizeKb(const QString &path)
{
    return QFileInfo(path).size() / 1024;
}

void measure(int wanted)
{
    const int n = withinFileLimit(wanted);
    // Thousands of new devices from 127.0.0.1 stand for as many addresses: no
    // per-address cap on unauthenticated connections, no quota of new uaids.
    test::ServerProcess server(
        {QStringLiteral("--roles"), QStringLiteral("push"), QStringLiteral("--set"),
         QStringLiteral("ws.pending_per_address=1000000"), QStringLiteral("--set"),
         QStringLiteral("push.new_uaids_per_address=1000000")});
    // Past one loopback address's ephemeral ports: 0.0.0.0, the workers spread over 127.0.0.x.
    if (!server.startOn(listenHostFor(n), {})) {
        std::printf("N=%d: server did not start: %s\n", n, qPrintable(server.lastError()));
        return;
    }
    const qint64 pid = serverPid(server.dataDir());
    waitFor([] { return false; }, 1000); // let start-up allocations settle
    const qint64 rssBefore = rssKb(pid);

    std::vector<std::unique_ptr<WorkerProcess>> workers;
    const qint64 startUs = nowUs();
    for (int first = 0; first < n; first += kPerWorker) {
        auto w = std::make_unique<WorkerProcess>();
        w->process = std::make_unique<QProcess>();
        w->process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        WorkerProcess *raw = w.get();
        QObject::connect(raw->process.get(), &QProcess::readyReadStandardOutput, [raw] {
            raw->buffer += raw->process->readAllStandardOutput();
            qsizetype nl;
            while ((nl = raw->buffer.indexOf('\n')) >= 0) {
                const QList<QByteArray> fields = raw->buffer.left(nl).trimmed().split(' ');
                raw->buffer.remove(0, nl + 1);
                if (fields.value(0) == "registered")
                    raw->registered = fields.value(1).toInt();
                else if (fields.value(0) == "ready")
                    raw->ready = true;
            }
        });
        raw->process->start(QCoreApplication::applicationFilePath(),
                            {QStringLiteral("--worker"),
                             (n > kConnectionsPerLoopbackAddress
                                  ? spreadOverLoopback(server.pushWsUrl(), int(workers.size()))
                                  : server.pushWsUrl())
                                 .toString(),
                             QString::number(std::min(kPerWorker, n - first))});
        workers.push_back(std::move(w));
    }
    auto registered = [&] {
        int total = 0;
        for (const auto &w : workers)
            total += w->registered;
        return total;
    };
    auto allReady = [&] {
        return std::all_of(workers.begin(), workers.end(), [](const auto &w) { return w->ready; });
    };
    // Bounded: at worst 10 minutes per N; a fill that does not finish is reported as such.
    const bool filled = waitFor(allReady, 600000);
    const double fillSeconds = double(nowUs() - startUs) / 1e6;
    waitFor([] { return false; }, 3000); // idle: buffers released, timers armed
    const qint64 rssAfter = rssKb(pid);
    const int held = registered();
    std::printf("N=%d: %s %d registered connections in %.1f s (%.0f/s)\n", n,
                filled ? "filled" : "NOT filled, only", held, fillSeconds, held / fillSeconds);
    std::printf("  server VmRSS %lld kB -> %lld kB: %.1f kB per connection; push.db %lld kB\n",
                rssBefore, rssAfter, held > 0 ? double(rssAfter - rssBefore) / held : 0.0,
                fileSizeKb(QDir(server.dataDir()).filePath(QStringLiteral("push.db"))) +
                    fileSizeKb(QDir(server.dataDir()).filePath(QStringLiteral("push.db-wal"))));
    std::fflush(stdout);
    for (auto &w : workers) {
        w->process->kill();
        w->process->waitForFinished(10000);
    }
    server.stop();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.value(1) == u"--worker")
        return runWorker(args);
    std::printf("RLIMIT_NOFILE raised to %llu (the server inherits it)\n",
                static_cast<unsigned long long>(raiseFileLimit()));
    prepareServerEnvironment();
    QList<int> counts;
    for (int i = 1; i < args.size(); ++i)
        counts.append(args.at(i).toInt());
    if (counts.isEmpty())
        counts = {1000, 10000, 19900};
    for (const int n : counts)
        if (n > 0)
            measure(n);
    return 0;
}
