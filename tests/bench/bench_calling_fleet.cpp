// Worker process of the calling benchmarks: holds `count` idle authenticated
// connections to the calling service and reconnects them when they drop.
//   bench_calling_fleet URL DATA_DIR USER_PREFIX FIRST COUNT immediate|backoff
// Users are USER_PREFIX<FIRST> .. USER_PREFIX<FIRST+COUNT-1>, device "bench";
// tokens are signed with DATA_DIR/keys/token.pem. Reports on stdout, with
// CLOCK_MONOTONIC microseconds:
//   ready T      every connection welcomed once (the initial fill)
//   all T        every connection welcomed again after some had dropped
//   welcomed N   the current count, at most every 250 ms when it changed
// Reconnect: "immediate" reconnects at once and retries a failed attempt after
// a fixed 500 ms (no jitter: the worst case); "backoff" uses the client's policy
// (core/common/Backoff, 1 s x1.6 +-20 % cap 60 s, as SoftphoneClient).
#include "bench_calling_support.h"
#include "common/Backoff.h"
#include "protocol/Builders.h"
#include "protocol/Limits.h"

#include <QCoreApplication>
#include <QNetworkRequest>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>
#include <cstdio>
#include <vector>

#include <csignal>
#include <sys/prctl.h>

using namespace softphone;
using namespace softphone::bench;

namespace {

// Bounds the initial fill so it measures steady state, not our own burst.
constexpr int kInitialInFlight = 64;
constexpr int kImmediateRetryMs = 500;

class FleetWorker : public QObject
{
public:
    FleetWorker(QUrl url, QString dataDir, QString prefix, int first, int count, bool backoff)
        : m_url(std::move(url))
        , m_dataDir(std::move(dataDir))
        , m_prefix(std::move(prefix))
        , m_first(first)
        , m_backoff(backoff)
        , m_conns(size_t(count))
    {
        Backoff::Policy policy;
        policy.cap = std::chrono::seconds(60);
        for (Conn &c : m_conns)
            c.backoff = Backoff(policy);
        auto *report = new QTimer(this);
        connect(report, &QTimer::timeout, this, [this] {
            if (m_welcomed != m_reported) {
                m_reported = m_welcomed;
                std::printf("welcomed %d\n", m_welcomed);
                std::fflush(stdout);
            }
        });
        report->start(250);
    }

    void start()
    {
        for (int i = 0; i < kInitialInFlight && m_next < int(m_conns.size()); ++i)
            open(m_next++);
    }

private:
    struct Conn
    {
        QWebSocket *socket = nullptr;
        bool welcomed = false;
        Backoff backoff;
    };

    void open(int i)
    {
        Conn &c = m_conns[size_t(i)];
        const QString user = m_prefix + QString::number(m_first + i);
        auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
        c.socket = socket;
        socket->setMaxAllowedIncomingFrameSize(protocol::kMaxControlMessageBytes);
        socket->setMaxAllowedIncomingMessageSize(protocol::kMaxControlMessageBytes);
        connect(socket, &QWebSocket::connected, this, [this, socket, user] {
            const QString token = signToken(m_dataDir, user, QStringLiteral("bench"));
            socket->sendTextMessage(protocol::toText(protocol::makeHello(
                token, QStringLiteral("bench"), protocol::Capabilities{true, false, false},
                QStringLiteral("bench-fleet"), QStringLiteral("h"))));
        });
        connect(socket, &QWebSocket::textMessageReceived, this, [this, i](const QString &text) {
            // Only the welcome matters; an idle connection gets nothing else.
            if (!text.contains(QLatin1StringView("\"welcome\"")))
                return;
            onWelcome(i);
        });
        connect(socket, &QWebSocket::disconnected, this, [this, i, socket] { onLost(i, socket); });
        // A refused connect may come as an error only; onLost() runs once per socket.
        connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
                [this, i, socket] { onLost(i, socket); });
        QWebSocketHandshakeOptions options;
        options.setSubprotocols({QString::fromLatin1(protocol::kSubprotocol)});
        socket->open(QNetworkRequest(m_url), options);
    }

    void onWelcome(int i)
    {
        Conn &c = m_conns[size_t(i)];
        if (c.welcomed)
            return;
        c.welcomed = true;
        c.backoff.reset();
        ++m_welcomed;
        if (!m_filled && m_next < int(m_conns.size()))
            open(m_next++);
        if (m_welcomed == int(m_conns.size())) {
            std::printf("%s %lld\nwelcomed %d\n", m_filled ? "all" : "ready", nowUs(), m_welcomed);
            std::fflush(stdout);
            m_reported = m_welcomed;
            m_filled = true;
        }
    }

    void onLost(int i, QWebSocket *socket)
    {
        Conn &c = m_conns[size_t(i)];
        if (c.socket != socket)
            return;
        c.socket = nullptr;
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
        const bool wasWelcomed = c.welcomed;
        if (c.welcomed) {
            c.welcomed = false;
            --m_welcomed;
        }
        if (!m_filled) {
            // A failure during the fill: try again shortly, keep the slot in flight.
            QTimer::singleShot(kImmediateRetryMs, this, [this, i] { open(i); });
            return;
        }
        int delayMs = 0;
        if (m_backoff)
            delayMs = int(c.backoff.next().count());
        else if (!wasWelcomed)
            delayMs = kImmediateRetryMs;
        QTimer::singleShot(delayMs, this, [this, i] { open(i); });
    }

    QUrl m_url;
    QString m_dataDir;
    QString m_prefix;
    int m_first;
    bool m_backoff;
    std::vector<Conn> m_conns;
    int m_next = 0;
    int m_welcomed = 0;
    int m_reported = -1;
    bool m_filled = false;
};

} // namespace

int main(int argc, char **argv)
{
    // Never outlive the bench that started us.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    raiseFileLimit();
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 7) {
        std::fprintf(stderr, "usage: bench_calling_fleet URL DATA_DIR USER_PREFIX FIRST COUNT "
                             "immediate|backoff\n");
        return 2;
    }
    FleetWorker worker(QUrl(args[1]), args[2], args[3], args[4].toInt(), args[5].toInt(),
                       args[6] == QLatin1StringView("backoff"));
    worker.start();
    return app.exec();
}
