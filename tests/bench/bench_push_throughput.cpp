// Push service throughput and latency, end to end: an application server POSTs
// encrypted pushes (RFC 8030/8291) to a real `softphone-server serve --roles push`
// on loopback; DEVICES raw autopush-protocol WebSockets (hello + one register each,
// keys generated in-process) decrypt every notification with core/crypto and ack
// it, as PushChannel does. Figures only; nothing here asserts (docs/benchmarks.md
// "Push channel").
//   bench_push_throughput [sqlite|postgresql|cluster] [DEVICES=100] [RATE=500] [SECONDS=10]
//                         [PUSHES=3000] [IN_FLIGHT=64]
// sqlite (the default): one node, push.db. postgresql: one node on a PostgreSQL 15 of
// its own (in /tmp, loopback). cluster: three push nodes on one PostgreSQL and one
// Redis (tests/support TestCluster, as docs/operations.md deploys them); device i
// connects to node i % 3 and push i is POSTed to node i % 3 (a load balancer's round
// robin), so most pushes cross nodes (the figures say how many). With PostgreSQL the
// bench also prints what each push cost the engines (bench_engine_cost.h).
// Phase 1 (throughput): PUSHES bodies, encrypted beforehand, POSTed with IN_FLIGHT
// requests always outstanding (one QNetworkAccessManager, i.e. at most 6 HTTP/1.1
// connections, per 6), round-robin over the devices. The 201 waits for push.db's
// commit, so a sender with few connections measures its own concurrency, not the
// service: an application server sending to many devices keeps many requests open.
// Phase 2 (latency): RATE pushes/s, open loop, for SECONDS; latency is POST
// issued -> notification decrypted on the device.
// The per-sender rate limit is raised (push.sender_rate/sender_burst) so it is
// not what is measured. The devices (their WebSockets and decryption) run on a thread of
// their own, the sender on the main thread: one thread could not keep up with both.
#include "bench_calling_support.h"
#include "bench_engine_cost.h"
#include "crypto/Base64Url.h"
#include "crypto/EcKey.h"
#include "crypto/Random.h"
#include "crypto/WebPushEncryption.h"
#include "support/ServerProcess.h"
#include "support/TestCluster.h"

#include <QCoreApplication>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>
#include <atomic>
#include <cstdio>
#include <deque>
#include <memory>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

using namespace softphone;
using namespace softphone::bench;

namespace {

// The server closes above 65536; a notification is at most ~5.5 kB of JSON.
constexpr qint64 kMaxIncoming = 65536;
constexpr int kHandshakesInFlight = 32;

// One raw device: hello, one register, then decrypt + ack every notification.
struct Device
{
    QWebSocket *socket = nullptr;
    crypto::EcKey key = crypto::EcKey::generate();
    QByteArray auth = crypto::randomBytes(16);
    QString channelId = crypto::randomUuid();
    QUrl endpoint;
};

class Devices : public QObject
{
public:
    // Called on the devices' thread for every decrypted notification: the push's sequence
    // number and when it arrived.
    std::function<void(qint64 seq, qint64 atUs)> onPush;
    std::atomic<int> registered = 0;
    std::atomic<int> failed = 0;
    std::atomic<int> undecryptable = 0;

    // Device i connects to urls[i % urls.size()].
    Devices(QList<QUrl> urls, int count)
        : m_urls(std::move(urls))
        , m_devices(size_t(count))
    {}

    void start()
    {
        for (int i = 0; i < kHandshakesInFlight && m_next < int(m_devices.size()); ++i)
            open(m_next++);
    }
    const std::vector<Device> &all() const { return m_devices; }

private:
    void open(int index)
    {
        Device &d = m_devices[size_t(index)];
        d.socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
        d.socket->setMaxAllowedIncomingFrameSize(kMaxIncoming);
        d.socket->setMaxAllowedIncomingMessageSize(kMaxIncoming);
        connect(d.socket, &QWebSocket::connected, this, [this, index] {
            send(index, {{"messageType", "hello"}, {"use_webpush", true}});
        });
        connect(d.socket, &QWebSocket::textMessageReceived, this,
                [this, index](const QString &text) { onText(index, text); });
        connect(d.socket, &QWebSocket::disconnected, this, [this, index] {
            if (m_devices[size_t(index)].endpoint.isEmpty())
                ++failed;
            std::fprintf(stderr, "device %d disconnected: %d %s\n", index,
                         int(m_devices[size_t(index)].socket->closeCode()),
                         qPrintable(m_devices[size_t(index)].socket->closeReason()));
        });
        QWebSocketHandshakeOptions options;
        options.setSubprotocols({QStringLiteral("push-notification")});
        d.socket->open(QNetworkRequest(m_urls.at(index % m_urls.size())), options);
    }

