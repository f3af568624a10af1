// A PostgreSQL server that goes silent under a running node (a network cut, a
// frozen host: no RST, no ICMP, packets just lost), as its users notice it. The
// node talks to a real PostgreSQL 15 on loopback; an nftables table of the test's
// own (TcpPortCut) then drops that port's packets both ways. A token refresh that
// needs the database must be answered 503 storage_unavailable with Retry-After
// within seconds (libpq's tcp_user_timeout, set by SqlDatabase), not after the
// ~15 min of TCP retransmissions it would take otherwise; nothing is half written
// (the refresh token is not spent); while the cut lasts a reconnect attempt times
// out (connect_timeout) and the requests right after it are refused at once; once
// the packets flow again a request reconnects and succeeds. The stores run on the node's event
// loop, so the node answers nothing else while the statement waits: a request that needs no
// database, sent meanwhile, is answered right after the 503 (measured, and
// asserted to come then, not later). Before the cut, both ends of the node's
// connections show keepalive timers of at most 5 s (`ss`), the node's from libpq's
// keepalives_idle, PostgreSQL's from the startup options' tcp_keepalives_idle.
// docs/operations.md "When the database fails".
#include "support/PostgresServer.h"
#include "support/ServerProcess.h"
#include "support/TcpPortCut.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>

using namespace softphone::test;

namespace {

const QString kPassword = QStringLiteral("password-123");
// Generous against SqlDatabase's 10 s tcp_user_timeout (and a loaded machine),
// far below the ~15 min TCP takes to give up on unacknowledged data by itself.
constexpr int kAnswerBoundMs = 30000;

// One request in flight on its own, its answer and when it came.
struct Pending
{
    QNetworkReply *reply = nullptr;
    std::shared_ptr<qint64> answeredAtMs = std::make_shared<qint64>(-1);
    bool answered() const { return *answeredAtMs >= 0; }
    int status() const
    {
        return reply ? reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() : 0;
    }
};

// The keepalive timers (seconds left) of this machine's TCP connections whose
// `end` ("dport": the clients' side, "sport": the server's) is `port`, from
// `ss -tno`; -1 for one without. iproute2 6.1 writes them as
// "119min", "1min30sec", "12sec", "4.696ms" (4 s 696 ms) or "696ms".
QList<double> keepaliveTimers(const QString &end, quint16 port)
{
    QProcess ss;
    ss.start(QStringLiteral("ss"),
             {QStringLiteral("-tnoH"), QStringLiteral("state"), QStringLiteral("established"), end,
              QStringLiteral("="), QStringLiteral(":%1").arg(port)});
    if (!ss.waitForFinished(10000))
        ss.kill();
    static const QRegularExpression timer(
        QStringLiteral("timer:\\(keepalive,(?:(\\d+)min)?(?:(\\d+)(?:sec|\\.))?(?:(\\d+)ms)?,"));
    QList<double> timers;
    for (const QByteArray &line : ss.readAllStandardOutput().split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        const QRegularExpressionMatch match = timer.match(QString::fromLatin1(line));
        if (!match.hasMatch())
            qInfo("no keepalive timer: %s", line.simplified().constData());
        timers << (match.hasMatch() ? match.captured(1).toInt() * 60 + match.captured(2).toInt() +
                                          match.captured(3).toInt() / 1000.0
                                    : -1);
    }
    return timers;
}

} // namespace

class TestPostgresNetcut : public QObject
{
    Q_OBJECT

    std::unique_ptr<PostgresServer> m_postgres;
    QNetworkAccessManager m_network;
    QElapsedTimer m_clock;

