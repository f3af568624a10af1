// The account store under ordinary concurrency, as users meet it: one real
// softphone-server (every role) on its SQLite files, sign-ins and token refreshes
// arriving at the same instant, another process holding accounts.db's write lock
// for a moment (an operator's sqlite3, a `user add`), and sign-ins after the
// password threads sat idle. None of that may answer 503 "the account database is
// unavailable". A lock held past the store's bound (2 s, docs/operations.md "When
// the database fails") is a 503 with Retry-After while the lock is still held, and
// costs the client nothing: its refresh token still works afterwards.
// Also run on PostgreSQL (tst_store_concurrency_postgresql); the SQLite locks are
// skipped there, and another session's row locks are held instead: the store waits
// for them at most its lock_timeout (2 s), then the same 503.

#include "integration/security/accounts/LoopbackClients.h"
#include "support/ServerProcess.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrl>

using namespace softphone::test;

namespace {

const QList<QPair<QByteArray, QByteArray>> kJson{{"Content-Type", "application/json"}};
const QString kPassword = QStringLiteral("correct-horse-battery");
// SqlDatabase::kSqliteBusyTimeoutMs: how long the server waits for another
// process's lock before it answers 503.
constexpr int kStoreBoundMs = 2000;

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// Another process's connection to a SQLite file of the running server, holding
// its write lock (BEGIN IMMEDIATE) as an operator's `sqlite3` session or a `user
// add` would, until release().
class WriteLock
{
public:
    explicit WriteLock(const QString &file)
        : m_name(QStringLiteral("operator-%1").arg(quintptr(this)))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(file);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
        m_held = db.open() && QSqlQuery(db).exec(QStringLiteral("BEGIN IMMEDIATE"));
        if (!m_held)
            qWarning("cannot lock %s: %s", qPrintable(file), qPrintable(db.lastError().text()));
    }
    ~WriteLock()
    {
        release();
        QSqlDatabase::removeDatabase(m_name);
    }
    bool held() const { return m_held; }
    void release()
    {
        if (m_held)
            QSqlQuery(QSqlDatabase::database(m_name)).exec(QStringLiteral("ROLLBACK"));
        m_held = false;
    }

private:
    QString m_name;
    bool m_held = false;
};

// Another session on the server's PostgreSQL (an operator's open psql transaction,
// another node, a stuck migration), holding the row locks its statements take until
// release(). Its own waits are bounded (connect_timeout, lock_timeout).
class PostgresSession
{
public:
    explicit PostgresSession(const QString &url)
        : m_name(QStringLiteral("operator-pg-%1").arg(quintptr(this)))
    {
        const QUrl parsed(url);
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_name);
        db.setHostName(parsed.host());
        db.setPort(parsed.port());
        db.setUserName(parsed.userName());
        db.setDatabaseName(parsed.path().mid(1));
        db.setConnectOptions(QStringLiteral("connect_timeout=10"));
        if (!db.open())
            m_error = db.lastError().text();
    }
    ~PostgresSession()
    {
        release();
        QSqlDatabase::database(m_name, false).close();
        QSqlDatabase::removeDatabase(m_name);
    }
    // BEGIN and the statements, the transaction left open; false (error()) on a failure.
    bool hold(const QStringList &statements)
    {
        QSqlDatabase db = QSqlDatabase::database(m_name, false);
        if (!db.isOpen())
            return false;
        QSqlQuery q(db);
        m_held =
            q.exec(QStringLiteral("SET lock_timeout = '10s'")) && q.exec(QStringLiteral("BEGIN"));
        for (const QString &statement : statements)
            if (m_held && !q.exec(statement))
                m_held = false;
        if (!m_held)
            m_error = q.lastError().text();
        return m_held;
    }
    bool held() const { return m_held; }
    void release()
    {
        if (m_held)
            QSqlQuery(QSqlDatabase::database(m_name, false)).exec(QStringLiteral("ROLLBACK"));
        m_held = false;
    }
    QString error() const { return m_error; }

private:
    QString m_name;
    QString m_error;
    bool m_held = false;
};

} // namespace

class TestStoreConcurrency : public QObject
{
    Q_OBJECT