    void send(int index, const QJsonObject &msg)
    {
        m_devices[size_t(index)].socket->sendTextMessage(
            QString::fromUtf8(QJsonDocument(msg).toJson(QJsonDocument::Compact)));
    }

    void onText(int index, const QString &text)
    {
        const qint64 at = nowUs();
        Device &d = m_devices[size_t(index)];
        const QJsonObject msg = QJsonDocument::fromJson(text.toUtf8()).object();
        const QString type = msg.value(u"messageType").toString();
        if (type == u"notification") {
            const QString version = msg.value(u"version").toString();
            const auto body = fromBase64Url(msg.value(u"data").toString().toLatin1());
            const auto result = crypto::decryptWebPush(body.value_or(QByteArray()), d.key, d.auth);
            // Acked before the bookkeeping, as PushChannel acks once the app took it.
            send(index, {{"messageType", "ack"},
                         {"updates", QJsonArray{QJsonObject{{"channelID", d.channelId},
                                                            {"version", version},
                                                            {"code", result.ok() ? 100 : 101}}}}});
            if (!result.ok() || !result.plaintext.startsWith("seq:")) {
                ++undecryptable;
                return;
            }
            if (onPush)
                onPush(result.plaintext.mid(4, result.plaintext.indexOf(' ') - 4).toLongLong(), at);
        } else if (type == u"hello") {
            send(index, {{"messageType", "register"}, {"channelID", d.channelId}});
        } else if (type == u"register") {
            if (msg.value(u"status").toInt() == 200) {
                d.endpoint = QUrl(msg.value(u"pushEndpoint").toString());
                ++registered;
            } else {
                ++failed;
            }
            if (m_next < int(m_devices.size()))
                open(m_next++);
        }
    }

    QList<QUrl> m_urls;
    std::vector<Device> m_devices;
    int m_next = 0;
};

struct Push
{
    QUrl endpoint;
    QByteArray body;
};

// The application server's side: POSTs with up to maxInFlight requests outstanding,
// over as many QNetworkAccessManagers as that takes (each opens at most 6 connections
// to one host).
class Sender : public QObject
{
public:
    std::vector<qint64> postUs;    // by seq: when the POST was issued
    std::vector<qint64> createdUs; // POST -> 201 durations
    int created = 0;
    int refused = 0;
    qint64 lastCreatedUs = 0;
    QHash<int, int> refusedByStatus;

    explicit Sender(std::vector<Push> pushes, int maxInFlight)
        : m_pushes(std::move(pushes))
        , m_maxInFlight(maxInFlight)
        , m_nams(size_t((maxInFlight + 5) / 6))
    {
        postUs.assign(m_pushes.size(), 0);
        for (auto &nam : m_nams)
            nam = std::make_unique<QNetworkAccessManager>();
    }

