// Attacks on sign-in (issue #11 item 9) against a real softphone-server:
// parallel password guesses, a login flood across many names, an account whose
// hash predates today's scrypt cost, and weak passwords at `user add`.
// docs/security.md "Accounts and the push role" says what each attack now gets.

#include "LoopbackClients.h"
#include "crypto/PasswordHash.h"
#include "support/ServerProcess.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace softphone;
using namespace softphone::test;

namespace {

// The production cost (the suite's other servers hash at a test cost, ServerProcess).
const QString kRealCost = QStringLiteral("appserver.scrypt_log2n=17");
const QList<QPair<QByteArray, QByteArray>> kJson{{"Content-Type", "application/json"}};

QByteArray loginBody(const QString &user, const QString &password)
{
    return QJsonDocument(QJsonObject{{"user", user}, {"password", password}})
        .toJson(QJsonDocument::Compact);
}

QUrl loginUrl(const ServerProcess &server)
{
    QUrl url = server.appServerUrl();
    url.setPath(QStringLiteral("/v1/login"));
    return url;
}

// Status -> how many replies had it.
QMap<int, int> tally(const QList<HttpReply> &replies)
{
    QMap<int, int> counts;
    for (const HttpReply &reply : replies)
        ++counts[reply.status];
    return counts;
}

QString accountsDb(const ServerProcess &server)
{
    return QDir(server.dataDir()).filePath(QStringLiteral("accounts.db"));
}

QString storedHash(const ServerProcess &server, const QString &user)
{
    return sqlValue(accountsDb(server),
                    QStringLiteral("SELECT password_hash FROM users WHERE name = ?"), {user})
        .toString();
}

// Sends every body to /v1/login at the same instant; the replies, tallied by status.
QMap<int, int> loginAtOnce(const ServerProcess &server, const QList<QByteArray> &bodies,
                           QList<HttpReply> *replies)
{
    *replies = parallelPosts(loginUrl(server), bodies, kJson);
    return tally(*replies);
}

bool bobSignsIn(ServerProcess &server)
{
    return server.loginReply(QStringLiteral("bob"), QStringLiteral("bob-correct-horse")).status ==
           200;
}

// Every reply with this status carries this error code and a Retry-After.
void verifyRefusals(const QList<HttpReply> &replies, int status, const QString &error)
{
    for (const HttpReply &reply : replies) {
        if (reply.status != status)
            continue;
        QVERIFY(reply.header("Retry-After").toInt() > 0);
        QCOMPARE(reply.json.value("error").toString(), error);
    }
}

} // namespace

class TestAccountsLogins : public QObject
{
    Q_OBJECT

private slots:
    // 40 wrong passwords for one user at the same instant: only the 10 the limit
    // allows reach the password check; the other 30 are refused before it.
    void parallelGuessesAreCountedBeforeTheCheck()
    {
        ServerProcess server({QStringLiteral("--roles"), QStringLiteral("appserver"),
                              QStringLiteral("--set"), kRealCost});
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        QVERIFY(server.addUser(QStringLiteral("alice"), QStringLiteral("alice-correct-horse")));
        QVERIFY(server.addUser(QStringLiteral("bob"), QStringLiteral("bob-correct-horse")));

        QList<QByteArray> guesses;
        for (int i = 0; i < 40; ++i)
            guesses << loginBody(QStringLiteral("alice"), QStringLiteral("guess-%1").arg(i));
        QList<HttpReply> replies;
        const QMap<int, int> counts = loginAtOnce(server, guesses, &replies);
        qInfo("40 parallel guesses: %d got a password verdict (401), %d got 429", counts.value(401),
              counts.value(429));
        QCOMPARE(counts.value(401), 10);
        QCOMPARE(counts.value(429), 30);
        verifyRefusals(replies, 429, QStringLiteral("rate_limited"));
        QVERIFY2(bobSignsIn(server), "another user is affected");
    }