    // The request on its way; *answeredAtMs set when its answer (or error) came.
    Pending send(const QByteArray &method, const QUrl &url, const QJsonObject &body, QObject *scope)
    {
        QNetworkRequest request(url);
        request.setTransferTimeout(kAnswerBoundMs + 15000);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        Pending pending;
        pending.reply = m_network.sendCustomRequest(
            request, method,
            body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact));
        connect(pending.reply, &QNetworkReply::finished, scope,
                [this, at = pending.answeredAtMs] { *at = m_clock.elapsed(); });
        return pending;
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(PostgresServer::available(),
                 "PostgreSQL 15 is missing: packaging/install-deps.sh installs postgresql-15");
        QString why;
        if (!TcpPortCut::available(&why))
            QSKIP(qPrintable(QStringLiteral("nftables: ") + why));
        m_postgres = std::make_unique<PostgresServer>();
        QVERIFY2(m_postgres->start(), qPrintable(m_postgres->lastError()));
        m_clock.start();
    }

    void silentDatabaseIsA503AndTheNodeRecovers()
    {
        // The loopback form of --database: the cut is on its TCP port.
        ServerProcess server({QStringLiteral("--roles"), QStringLiteral("appserver"),
                              QStringLiteral("--database"), m_postgres->url()});
        server.keepErrorLog();
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        QVERIFY(server.addUser(QStringLiteral("alice"), kPassword));
        QVERIFY(server.addUser(QStringLiteral("bob"), kPassword));
        const HttpReply first = server.loginReply(QStringLiteral("alice"), kPassword, "laptop");
        QCOMPARE(first.status, 200);
        const QString token = first.json.value("refreshToken").toString();
        const QString tokensOfAlice =
            QStringLiteral("SELECT count(*) FROM accounts.refresh_tokens WHERE \"user\" = 'alice'");
        QCOMPARE(m_postgres->query(tokensOfAlice), QStringLiteral("1"));

        // libpq's keepalive reaches the node's sockets (keepalives_idle 5 s, not the
        // system's 2 h): every connection of the node to the port has its timer; and
        // PostgreSQL's end of each has the same (the startup options' tcp_keepalives_idle).
        const quint16 port = quint16(QUrl(m_postgres->url()).port());
        for (const QString &end : {QStringLiteral("dport"), QStringLiteral("sport")}) {
            // A snapshot may catch a socket with another timer pending (an ACK or a
            // retransmission right after traffic): up to 10 looks, 200 ms apart.
            QList<double> timers = keepaliveTimers(end, port);
            for (int look = 1; look < 10 && timers.contains(-1); ++look) {
                QTest::qWait(200);
                timers = keepaliveTimers(end, port);
            }
            qInfo() << "keepalive timers (s) of the connections with" << end << port << timers;
            QVERIFY2(!timers.isEmpty(), "no connection of the node to PostgreSQL's port");
            for (double left : timers)
                QVERIFY2(left >= 0 && left <= 5.5,
                         qPrintable(QStringLiteral("%1: timer %2").arg(end).arg(left)));
        }

        TcpPortCut cut; // the table goes with it, also when a check below fails
        QString error;
        QVERIFY2(cut.start(port, &error), qPrintable(error));
        const QUrl tokenUrl = server.appServerUrl(QStringLiteral("/v1/token"));
        const qint64 sentAt = m_clock.elapsed();
        QObject scope; // the timer and the connections go with the test's end
        Pending refresh = send("POST", tokenUrl, {{"refreshToken", token}}, &scope);
        Pending keys;
        QTimer::singleShot(500, &scope, [&] {
            keys = send("GET", server.appServerUrl(QStringLiteral("/v1/keys")), {}, &scope);
        });
        QTRY_VERIFY_WITH_TIMEOUT(refresh.answered() && keys.answered(), kAnswerBoundMs + 15000);
        const qint64 refreshMs = *refresh.answeredAtMs - sentAt;
        const qint64 keysMs = *keys.answeredAtMs - sentAt - 500;
        qInfo("database silent: the refresh answered %d after %lld ms; /v1/keys, sent 500 ms "
              "later, answered %d after %lld ms; %lld packets dropped",
              refresh.status(), refreshMs, keys.status(), keysMs, cut.dropped());
        const QByteArray body = refresh.reply->readAll();
        QVERIFY2(refresh.status() == 503, qPrintable(QStringLiteral("%1 %2\nserver log:\n%3")
                                                         .arg(refresh.status())
                                                         .arg(QString::fromUtf8(body.left(200)),
                                                              server.errorLogText().right(3000))));
        QCOMPARE(QJsonDocument::fromJson(body).object().value("error").toString(),
                 QStringLiteral("storage_unavailable"));
        QVERIFY(refresh.reply->rawHeader("Retry-After").toInt() > 0);
        QVERIFY2(refreshMs < kAnswerBoundMs, qPrintable(QString::number(refreshMs)));
        QVERIFY(cut.dropped() > 0);
        // The event loop waited with the statement: the other request is answered once
        // the store gave up, within a few seconds of the 503, not after another wait.
        QCOMPARE(keys.status(), 200);
        QVERIFY2(*keys.answeredAtMs - *refresh.answeredAtMs < 5000,
                 qPrintable(QString::number(*keys.answeredAtMs - *refresh.answeredAtMs)));
        QVERIFY2(server.errorLogText().contains(QStringLiteral("timed out"), Qt::CaseInsensitive),
                 qPrintable(server.errorLogText().right(3000)));

        // While the cut lasts: the next request tries to reconnect, which times out
        // (connect_timeout 3 s); the one after it is refused at once, without another
        // wait (the store pauses its attempts for 5 s).
        const auto timedRefresh = [&](qint64 *ms) {
            QElapsedTimer clock;
            clock.start();
            const HttpReply reply = server.http().postJson(tokenUrl, {{"refreshToken", token}});
            *ms = clock.elapsed();
            return reply;
        };
        qint64 reconnectMs = 0;
        qint64 pausedMs = 0;
        const HttpReply reconnecting = timedRefresh(&reconnectMs);
        const HttpReply paused = timedRefresh(&pausedMs);
        qInfo("still cut: a refresh answered %d after %lld ms (reconnecting), the next %d after "
              "%lld ms",
              reconnecting.status, reconnectMs, paused.status, pausedMs);
        for (const HttpReply *reply : {&reconnecting, &paused}) {
            QCOMPARE(reply->status, 503);
            QCOMPARE(reply->json.value("error").toString(), QStringLiteral("storage_unavailable"));
        }
        QVERIFY2(reconnectMs < kAnswerBoundMs, qPrintable(QString::number(reconnectMs)));
        QVERIFY2(pausedMs < 1000, qPrintable(QString::number(pausedMs)));

        cut.stop();
        // Nothing half written: the token is not spent, no other one was added.
        QCOMPARE(m_postgres->query(tokensOfAlice), QStringLiteral("1"));
        // Reconnected once the pause is over: a retry each 500 ms, at most 40 of them.
        QElapsedTimer recovery;
        recovery.start();
        HttpReply again;
        for (int attempt = 0; attempt < 40; ++attempt) {
            again = server.http().postJson(tokenUrl, {{"refreshToken", token}});
            if (again.status != 503)
                break;
            QTest::qWait(500);
        }
        qInfo("after the cut: the refresh answered %d after %lld ms", again.status,
              recovery.elapsed());
        QVERIFY2(again.status == 200, again.body.constData());
        QCOMPARE(server.loginReply(QStringLiteral("bob"), kPassword, "laptop").status, 200);
    }

    void cleanupTestCase() { m_postgres.reset(); }
};

QTEST_GUILESS_MAIN(TestPostgresNetcut)
#include "tst_postgres_netcut.moc"
