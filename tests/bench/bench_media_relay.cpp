// Media relay capacity of one calling service (figures only, never pass/fail;
// see docs/benchmarks.md "Voice"):
//   bench_media_relay [CALLS ...]     (default 10 25 50 100 200 400 800)
// A fresh `softphone-server serve` on loopback; for each step, calls are added
// up to CALLS (caller user `caller` with one device per call, callee user
// `callee<i>`, tokens from POST /v1/login), each answered, and both parties of
// every call send one 80-byte SRTP-sized packet every 20 ms (50 frames/s each way,
// 100 relayed per call), phases spread over the 20 ms. Each frame carries its
// send time; relay latency is receive time minus send time in this process.
// After 1 s of warm-up, 5 s are measured; the step prints p50/p99/max and the
// loss, the server's and this process's CPU. Stops after the first step whose
// p99 passes 20 ms; the capacity is the last step that stayed within it.
// The latency includes this process's own scheduling: its CPU is printed so a
// saturated bench is visible.
#include "bench_calling_support.h"
#include "protocol/Builders.h"
#include "protocol/Limits.h"
#include "support/ServerProcess.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QNetworkRequest>
#include <QTimer>
#include <QUuid>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>
#include <QtEndian>
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

using namespace softphone;
using namespace softphone::bench;

namespace {

constexpr qint64 kFrameIntervalUs = 20000;
constexpr int kFrameBytes = 80; // 12 bytes of RTP header + 52 of "Opus" + a 16-byte GCM tag
constexpr int kWarmupMs = 1000;
constexpr int kMeasureMs = 5000;
constexpr double kP99GoalMs = 20.0;
constexpr int kOverallBudgetMs = 15 * 60 * 1000;

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

// One raw protocol connection: a caller or a callee of one call.
struct Party
{
    QWebSocket *socket = nullptr;
    bool welcomed = false;
    bool established = false;
    quint16 sequence = 0;
    qint64 nextDueUs = 0;
};

struct Call
{
    Call() = default;
    Call(const Call &) = delete;
    Call &operator=(const Call &) = delete;
    ~Call()
    {
        // No signal may reach the bench while it is being torn down.
        for (QWebSocket *socket : {caller.socket, callee.socket}) {
            if (socket)
                QObject::disconnect(socket, nullptr, nullptr, nullptr);
            delete socket;
        }
    }
    Party caller;
    Party callee;
    QString id;
    int index = 0;
};

// An SRTP packet as the relay sees it (docs/media.md "UDP media"): the clear
// RTP header (version 2, payload type 111), then what would be the encrypted
// payload and tag; the send time in its first 8 bytes. The service relays it
// without opening it (it has no key).
QByteArray makeFrame(quint16 sequence, qint64 sentUs)
{
    QByteArray frame(kFrameBytes, '\0');
    auto *bytes = reinterpret_cast<uchar *>(frame.data());
    bytes[0] = 0x80;
    bytes[1] = 111;
    qToBigEndian<quint16>(sequence, bytes + 2);
    qToBigEndian<quint32>(quint32(sequence) * 960u, bytes + 4);
    qToBigEndian<quint32>(0x5eed0001u, bytes + 8);
    qToBigEndian<qint64>(sentUs, bytes + 12);
    return frame;
}

qint64 sentTimeOf(const QByteArray &frame)
{
    if (frame.size() < 20)
        return -1;
    return qFromBigEndian<qint64>(reinterpret_cast<const uchar *>(frame.constData()) + 12);
}

// CPU time in microseconds of a process (utime + stime from /proc/<pid>/stat).
qint64 processCpuUs(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray line = stat.readAll();
    // Fields after the command name, which may hold spaces: the ')' ends it.
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return -1;
    const qint64 ticks = fields[11].toLongLong() + fields[12].toLongLong();
    return ticks * 1000000 / sysconf(_SC_CLK_TCK);
}

class RelayBench
{
public:
    RelayBench(test::ServerProcess &server)
        : m_server(server)
        , m_url(server.callingUrl())
    {}

    // Adds calls until there are `target`; false (with a message) if they do not all come up.
    bool growTo(int target);
    void runStep(int calls);
    bool exceeded() const { return m_exceeded; }
    int capacity() const { return m_capacity; }

private:
    void open(Call &call, Party &party, bool isCaller);
    void onText(Call &call, Party &party, bool isCaller, const QString &text);
    void sendDueFrames();