    // 40 logins for 40 different names at once: each scrypt takes 128 MiB, so only
    // a bounded number are admitted; the rest are told to come back (503 + Retry-After).
    void loginFloodIsBoundedServerWide()
    {
        ServerProcess server({QStringLiteral("--roles"), QStringLiteral("appserver"),
                              QStringLiteral("--set"), QStringLiteral("appserver.hash_queue=4"),
                              QStringLiteral("--set"), kRealCost});
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        QVERIFY(server.addUser(QStringLiteral("bob"), QStringLiteral("bob-correct-horse")));

        QList<QByteArray> flood;
        for (int i = 0; i < 40; ++i)
            flood << loginBody(QStringLiteral("name-%1").arg(i), QStringLiteral("guess"));
        QList<HttpReply> replies;
        const QMap<int, int> counts = loginAtOnce(server, flood, &replies);
        qInfo("40 parallel logins, 4 admitted at most: %d checked (401), %d refused (503)",
              counts.value(401), counts.value(503));
        QCOMPARE(counts.value(401) + counts.value(503), 40);
        QVERIFY(counts.value(401) >= 1);
        QVERIFY(counts.value(503) >= 1);
        verifyRefusals(replies, 503, QStringLiteral("busy"));
        // Once the flood is over, a real user signs in at once.
        QVERIFY2(bobSignsIn(server), "a real user cannot sign in after the flood");
    }

    // An account hashed at the old, cheaper cost still signs in, and that login
    // stores a hash at today's cost.
    void oldHashIsUpgradedOnLogin()
    {
        ServerProcess server({QStringLiteral("--roles"), QStringLiteral("appserver"),
                              QStringLiteral("--set"), kRealCost});
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        const QString old = crypto::hashPassword("carol-old-password", {quint64(1) << 15, 8, 1});
        QVERIFY(old.startsWith(QStringLiteral("scrypt$32768$8$1$")));
        bool inserted = false;
        sqlValue(
            accountsDb(server),
            QStringLiteral("INSERT INTO users(name, password_hash, created_at) VALUES (?, ?, 0)"),
            {QStringLiteral("carol"), old}, &inserted);
        QVERIFY(inserted);

        QCOMPARE(
            server.loginReply(QStringLiteral("carol"), QStringLiteral("carol-old-password")).status,
            200);
        const QString now = storedHash(server, QStringLiteral("carol"));
        QVERIFY2(now.startsWith(QStringLiteral("scrypt$131072$8$1$")), qPrintable(now));
        // The new hash is the same password; a wrong one still fails.
        QCOMPARE(
            server.loginReply(QStringLiteral("carol"), QStringLiteral("carol-old-password")).status,
            200);
        QCOMPARE(
            server.loginReply(QStringLiteral("carol"), QStringLiteral("carol-new-guess")).status,
            401);
        QCOMPARE(storedHash(server, QStringLiteral("carol")), now);
    }

    void userAddRefusesWeakPasswords_data()
    {
        QTest::addColumn<QByteArray>("password");
        QTest::addColumn<QByteArray>("why");
        QTest::newRow("empty") << QByteArray("\n") << QByteArray("password");
        QTest::newRow("spaces") << QByteArray("          \n") << QByteArray("empty");
        QTest::newRow("7 characters") << QByteArray("abc1234\n") << QByteArray("shorter than 8");
        QTest::newRow("the user name") << QByteArray("Dorothea\n") << QByteArray("user name");
    }
    void userAddRefusesWeakPasswords()
    {
        QFETCH(QByteArray, password);
        QFETCH(QByteArray, why);
        ServerProcess server({QStringLiteral("--roles"), QStringLiteral("appserver")});
        QByteArray out, err;
        QCOMPARE(server.runCommand({"user", "add", "dorothea"}, password, &out, &err), 2);
        QVERIFY2(err.contains(why), err.constData());
        QCOMPARE(server.runCommand({"user", "list"}, {}, &out), 0);
        QVERIFY2(!out.contains("dorothea"), out.constData());
        // Eight characters that are not the name are enough.
        QCOMPARE(server.runCommand({"user", "add", "dorothea"}, "8chars!!\n", &out, &err), 0);
    }
};

QTEST_GUILESS_MAIN(TestAccountsLogins)
#include "tst_accounts_logins.moc"