    std::unique_ptr<ServerProcess> m_server;

    QPair<QUrl, QByteArray> login(const QString &user, const QString &device) const
    {
        return {m_server->appServerUrl(QStringLiteral("/v1/login")),
                json({{"user", user}, {"password", kPassword}, {"device", device}})};
    }
    // With a request id, as AccountSession sends it: the rotation keeps its retry copy.
    QPair<QUrl, QByteArray> refresh(const QString &token, int serial) const
    {
        return {
            m_server->appServerUrl(QStringLiteral("/v1/token")),
            json({{"refreshToken", token},
                  {"requestId",
                   QStringLiteral("concurrency-test-%1").arg(serial, 8, 10, QLatin1Char('0'))}})};
    }
    QString accountsDb() const
    {
        return QDir(m_server->dataDir()).filePath(QStringLiteral("accounts.db"));
    }
    // A refresh token of a fresh sign-in.
    QString signIn(const QString &user, const QString &device)
    {
        const HttpReply reply = m_server->loginReply(user, kPassword, device);
        if (reply.status != 200)
            qWarning("sign-in of %s: %d %s", qPrintable(user), reply.status,
                     reply.body.constData());
        return reply.json.value("refreshToken").toString();
    }

    static QString describe(const QList<HttpReply> &replies)
    {
        QStringList lines;
        for (const HttpReply &reply : replies)
            if (reply.status != 200)
                lines << QStringLiteral("%1 %2")
                             .arg(reply.status)
                             .arg(QString::fromUtf8(reply.body.left(160)));
        return lines.join(QStringLiteral("; "));
    }

private slots:
    void initTestCase()
    {
        m_server = std::make_unique<ServerProcess>();
        QVERIFY2(m_server->start(), qPrintable(m_server->lastError()));
        for (int i = 0; i < 8; ++i)
            QVERIFY(m_server->addUser(QStringLiteral("user%1").arg(i), kPassword));
    }

    // Four sign-ins and four refreshes at the same instant, 25 times: every one is
    // answered 200 (a login's token written while a refresh rotates another's).
    void signInsAndRefreshesAtOnce()
    {
        QStringList tokens;
        for (int i = 4; i < 8; ++i)
            tokens << signIn(QStringLiteral("user%1").arg(i), QStringLiteral("laptop"));
        QVERIFY(!tokens.contains(QString()));
        int serial = 0;
        int answered = 0;
        for (int round = 0; round < 25; ++round) {
            QList<QPair<QUrl, QByteArray>> requests;
            for (int i = 0; i < 4; ++i) {
                requests << login(QStringLiteral("user%1").arg(i),
                                  QStringLiteral("desk-%1").arg(round));
                requests << refresh(tokens[i], ++serial);
            }
            const QList<HttpReply> replies = parallelPosts(requests, kJson);
            QVERIFY2(std::all_of(replies.begin(), replies.end(),
                                 [](const HttpReply &r) { return r.status == 200; }),
                     qPrintable(QStringLiteral("round %1: %2").arg(round).arg(describe(replies))));
            for (int i = 0; i < 4; ++i) {
                tokens[i] = replies[2 * i + 1].json.value("refreshToken").toString();
                QVERIFY(!tokens[i].isEmpty());
            }
            answered += int(replies.size());
        }
        qInfo("%d sign-ins and refreshes at 8 at a time, all 200", answered);
    }

    // Another process holds accounts.db's write lock for 400 ms (well inside the
    // bound): a refresh and a sign-in arriving meanwhile wait for it and succeed.
    void shortLockOfAnotherProcessIsWaitedFor()
    {
        if (m_server->postgres())
            QSKIP("SQLite's file lock; PostgreSQL locks rows");
        const QString token = signIn(QStringLiteral("user4"), QStringLiteral("phone"));
        QVERIFY(!token.isEmpty());
        WriteLock lock(accountsDb());
        QVERIFY(lock.held());
        QObject scope; // the timer goes with the lock
        QTimer::singleShot(400, &scope, [&lock] { lock.release(); });
        const QList<HttpReply> replies = parallelPosts(
            {refresh(token, 1000), login(QStringLiteral("user0"), QStringLiteral("phone"))}, kJson);
        QVERIFY2(replies.value(0).status == 200 && replies.value(1).status == 200,
                 qPrintable(describe(replies)));
        QVERIFY(!lock.held());
    }

