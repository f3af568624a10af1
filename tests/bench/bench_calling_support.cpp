#include "bench_calling_support.h"

#include "crypto/EcKey.h"
#include "protocol/Builders.h"
#include "protocol/Limits.h"
#include "softphone-server/common/AccessToken.h"
#include "support/Processes.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>
#include <algorithm>
#include <cstdio>
#include <ctime>

#include <sys/resource.h>
#include <unistd.h>

namespace softphone::bench {

qint64 nowUs()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

quint64 raiseFileLimit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return 0;
    if (geteuid() == 0) {
        QFile nrOpen(QStringLiteral("/proc/sys/fs/nr_open"));
        const rlim_t most =
            nrOpen.open(QIODevice::ReadOnly)
                ? std::min<rlim_t>(nrOpen.readAll().trimmed().toULongLong(), 1u << 20)
                : 0;
        limit.rlim_max = std::max(limit.rlim_max, most);
    }
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
    return limit.rlim_cur;
}

QUrl spreadOverLoopback(QUrl url, int index)
{
    constexpr int kAddresses = 8;
    url.setHost(QStringLiteral("127.0.0.%1").arg(1 + index % kAddresses));
    return url;
}

QString listenHostFor(int connections)
{
    return connections > kConnectionsPerLoopbackAddress ? QStringLiteral("0.0.0.0")
                                                        : QStringLiteral("127.0.0.1");
}

int withinFileLimit(int connections)
{
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    // The server's own descriptors: listeners, databases, the event dispatcher.
    constexpr int kServerFiles = 100;
    const qint64 most = qint64(limit.rlim_cur) - kServerFiles;
    if (connections <= most)
        return connections;
    std::printf("%d connections need RLIMIT_NOFILE above %llu, which this process could not "
                "raise (no CAP_SYS_RESOURCE here): measuring %lld\n",
                connections, static_cast<unsigned long long>(limit.rlim_cur), most);
    return int(most);
}

void prepareServerEnvironment()
{
    softphone::test::useThisBuildsBinaries();
    // The server logs every welcome at info level (and the bus every envelope at
    // debug level); thousands of lines on the bench's terminal would measure the
    // terminal, not the service.
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        qputenv("QT_LOGGING_RULES", "softphone.*.debug=false;softphone.*.info=false");
}

QString signToken(const QString &dataDir, const QString &user, const QString &device)
{
    static QString cachedDir;
    static std::optional<crypto::EcKey> key;
    if (cachedDir != dataDir || !key) {
        QFile file(dataDir + QStringLiteral("/keys/token.pem"));
        if (!file.open(QIODevice::ReadOnly))
            return {};
        key = crypto::EcKey::fromPem(file.readAll());
        cachedDir = dataDir;
        if (!key)
            return {};
    }
    return server::AccessToken::issue(user, device, *key);
}

qint64 serverPid(const QString &dataDir)
{
    const QByteArray wanted = QByteArray("--data-dir") + '\0' + QFile::encodeName(dataDir) + '\0';
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &entry : entries) {
        bool ok = false;
        const qint64 pid = entry.toLongLong(&ok);
        if (!ok)
            continue;
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
        if (!cmdline.open(QIODevice::ReadOnly))
            continue;
        const QByteArray args = cmdline.readAll();
        if (args.contains(QByteArray("serve") + '\0') && args.contains(wanted))
            return pid;
    }
    return 0;
}

qint64 rssKb(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray &line : lines)
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

ListenCounters listenCounters()
{
    QProcess nstat;
    nstat.start(QStringLiteral("nstat"),
                {QStringLiteral("-az"), QStringLiteral("TcpExtListenOverflows"),
                 QStringLiteral("TcpExtListenDrops")});
    ListenCounters counters;
    if (!nstat.waitForFinished(5000))
        return counters;
    const QList<QByteArray> lines = nstat.readAllStandardOutput().split('\n');
    for (const QByteArray &line : lines) {
        const QList<QByteArray> fields = line.simplified().split(' ');
        if (fields.size() < 2)
            continue;
        if (fields[0] == "TcpExtListenOverflows")
            counters.overflows = fields[1].toLongLong();
        else if (fields[0] == "TcpExtListenDrops")
            counters.drops = fields[1].toLongLong();
    }
    return counters;
}

QString summarizeUs(std::vector<qint64> values)
{
    if (values.empty())
        return QStringLiteral("no samples");
    std::sort(values.begin(), values.end());
    auto at = [&](double q) {
        const size_t i = std::min(values.size() - 1, size_t(q * double(values.size())));
        return double(values[i]) / 1000.0;
    };
    return QStringLiteral("p50 %1 ms  p99 %2 ms  max %3 ms  (n=%4)")
        .arg(at(0.50), 0, 'f', 2)
        .arg(at(0.99), 0, 'f', 2)
        .arg(double(values.back()) / 1000.0, 0, 'f', 2)
        .arg(values.size());
}

