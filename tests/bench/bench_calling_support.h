#pragma once
// Shared pieces of the calling-service benchmarks (bench_calling_connections,
// bench_call_setup, bench_reconnect_storm): tokens signed with the server's own
// key, the server's RSS, listen-queue counters, percentiles, one bench-side
// connection (BenchClient) and the worker processes that hold the idle
// connections (Fleet, see bench_calling_fleet.cpp). Benchmarks print figures
// only; nothing here asserts.

#include "protocol/Limits.h"
#include "protocol/Message.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QProcess>
#include <QUrl>
#include <functional>
#include <memory>
#include <vector>

class QWebSocket;

namespace softphone::bench {

// CLOCK_MONOTONIC in microseconds: the same clock in every process of a run, so
// the workers' timestamps compare with the coordinator's.
qint64 nowUs();
// Lifts RLIMIT_NOFILE to its hard limit, and as root the hard limit itself first
// (to fs.nr_open, at most 2^20): 100k connections need more than a login's 20000.
// Returns the new soft limit. Processes started afterwards inherit it.
quint64 raiseFileLimit();
// connect() takes an ephemeral port per destination address (and port), and there
// are 28232 of them (net.ipv4.ip_local_port_range 32768-60999): past that, a
// bench's clients spread over the destinations 127.0.0.1..127.0.0.8, and the
// server listens on all of them (0.0.0.0; run such a bench in a network namespace
// of its own: `unshare --net sh -c 'ip link set lo up && BENCH ...'`).
constexpr int kConnectionsPerLoopbackAddress = 28000;
// `url` with its host replaced by 127.0.0.(1 + index % 8).
QUrl spreadOverLoopback(QUrl url, int index);
// The --listen host a server needs for `connections` from this machine.
QString listenHostFor(int connections);
// `connections`, or fewer when the server (one process, inheriting our RLIMIT_NOFILE)
// could not hold them: a container without CAP_SYS_RESOURCE keeps the hard limit
// even for root. Says so on stdout when it cuts.
int withinFileLimit(int connections);
// Points ServerProcess at the server binary of this build (unless the
// environment already does) and keeps the server's per-connection info logs
// out of the figures.
void prepareServerEnvironment();
// An access token for user/device signed with <dataDir>/keys/token.pem, exactly
// what the application server would issue; empty if the key cannot be read.
QString signToken(const QString &dataDir, const QString &user, const QString &device);
// The pid of the `softphone-server serve --data-dir <dataDir>` process, 0 if none.
qint64 serverPid(const QString &dataDir);
// VmRSS of a process in kB, -1 if unreadable.
qint64 rssKb(qint64 pid);
// TcpExtListenOverflows + TcpExtListenDrops as absolute counters (nstat -az);
// namespace-wide, so other programs' connections count too.
struct ListenCounters
{
    qint64 overflows = -1;
    qint64 drops = -1;
};
ListenCounters listenCounters();
// "p50 1.23 ms  p99 4.56 ms  max 7.89 ms  (n=1000)" of values in microseconds.
QString summarizeUs(std::vector<qint64> values);
// Runs the event loop until done() or the timeout; returns done().
bool waitFor(const std::function<bool()> &done, int timeoutMs);

// One authenticated connection held by the bench process itself, used where
// the bench measures (the workers only keep connections open).
class BenchClient : public QObject
{
    Q_OBJECT
public:
    explicit BenchClient(QObject *parent = nullptr);
    void open(const QUrl &url, const QString &token, const QString &device,
              const protocol::Capabilities &capabilities = {true, true, false});
    bool isWelcomed() const { return m_welcomed; }
    void send(const QJsonObject &message);
    // Before open(): accept server messages up to this size (default: the
    // protocol's 64 KiB), e.g. to measure what an older server sent.
    void setMaxIncomingBytes(qint64 bytes) { m_maxIncomingBytes = bytes; }

Q_SIGNALS:
    void welcomed();
    void message(const QJsonObject &message, qint64 receivedUs);
    void lost();

private:
    QWebSocket *m_socket = nullptr;
    QString m_token;
    QString m_device;
    protocol::Capabilities m_capabilities;
    qint64 m_maxIncomingBytes = protocol::kMaxControlMessageBytes;
    bool m_welcomed = false;
};

// Worker processes (bench_calling_fleet) that open `total` idle authenticated
// connections for users <prefix>0 .. <prefix>(total-1), device "bench", at most
// perWorker per process (the bench and the server each stay under their own
// RLIMIT_NOFILE).
class Fleet : public QObject
{
    Q_OBJECT
public:
    enum class Reconnect { Immediate, ClientBackoff };

    Fleet(const QUrl &url, const QString &dataDir, const QString &prefix, int total, int perWorker,
          Reconnect reconnect, QObject *parent = nullptr);
    ~Fleet() override;

    // Each worker connects to its own loopback address (spreadOverLoopback) rather
    // than the URL's host (the server must listen on 0.0.0.0).
    void setSpreadOverLoopback(bool spread) { m_spread = spread; }
    void start();
    // Every worker has all its connections welcomed (the initial fill).
    bool isReady() const;
    // Every worker reported all its connections welcomed again after sinceUs.
    bool allBackSince(qint64 sinceUs) const;
    // The latest such report (max over workers), 0 if none.
    qint64 lastAllBackUs() const;
    // Welcomed connections over all workers, as last reported.
    int welcomed() const;
    int total() const { return m_total; }
    QString lastError() const { return m_error; }

private:
    struct Worker
    {
        std::unique_ptr<QProcess> process;
        QByteArray buffer;
        bool ready = false;
        qint64 lastAllUs = 0;
        int welcomed = 0;
    };
    void readLines(Worker &worker);

    QUrl m_url;
    QString m_dataDir;
    QString m_prefix;
    int m_total;
    int m_perWorker;
    Reconnect m_reconnect;
    bool m_spread = false;
    std::vector<std::unique_ptr<Worker>> m_workers;
    QString m_error;
};

} // namespace softphone::bench