    // A lock held far past the bound: the refresh and the sign-in are told to retry
    // (503 storage_unavailable + Retry-After) while it is still held, rather than
    // waiting for it; once it is gone the same refresh token works (nothing was spent).
    void lockPastTheBoundIsA503WhileHeld()
    {
        if (m_server->postgres())
            QSKIP("SQLite's file lock; PostgreSQL locks rows");
        const QString token = signIn(QStringLiteral("user5"), QStringLiteral("phone"));
        QVERIFY(!token.isEmpty());
        // Each of the two writes waits out the bound in turn on the server's event loop.
        const int holdMs = 4 * kStoreBoundMs + 10000;
        WriteLock lock(accountsDb());
        QVERIFY(lock.held());
        QObject scope; // the timer goes with the lock
        QTimer::singleShot(holdMs, &scope, [&lock] { lock.release(); });
        QElapsedTimer clock;
        clock.start();
        const QList<HttpReply> replies = parallelPosts(
            {refresh(token, 2000), login(QStringLiteral("user1"), QStringLiteral("phone"))}, kJson,
            QHostAddress(QHostAddress::LocalHost), holdMs + 10000);
        const qint64 answeredMs = clock.elapsed();
        qInfo("both answered after %lld ms with the lock held (bound %d ms each)", answeredMs,
              kStoreBoundMs);
        QVERIFY2(lock.held(), "the answers waited for the lock to go");
        for (const HttpReply &reply : replies) {
            QCOMPARE(reply.status, 503);
            QCOMPARE(reply.json.value("error").toString(), QStringLiteral("storage_unavailable"));
            QVERIFY(reply.header("Retry-After").toInt() > 0);
        }
        lock.release();
        const HttpReply again =
            m_server->http().post(refresh(token, 2001).first, refresh(token, 2001).second, kJson);
        QCOMPARE(again.status, 200);
        QVERIFY(!signIn(QStringLiteral("user1"), QStringLiteral("phone")).isEmpty());
    }