bool waitFor(const std::function<bool()> &done, int timeoutMs)
{
    // processEvents() with a time limit returns at once when nothing is pending,
    // which made this a busy loop; a nested loop checked every 5 ms really sleeps.
    QElapsedTimer timer;
    timer.start();
    if (done())
        return true;
    QEventLoop loop;
    QTimer check;
    check.setInterval(5);
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (done() || timer.elapsed() >= timeoutMs)
            loop.quit();
    });
    check.start();
    loop.exec();
    return done();
}

BenchClient::BenchClient(QObject *parent)
    : QObject(parent)
{}

void BenchClient::open(const QUrl &url, const QString &token, const QString &device,
                       const protocol::Capabilities &capabilities)
{
    m_token = token;
    m_device = device;
    m_capabilities = capabilities;
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket->setMaxAllowedIncomingFrameSize(m_maxIncomingBytes);
    m_socket->setMaxAllowedIncomingMessageSize(m_maxIncomingBytes);
    connect(m_socket, &QWebSocket::connected, this, [this] {
        m_socket->sendTextMessage(protocol::toText(protocol::makeHello(
            m_token, m_device, m_capabilities, QStringLiteral("bench"), QStringLiteral("hello"))));
    });
    connect(m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        const qint64 at = nowUs();
        const QJsonObject object = QJsonDocument::fromJson(text.toUtf8()).object();
        if (!m_welcomed && object.value(QLatin1StringView("type")).toString() == "welcome") {
            m_welcomed = true;
            Q_EMIT welcomed();
            return;
        }
        Q_EMIT message(object, at);
    });
    connect(m_socket, &QWebSocket::disconnected, this, [this] {
        m_welcomed = false;
        Q_EMIT lost();
    });
    QWebSocketHandshakeOptions options;
    options.setSubprotocols({QString::fromLatin1(protocol::kSubprotocol)});
    m_socket->open(QNetworkRequest(url), options);
}

void BenchClient::send(const QJsonObject &message)
{
    if (m_socket)
        m_socket->sendTextMessage(protocol::toText(message));
}

Fleet::Fleet(const QUrl &url, const QString &dataDir, const QString &prefix, int total,
             int perWorker, Reconnect reconnect, QObject *parent)
    : QObject(parent)
    , m_url(url)
    , m_dataDir(dataDir)
    , m_prefix(prefix)
    , m_total(total)
    , m_perWorker(std::max(1, perWorker))
    , m_reconnect(reconnect)
{}

Fleet::~Fleet()
{
    for (auto &worker : m_workers) {
        worker->process->kill();
        worker->process->waitForFinished(5000);
    }
}

void Fleet::start()
{
    const QString fleet = test::thisBuildsFile(QStringLiteral("tests/bench/bench_calling_fleet"));
    for (int first = 0; first < m_total; first += m_perWorker) {
        const int count = std::min(m_perWorker, m_total - first);
        auto worker = std::make_unique<Worker>();
        worker->process = std::make_unique<QProcess>();
        worker->process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        Worker *w = worker.get();
        connect(w->process.get(), &QProcess::readyReadStandardOutput, this,
                [this, w] { readLines(*w); });
        const QUrl url = m_spread ? spreadOverLoopback(m_url, int(m_workers.size())) : m_url;
        w->process->start(fleet, {url.toString(), m_dataDir, m_prefix, QString::number(first),
                                  QString::number(count),
                                  m_reconnect == Reconnect::Immediate ? QStringLiteral("immediate")
                                                                      : QStringLiteral("backoff")});
        if (!w->process->waitForStarted(10000))
            m_error = QStringLiteral("cannot start %1").arg(fleet);
        m_workers.push_back(std::move(worker));
    }
}

void Fleet::readLines(Worker &worker)
{
    worker.buffer += worker.process->readAllStandardOutput();
    qsizetype nl;
    while ((nl = worker.buffer.indexOf('\n')) >= 0) {
        const QList<QByteArray> fields = worker.buffer.left(nl).trimmed().split(' ');
        worker.buffer.remove(0, nl + 1);
        if (fields.size() < 2)
            continue;
        if (fields[0] == "ready") {
            worker.ready = true;
            worker.lastAllUs = fields[1].toLongLong();
        } else if (fields[0] == "all") {
            worker.lastAllUs = fields[1].toLongLong();
        } else if (fields[0] == "welcomed") {
            worker.welcomed = fields[1].toInt();
        }
    }
}

bool Fleet::isReady() const
{
    return std::all_of(m_workers.begin(), m_workers.end(), [](const auto &w) { return w->ready; });
}

bool Fleet::allBackSince(qint64 sinceUs) const
{
    return std::all_of(m_workers.begin(), m_workers.end(),
                       [sinceUs](const auto &w) { return w->lastAllUs > sinceUs; });
}

qint64 Fleet::lastAllBackUs() const
{
    qint64 last = 0;
    for (const auto &w : m_workers)
        last = std::max(last, w->lastAllUs);
    return last;
}

int Fleet::welcomed() const
{
    int sum = 0;
    for (const auto &w : m_workers)
        sum += w->welcomed;
    return sum;
}

} // namespace softphone::bench