    test::ServerProcess &m_server;
    QUrl m_url;
    std::vector<std::unique_ptr<Call>> m_calls;
    std::vector<qint64> m_latencies;
    bool m_measuring = false;
    qint64 m_measureFromUs = 0;
    qint64 m_sent = 0;
    qint64 m_received = 0;
    qint64 m_skipped = 0;
    int m_errors = 0;
    int m_lost = 0;
    bool m_exceeded = false;
    int m_capacity = 0;
};

void RelayBench::open(Call &call, Party &party, bool isCaller)
{
    const QString user =
        isCaller ? QStringLiteral("caller") : QStringLiteral("callee%1").arg(call.index);
    const QString device =
        isCaller ? QStringLiteral("d%1").arg(call.index) : QStringLiteral("desk");
    const QString token = m_server.login(user, QStringLiteral("password-") + user, device);
    party.socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest);
    party.socket->setMaxAllowedIncomingFrameSize(protocol::kMaxControlMessageBytes);
    party.socket->setMaxAllowedIncomingMessageSize(protocol::kMaxControlMessageBytes);
    QObject::connect(party.socket, &QWebSocket::connected, party.socket, [&party, token, device] {
        party.socket->sendTextMessage(protocol::toText(
            protocol::makeHello(token, device, protocol::Capabilities{true, false, false},
                                QStringLiteral("bench"), QStringLiteral("hello"))));
    });
    QObject::connect(party.socket, &QWebSocket::textMessageReceived, party.socket,
                     [this, &call, &party, isCaller](const QString &text) {
                         onText(call, party, isCaller, text);
                     });
    QObject::connect(party.socket, &QWebSocket::binaryMessageReceived, party.socket,
                     [this](const QByteArray &frame) {
                         const qint64 at = nowUs();
                         const qint64 sent = sentTimeOf(frame);
                         if (!m_measuring || sent < m_measureFromUs)
                             return;
                         ++m_received;
                         m_latencies.push_back(at - sent);
                     });
    QObject::connect(party.socket, &QWebSocket::disconnected, party.socket, [this, &party] {
        if (party.welcomed)
            ++m_lost;
        party.welcomed = party.established = false;
    });
    QWebSocketHandshakeOptions options;
    options.setSubprotocols({QString::fromLatin1(protocol::kSubprotocol)});
    party.socket->open(QNetworkRequest(m_url), options);
}

void RelayBench::onText(Call &call, Party &party, bool isCaller, const QString &text)
{
    const QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
    const QString type = message.value(QLatin1StringView("type")).toString();
    if (type == QLatin1StringView("welcome")) {
        party.welcomed = true;
        if (call.caller.welcomed && call.callee.welcomed)
            call.caller.socket->sendTextMessage(protocol::toText(protocol::makeCall(
                call.id, QStringLiteral("callee%1").arg(call.index), {}, false)));
    } else if (type == QLatin1StringView("incoming") && !isCaller) {
        party.socket->sendTextMessage(protocol::toText(protocol::makeRinging(call.id)));
        party.socket->sendTextMessage(protocol::toText(protocol::makeAnswer(call.id)));
    } else if (type == QLatin1StringView("established")) {
        party.established = true;
    } else if (type == QLatin1StringView("error")) {
        if (++m_errors <= 5)
            std::printf("  server error: %s\n", qPrintable(text));
    } else if (type == QLatin1StringView("ended")) {
        party.established = false;
        if (++m_errors <= 5)
            std::printf("  call ended: %s\n", qPrintable(text));
    }
}

bool RelayBench::growTo(int target)
{
    const size_t first = m_calls.size();
    for (int i = int(first); i < target; ++i) {
        auto call = std::make_unique<Call>();
        call->index = i;
        call->id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        const QString callee = QStringLiteral("callee%1").arg(i);
        if (!m_server.addUser(callee, QStringLiteral("password-") + callee)) {
            std::printf("user add %s failed\n", qPrintable(callee));
            return false;
        }
        open(*call, call->caller, true);
        open(*call, call->callee, false);
        m_calls.push_back(std::move(call));
    }
    const bool up = waitUntil(
        [&] {
            for (size_t i = first; i < m_calls.size(); ++i)
                if (!m_calls[i]->caller.established || !m_calls[i]->callee.established)
                    return false;
            return true;
        },
        60000);
    if (!up)
        std::printf("calls=%d: not every call was established within 60 s\n", target);
    // Phases spread evenly over the 20 ms, as independent calls would be.
    const qint64 start = nowUs() + 1000;
    const size_t parties = m_calls.size() * 2;
    for (size_t i = 0; i < m_calls.size(); ++i) {
        m_calls[i]->caller.nextDueUs = start + qint64(2 * i) * kFrameIntervalUs / qint64(parties);
        m_calls[i]->callee.nextDueUs =
            start + qint64(2 * i + 1) * kFrameIntervalUs / qint64(parties);
    }
    return up;
}