    // PostgreSQL: another session holds a user's rows (its account and refresh
    // tokens, FOR UPDATE) in an open transaction. That user's refresh and sign-in wait
    // for them at most the store's lock_timeout and are told to retry (503
    // storage_unavailable + Retry-After) while the lock is still held; another user's
    // sign-in sent at the same instant is answered 200; the log names the timeout;
    // nothing was half written, and once the lock is gone the same refresh token works.
    void rowLockOfAnotherSessionIsA503WhileHeld()
    {
        if (!m_server->postgres())
            QSKIP("PostgreSQL's row locks (SQLite: lockPastTheBoundIsA503WhileHeld)");
        ServerProcess server({QStringLiteral("--roles"), QStringLiteral("appserver")});
        server.keepErrorLog();
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        QVERIFY(server.addUser(QStringLiteral("grace"), kPassword));
        QVERIFY(server.addUser(QStringLiteral("heidi"), kPassword));
        const HttpReply first = server.loginReply(QStringLiteral("grace"), kPassword, "laptop");
        QCOMPARE(first.status, 200);
        const QString token = first.json.value("refreshToken").toString();
        const QString tokensOfGrace =
            QStringLiteral("SELECT count(*) FROM accounts.refresh_tokens WHERE \"user\" = 'grace'");
        QCOMPARE(server.postgres()->query(tokensOfGrace).trimmed(), QStringLiteral("1"));

        PostgresSession other(server.postgres()->url());
        QVERIFY2(other.hold({QStringLiteral("SELECT 1 FROM accounts.users WHERE name = 'grace'"
                                            " FOR UPDATE"),
                             QStringLiteral("SELECT 1 FROM accounts.refresh_tokens WHERE"
                                            " \"user\" = 'grace' FOR UPDATE")}),
                 qPrintable(other.error()));
        QUrl tokenUrl = server.appServerUrl(QStringLiteral("/v1/token"));
        QUrl loginUrl = server.appServerUrl(QStringLiteral("/v1/login"));
        auto loginOf = [&](const QString &user) {
            return qMakePair(loginUrl, json({{"user", user},
                                             {"password", kPassword},
                                             {"device", QStringLiteral("phone")}}));
        };
        QElapsedTimer clock;
        clock.start();
        // No answer within 15 s counts as status 0 (the lock is held all along).
        const QList<HttpReply> replies =
            parallelPosts({qMakePair(tokenUrl, json({{"refreshToken", token}})),
                           loginOf(QStringLiteral("grace")), loginOf(QStringLiteral("heidi"))},
                          kJson, QHostAddress(QHostAddress::LocalHost), 15000);
        qInfo("answered after %lld ms with the rows locked (lock_timeout 2000 ms)",
              clock.elapsed());
        QVERIFY2(other.held(), "the answers waited for the lock to go");
        const QStringList names{QStringLiteral("grace's refresh"),
                                QStringLiteral("grace's sign-in"),
                                QStringLiteral("heidi's sign-in")};
        for (qsizetype i = 0; i < replies.size(); ++i) {
            const HttpReply &reply = replies[i];
            const int expected = i < 2 ? 503 : 200; // another user is served meanwhile
            if (reply.status != expected)           // with what the server logged
                QFAIL(qPrintable(QStringLiteral("%1: %2 %3\nserver log:\n%4")
                                     .arg(names[i])
                                     .arg(reply.status)
                                     .arg(QString::fromUtf8(reply.body.left(160)),
                                          server.errorLogText().right(4000))));
            if (expected == 503) {
                QCOMPARE(reply.json.value("error").toString(),
                         QStringLiteral("storage_unavailable"));
                QVERIFY(reply.header("Retry-After").toInt() > 0);
            }
        }
        QTRY_VERIFY(server.errorLogText().contains(QStringLiteral("due to lock timeout")));
        // Nothing half written: no token for the refused sign-in, the old one not spent.
        QCOMPARE(server.postgres()->query(tokensOfGrace).trimmed(), QStringLiteral("1"));
        other.release();
        const HttpReply again = server.http().postJson(tokenUrl, {{"refreshToken", token}});
        QCOMPARE(again.status, 200);
        QCOMPARE(server.loginReply(QStringLiteral("grace"), kPassword, "phone").status, 200);
    }

    // PostgreSQL with --set database.statement_timeout=1 (and a long lock_timeout):
    // the statement bound ends the same wait, a 503 after about a second, and the log
    // names that timeout.
    void statementTimeoutIsSettableAndEndsTheWait()
    {
        if (!m_server->postgres())
            QSKIP("PostgreSQL's statement_timeout");
        ServerProcess server({QStringLiteral("--roles"), QStringLiteral("appserver"),
                              QStringLiteral("--set"), QStringLiteral("database.lock_timeout=60"),
                              QStringLiteral("--set"),
                              QStringLiteral("database.statement_timeout=1")});
        server.keepErrorLog();
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        QVERIFY(server.addUser(QStringLiteral("ivan"), kPassword));
        const HttpReply first = server.loginReply(QStringLiteral("ivan"), kPassword, "laptop");
        QCOMPARE(first.status, 200);
        const QString token = first.json.value("refreshToken").toString();
        PostgresSession other(server.postgres()->url());
        QVERIFY2(other.hold({QStringLiteral("SELECT 1 FROM accounts.refresh_tokens WHERE"
                                            " \"user\" = 'ivan' FOR UPDATE")}),
                 qPrintable(other.error()));
        const QUrl tokenUrl = server.appServerUrl(QStringLiteral("/v1/token"));
        const HttpReply refused =
            parallelPosts({qMakePair(tokenUrl, json({{"refreshToken", token}}))}, kJson,
                          QHostAddress(QHostAddress::LocalHost), 15000)
                .value(0);
        QVERIFY(other.held());
        QCOMPARE(refused.status, 503);
        QCOMPARE(refused.json.value("error").toString(), QStringLiteral("storage_unavailable"));
        QTRY_VERIFY(server.errorLogText().contains(QStringLiteral("due to statement timeout")));
        other.release();
        QCOMPARE(server.http().postJson(tokenUrl, {{"refreshToken", token}}).status, 200);
    }