    int size() const { return int(m_pushes.size()); }
    int posted() const { return m_posted; }
    int answered() const { return created + refused; }
    // Posts the next push now (queued in QNetworkAccessManager if its connections are busy).
    bool postNext()
    {
        if (m_posted >= size())
            return false;
        const int seq = m_posted++;
        QNetworkRequest request(m_pushes[size_t(seq)].endpoint);
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/octet-stream");
        request.setRawHeader("Content-Encoding", "aes128gcm");
        request.setRawHeader("TTL", "600");
        request.setRawHeader("Urgency", "high");
        postUs[size_t(seq)] = nowUs();
        QNetworkReply *reply =
            m_nams[size_t(seq) % m_nams.size()]->post(request, m_pushes[size_t(seq)].body);
        connect(reply, &QNetworkReply::finished, this, [this, reply, seq] {
            reply->deleteLater();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (status == 201) {
                ++created;
                lastCreatedUs = nowUs();
                createdUs.push_back(nowUs() - postUs[size_t(seq)]);
            } else {
                ++refused;
                ++refusedByStatus[status];
            }
            if (m_closedLoop)
                postNext();
        });
        return true;
    }
    // Keeps maxInFlight requests outstanding until every push is posted.
    void runClosedLoop()
    {
        m_closedLoop = true;
        for (int i = 0; i < m_maxInFlight; ++i)
            postNext();
    }

private:
    std::vector<Push> m_pushes;
    int m_maxInFlight;
    int m_posted = 0;
    bool m_closedLoop = false;
    std::vector<std::unique_ptr<QNetworkAccessManager>> m_nams;
};

// Push i goes to device i % devices and is POSTed to node i % nodes (the endpoint's
// path on that node's push URL); *crossing counts those whose device is on another node.
std::vector<Push> encryptPushes(const std::vector<Device> &devices, int count, int firstSeq,
                                const QList<QUrl> &nodes, int *crossing)
{
    std::vector<Push> pushes;
    pushes.reserve(size_t(count));
    // ~160 bytes: the size of an incoming-call push (call id, caller, a few fields).
    const QByteArray filler(140, 'x');
    for (int i = 0; i < count; ++i) {
        const size_t device = size_t(i) % devices.size();
        const Device &d = devices[device];
        const QByteArray text = "seq:" + QByteArray::number(firstSeq + i) + ' ' + filler;
        const int node = i % int(nodes.size());
        if (node != int(device % size_t(nodes.size())))
            ++*crossing;
        QUrl target = d.endpoint;
        target.setHost(nodes.at(node).host());
        target.setPort(nodes.at(node).port());
        pushes.push_back({target, crypto::encryptWebPush(text, d.key.publicRaw(), d.auth)});
    }
    return pushes;
}

// utime + stime of a process in clock ticks, -1 if unreadable.
qint64 cpuTicks(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray text = stat.readAll();
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    return fields.value(11).toLongLong() + fields.value(12).toLongLong();
}

// What one synchronous commit costs on this file system: 4 KiB write + fdatasync.
double fsyncMs(const QString &dir)
{
    const QByteArray path = QFile::encodeName(dir + QStringLiteral("/fsync-probe"));
    const int fd = ::open(path.constData(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
    if (fd < 0)
        return -1;
    const QByteArray block(4096, 'x');
    const qint64 start = nowUs();
    constexpr int kRounds = 50;
    for (int i = 0; i < kRounds; ++i) {
        if (::pwrite(fd, block.constData(), size_t(block.size()), off_t(i) * 4096) < 0)
            break;
        ::fdatasync(fd);
    }
    const double ms = double(nowUs() - start) / 1000.0 / kRounds;
    ::close(fd);
    ::unlink(path.constData());
    return ms;
}

struct PhaseResult
{
    std::vector<qint64> endToEndUs;
    int delivered = 0;
    qint64 firstPostUs = 0;
    qint64 lastDeliveryUs = 0;
};

// The server's CPU and this process's (the sender, the devices' decryption): which side
// the figure is bound by.
std::vector<qint64> cpuTicks(const std::vector<qint64> &pids)
{
    std::vector<qint64> ticks;
    for (qint64 pid : pids)
        ticks.push_back(cpuTicks(pid));
    return ticks;
}

void printServerCpu(const std::vector<qint64> &pids, const std::vector<qint64> &ticksBefore,
                    qint64 usBefore, qint64 ownTicksBefore)
{
    const double wall = double(nowUs() - usBefore) / 1e6;
    const double tick = double(sysconf(_SC_CLK_TCK));
    QStringList nodes;
    for (size_t i = 0; i < pids.size(); ++i)
        nodes << QString::number(100.0 * double(cpuTicks(pids[i]) - ticksBefore[i]) / tick / wall,
                                 'f', 0);
    std::printf("  server CPU: %s %% of one core%s; bench (sender + devices) CPU: %.0f %%\n",
                qPrintable(nodes.join(QStringLiteral(" + "))),
                pids.size() > 1 ? " (nodes 1, 2, 3)" : "",
                100.0 * double(cpuTicks(qint64(getpid())) - ownTicksBefore) / tick / wall);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments();
    const QString engine = args.value(1).isEmpty() || args.value(1).front().isDigit()
                               ? QStringLiteral("sqlite")
                               : args.takeAt(1);
    if (engine != u"sqlite" && engine != u"postgresql" && engine != u"cluster") {
        std::fprintf(stderr, "the engine is sqlite, postgresql or cluster, not %s\n",
                     qPrintable(engine));
        return 2;
    }
    const int deviceCount = std::max(1, args.value(1, QStringLiteral("100")).toInt());
    const int rate = std::max(1, args.value(2, QStringLiteral("500")).toInt());
    const int seconds = std::max(1, args.value(3, QStringLiteral("10")).toInt());
    const int throughputPushes = std::max(1, args.value(4, QStringLiteral("3000")).toInt());
    const int inFlight = std::max(1, args.value(5, QStringLiteral("64")).toInt());
    prepareServerEnvironment();
    if (engine == u"postgresql")
        qputenv("SOFTPHONE_TEST_DATABASE", "postgresql"); // ServerProcess starts its own

    // Many senders and new devices from 127.0.0.1 stand for as many addresses: no
    // per-address caps, no quota of new uaids.
    const QStringList limits{
        QStringLiteral("--set"), QStringLiteral("ws.pending_per_address=1000000"),
        QStringLiteral("--set"), QStringLiteral("http.pending_per_address=1000000"),
        QStringLiteral("--set"), QStringLiteral("push.sender_rate=1000000"),
        QStringLiteral("--set"), QStringLiteral("push.sender_burst=1000000"),
        QStringLiteral("--set"), QStringLiteral("push.new_uaids_per_address=1000000")};
    std::unique_ptr<test::ServerProcess> single;
    test::TestCluster cluster;
    std::vector<test::ServerProcess *> nodes;
    if (engine == u"cluster") {
        if (!cluster.start(3, QStringLiteral("push"), limits)) {
            std::fprintf(stderr, "cluster: %s\n", qPrintable(cluster.lastError()));
            return 1;
        }
        for (int i = 1; i <= cluster.size(); ++i)
            nodes.push_back(&cluster.node(i));
    } else {
        single = std::make_unique<test::ServerProcess>(
            QStringList{QStringLiteral("--roles"), QStringLiteral("push")} + limits);
        if (!single->start()) {
            std::fprintf(stderr, "server: %s\n", qPrintable(single->lastError()));
            return 1;
        }
        nodes.push_back(single.get());
    }
    std::vector<qint64> pids;
    QList<QUrl> wsUrls, httpUrls;
    for (test::ServerProcess *node : nodes) {
        pids.push_back(node->pid());
        wsUrls << node->pushWsUrl();
        httpUrls << node->pushHttpUrl();
    }
    test::PostgresServer *postgres =
        engine == u"cluster" ? &cluster.postgres() : nodes.front()->postgres();
    EngineCost cost(engine == u"cluster" ? &cluster.redis() : nullptr, postgres);
    if (postgres && !cost.enableStatements())
        std::printf("pg_stat_statements could not be loaded: no statement counts\n");
    std::printf("engine %s, %d node(s); fsync probe in the data dir's file system: %.2f ms per "
                "4 KiB write + fdatasync\n",
                qPrintable(engine), int(nodes.size()), fsyncMs(nodes.front()->dataDir()));

    PhaseResult *phase = nullptr;
    const Sender *sender = nullptr;
    int seqBase = 0;
    QThread devicesThread;
    auto *devicesOnThread = new Devices(wsUrls, deviceCount);
    Devices &devices = *devicesOnThread;
    // The bookkeeping stays on the main thread (the sender's): one queued call per push.
    QObject bookkeeping;
    devices.onPush = [&](qint64 seq, qint64 at) {
        QMetaObject::invokeMethod(&bookkeeping, [&, seq, at] {
            if (!phase || !sender || seq < seqBase)
                return;
            const qint64 posted = sender->postUs[size_t(seq - seqBase)];
            phase->endToEndUs.push_back(at - posted);
            ++phase->delivered;
            phase->lastDeliveryUs = at;
        });
    };

    devices.moveToThread(&devicesThread);
    devicesThread.start();
    QMetaObject::invokeMethod(&devices, [&devices] { devices.start(); });
    auto stopDevices = [&] {
        QMetaObject::invokeMethod(
            &devices, [devicesOnThread] { delete devicesOnThread; }, Qt::BlockingQueuedConnection);
        devicesThread.quit();
        devicesThread.wait();
    };
    if (!waitFor([&] { return devices.registered + devices.failed >= deviceCount; }, 120000) ||
        devices.failed > 0) {
        std::fprintf(stderr, "only %d of %d devices registered (%d failed)\n",
                     devices.registered.load(), deviceCount, devices.failed.load());
        stopDevices();
        return 1;
    }
    std::printf("%d devices connected and registered\n", deviceCount);
    // What the engines did for this phase's pushes, their deliveries and acks (the
    // acks' deletes are committed shortly after the last delivery: 2 s to settle).
    auto printCost = [&](int pushes) {
        if (!postgres)
            return;
        waitFor([] { return false; }, 2000);
        cost.end("push", pushes);
    };

    // Phase 1: throughput with the sender never idle.
    {
        int crossing = 0;
        Sender s(encryptPushes(devices.all(), throughputPushes, 0, httpUrls, &crossing), inFlight);
        PhaseResult result;
        phase = &result;
        sender = &s;
        seqBase = 0;
        cost.begin();
        const std::vector<qint64> ticks = cpuTicks(pids);
        const qint64 ownTicks = cpuTicks(qint64(getpid()));
        result.firstPostUs = nowUs();
        s.runClosedLoop();
        waitFor([&] { return result.delivered >= s.created && s.answered() >= s.size(); }, 120000);
        const double secs = double(result.lastDeliveryUs - result.firstPostUs) / 1e6;
        std::printf("throughput: %d pushes POSTed to %d devices, %d in flight, %d to another "
                    "node than the device's\n",
                    s.size(), deviceCount, inFlight, crossing);
        std::printf("  201 Created %d (%.0f/s), refused %d; delivered+decrypted+acked %d in "
                    "%.2f s = %.0f pushes/s\n",
                    s.created, s.created / (double(s.lastCreatedUs - result.firstPostUs) / 1e6),
                    s.refused, result.delivered, secs, result.delivered / secs);
        for (auto it = s.refusedByStatus.cbegin(); it != s.refusedByStatus.cend(); ++it)
            std::printf("  status %d: %d\n", it.key(), it.value());
        std::printf("  POST -> 201: %s\n", qPrintable(summarizeUs(s.createdUs)));
        std::printf("  POST -> decrypted on device: %s\n",
                    qPrintable(summarizeUs(result.endToEndUs)));
        printServerCpu(pids, ticks, result.firstPostUs, ownTicks);
        phase = nullptr;
        sender = nullptr;
        printCost(result.delivered);
    }

    // Phase 2: latency at a steady, open-loop rate (posts follow the clock, not the answers).
    {
        const int total = rate * seconds;
        seqBase = throughputPushes;
        int crossing = 0;
        Sender s(encryptPushes(devices.all(), total, seqBase, httpUrls, &crossing), inFlight);
        PhaseResult result;
        phase = &result;
        sender = &s;
        cost.begin();
        const std::vector<qint64> ticks = cpuTicks(pids);
        const qint64 ownTicks = cpuTicks(qint64(getpid()));
        result.firstPostUs = nowUs();
        QTimer tick;
        tick.setTimerType(Qt::PreciseTimer);
        QObject::connect(&tick, &QTimer::timeout, [&] {
            const qint64 due = (nowUs() - result.firstPostUs) * rate / 1000000 + 1;
            while (s.posted() < std::min<qint64>(due, total))
                s.postNext();
            if (s.posted() >= total)
                tick.stop();
        });
        tick.start(2);
        // Bounded: SECONDS of sending plus at most 120 s to drain a backlog.
        const bool drained =
            waitFor([&] { return s.answered() >= total && result.delivered >= s.created; },
                    (seconds + 120) * 1000);
        if (!drained)
            std::printf("  NOT drained within %d s: the percentiles below miss the slowest\n",
                        seconds + 120);
        const qint64 sendEndUs = s.postUs[size_t(s.posted() - 1)];
        std::printf("latency: %d pushes/s for %d s to %d devices (posting took %.2f s), %d to "
                    "another node than the device's\n",
                    rate, seconds, deviceCount, double(sendEndUs - result.firstPostUs) / 1e6,
                    crossing);
        std::printf("  201 Created %d, refused %d, delivered %d (%.0f/s over the whole run)\n",
                    s.created, s.refused, result.delivered,
                    result.delivered / (double(result.lastDeliveryUs - result.firstPostUs) / 1e6));
        std::printf("  POST -> 201: %s\n", qPrintable(summarizeUs(s.createdUs)));
        std::printf("  POST -> decrypted on device: %s\n",
                    qPrintable(summarizeUs(result.endToEndUs)));
        printServerCpu(pids, ticks, result.firstPostUs, ownTicks);
        phase = nullptr;
        sender = nullptr;
        printCost(result.delivered);
    }
    if (devices.undecryptable > 0)
        std::printf("undecryptable notifications: %d\n", devices.undecryptable.load());
    stopDevices();
    std::fflush(stdout);
    return 0;
}