void RelayBench::sendDueFrames()
{
    const qint64 now = nowUs();
    for (const auto &call : m_calls) {
        for (Party *party : {&call->caller, &call->callee}) {
            if (!party->established || party->nextDueUs > now)
                continue;
            // Far behind (this process was descheduled): skip rather than
            // burst, a real sender drops late audio too.
            while (now - party->nextDueUs > 5 * kFrameIntervalUs) {
                party->nextDueUs += kFrameIntervalUs;
                ++m_skipped;
            }
            party->socket->sendBinaryMessage(makeFrame(party->sequence++, nowUs()));
            party->nextDueUs += kFrameIntervalUs;
            if (m_measuring)
                ++m_sent;
        }
    }
}

void RelayBench::runStep(int calls)
{
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    ticker.setInterval(1);
    QObject::connect(&ticker, &QTimer::timeout, [this] { sendDueFrames(); });
    ticker.start();
    waitUntil([] { return false; }, kWarmupMs);

    const qint64 serverPidValue = serverPid(m_server.dataDir());
    const qint64 serverCpu0 = processCpuUs(serverPidValue);
    const qint64 selfCpu0 = processCpuUs(getpid());
    const qint64 wall0 = nowUs();
    m_latencies.clear();
    m_latencies.reserve(size_t(calls) * 100 * kMeasureMs / 1000 + 1024);
    m_sent = m_received = m_skipped = 0;
    m_measureFromUs = wall0;
    m_measuring = true;
    waitUntil([] { return false; }, kMeasureMs);
    m_measuring = false;
    const qint64 wall = nowUs() - wall0;
    const double serverCpu =
        100.0 * double(processCpuUs(serverPidValue) - serverCpu0) / double(wall);
    const double selfCpu = 100.0 * double(processCpuUs(getpid()) - selfCpu0) / double(wall);
    // Frames sent in the last moments are still in flight: let them land (not counted as sent).
    ticker.stop();
    waitUntil([] { return false; }, 200);

    std::vector<qint64> values = m_latencies;
    std::sort(values.begin(), values.end());
    auto at = [&](double q) {
        if (values.empty())
            return -1.0;
        return double(values[std::min(values.size() - 1, size_t(q * double(values.size())))]) /
               1000.0;
    };
    const double p99 = at(0.99);
    const double loss =
        m_sent > 0 ? 100.0 * double(std::max<qint64>(0, m_sent - m_received)) / double(m_sent)
                   : 100.0;
    std::printf("calls=%4d  frames/s relayed=%6.0f  p50 %6.2f ms  p99 %7.2f ms  max %7.2f ms  "
                "loss %.2f %%  late-skipped %lld  server CPU %3.0f %%  bench CPU %3.0f %%\n",
                calls, double(m_received) * 1e6 / double(wall), at(0.5), p99,
                values.empty() ? -1.0 : double(values.back()) / 1000.0, loss,
                static_cast<long long>(m_skipped), serverCpu, selfCpu);
    std::fflush(stdout);
    if (values.empty() || p99 > kP99GoalMs || loss > 1.0)
        m_exceeded = true;
    else
        m_capacity = calls;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    prepareServerEnvironment();
    raiseFileLimit();
    std::vector<int> steps;
    for (int i = 1; i < argc; ++i)
        if (const int n = QByteArray(argv[i]).toInt(); n > 0)
            steps.push_back(n);
    if (steps.empty())
        steps = {10, 25, 50, 100, 200, 400, 800};
    std::sort(steps.begin(), steps.end());

    // One caller user places every call: lift the per-user call rate (5/s) for it.
    test::ServerProcess server(
        {QStringLiteral("--set"), QStringLiteral("calling.user_calls_per_second=1000"),
         QStringLiteral("--set"), QStringLiteral("calling.user_calls_burst=1000")});
    if (!server.start()) {
        std::printf("server did not start: %s\n", qPrintable(server.lastError()));
        return 1;
    }
    if (!server.addUser(QStringLiteral("caller"), QStringLiteral("password-caller"))) {
        std::printf("user add caller failed\n");
        return 1;
    }
    std::printf("media relay: 80-byte frames, 50/s each way per call; goal p99 <= %.0f ms\n",
                kP99GoalMs);
    RelayBench bench(server);
    QElapsedTimer budget;
    budget.start();
    for (const int calls : steps) {
        if (budget.elapsed() > kOverallBudgetMs) {
            std::printf("time budget used up before calls=%d\n", calls);
            break;
        }
        if (!bench.growTo(calls))
            break;
        bench.runStep(calls);
        if (bench.exceeded())
            break;
    }
    if (bench.exceeded())
        std::printf(
            "capacity: %d concurrent calls within p99 <= %.0f ms (the next step passed it)\n",
            bench.capacity(), kP99GoalMs);
    else
        std::printf("capacity: at least %d concurrent calls within p99 <= %.0f ms (not reached)\n",
                    bench.capacity(), kP99GoalMs);
    return 0;
}