    // PostgreSQL: a node starting while another migrates the same tables (its
    // advisory lock held 3.5 s, past the requests' 2 s lock bound) waits for it,
    // with the migration's own bound (60 s), and then starts and serves.
    void startWaitsForAnotherNodesMigration()
    {
        if (!m_server->postgres())
            QSKIP("PostgreSQL's migration lock");
        ServerProcess server({QStringLiteral("--roles"), QStringLiteral("appserver")});
        QVERIFY(server.addUser(QStringLiteral("judy"), kPassword)); // starts its PostgreSQL
        PostgresSession other(server.postgres()->url());
        // SqlDatabase's kMigrationLock ("softphon"), as a migrating node holds it.
        QVERIFY2(other.hold({QStringLiteral("SELECT pg_advisory_xact_lock(%1)")
                                 .arg(qint64(0x736f667470686f6e))}),
                 qPrintable(other.error()));
        QObject scope; // the timer goes with the session
        QTimer::singleShot(3500, &scope, [&other] { other.release(); });
        QElapsedTimer clock;
        clock.start();
        QVERIFY2(server.start(30000), qPrintable(server.lastError()));
        qInfo("started after %lld ms, the migration lock held 3500 ms", clock.elapsed());
        QVERIFY(!other.held());
        QCOMPARE(server.loginReply(QStringLiteral("judy"), kPassword, "laptop").status, 200);
    }

    // accounts.db removed under the running server (its -wal and -shm too): SQLite
    // would go on writing into the removed file, so sign-ins and refreshes would
    // succeed and be forgotten at the next start. They are told to retry instead.
    void removedAccountDatabaseIsA503()
    {
        if (m_server->postgres())
            QSKIP("a SQLite file");
        ServerProcess server({QStringLiteral("--roles"), QStringLiteral("appserver")});
        server.keepErrorLog();
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        QVERIFY(server.addUser(QStringLiteral("frank"), kPassword));
        const HttpReply first = server.loginReply(QStringLiteral("frank"), kPassword, "laptop");
        QCOMPARE(first.status, 200);
        QDir data(server.dataDir());
        for (const QString &name : data.entryList({QStringLiteral("accounts.db*")}, QDir::Files))
            QVERIFY(data.remove(name));
        QUrl token = server.appServerUrl();
        token.setPath(QStringLiteral("/v1/token"));
        const HttpReply refreshed = server.http().postJson(
            token, {{"refreshToken", first.json.value("refreshToken").toString()}});
        const HttpReply again = server.loginReply(QStringLiteral("frank"), kPassword, "phone");
        for (const HttpReply &reply : {refreshed, again}) {
            QCOMPARE(reply.status, 503);
            QCOMPARE(reply.json.value("error").toString(), QStringLiteral("storage_unavailable"));
        }
        // The log says what to do.
        QTRY_VERIFY(server.errorLogText().contains(QStringLiteral("was removed or replaced")));
    }

    // Sign-ins after the password threads idled past Qt's 30 s thread expiry (the
    // pool starts its threads again): two at once before, two at once after.
    void signInsAfterThePasswordThreadsIdled()
    {
        const QList<QPair<QUrl, QByteArray>> both{
            login(QStringLiteral("user2"), QStringLiteral("tablet")),
            login(QStringLiteral("user3"), QStringLiteral("tablet"))};
        QList<HttpReply> replies = parallelPosts(both, kJson);
        QVERIFY2(replies.value(0).status == 200 && replies.value(1).status == 200,
                 qPrintable(describe(replies)));
        QTest::qWait(32000);
        replies = parallelPosts(both, kJson);
        QVERIFY2(replies.value(0).status == 200 && replies.value(1).status == 200,
                 qPrintable(describe(replies)));
        QVERIFY(!signIn(QStringLiteral("user2"), QStringLiteral("tablet")).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestStoreConcurrency)
#include "tst_store_concurrency.moc"
