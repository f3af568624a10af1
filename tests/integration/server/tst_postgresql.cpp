// The service on PostgreSQL (--database), as its users notice it: they sign in,
// register push data, get their pushes once; a push answered 201 is in the
// database, an acknowledged one is never sent again, also across a restart of the
// service. When PostgreSQL stops, sign-ins and new pushes get a 503 with a clear
// JSON error, the service keeps running and a call in progress goes on; when
// PostgreSQL is back, requests succeed again without restarting the service.
#include "integration/calling/RawCallingClient.h"
#include "integration/push/PushTestDevice.h"
#include "protocol/Builders.h"
#include "protocol/Limits.h"
#include "support/PostgresServer.h"
#include "support/ServerProcess.h"

#include <QtTest>
#include <memory>

using namespace softphone;
using namespace softphone::test;
using Outcome = push::WebPushResult::Outcome;

namespace {
const QString kPassword = QStringLiteral("password-123");
}

class TestPostgresql : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void signInAndPushDataAreInPostgres();
    void pushStoredBeforeCreatedAndAcknowledgedNeverResent();
    void databaseDownGives503AndRecovers();
    void ackDuringOutageIsKeptAndNeverResent();
    void passwordNeverPrinted();
    void nodesStartingTogetherMigrateOnce();

private:
    std::unique_ptr<RawCallingClient> connectDevice(const QString &user, const QString &device);
    QString count(const QString &table);

    std::unique_ptr<PostgresServer> m_postgres;
    std::unique_ptr<ServerProcess> m_server;
};

void TestPostgresql::initTestCase()
{
    QString why;
    if (!keychainReachable(&why))
        QFAIL(qPrintable(why));
    QVERIFY2(PostgresServer::available(),
             "PostgreSQL 15 is missing: packaging/install-deps.sh installs postgresql-15");
    m_postgres = std::make_unique<PostgresServer>();
    QVERIFY2(m_postgres->start(), qPrintable(m_postgres->lastError()));
    // The unix-socket form of --database; the loopback form is what the suite's
    // SOFTPHONE_TEST_DATABASE=postgresql runs use.
    m_server = std::make_unique<ServerProcess>(
        QStringList{QStringLiteral("--database"), m_postgres->socketUrl()});
    QVERIFY2(m_server->start(), qPrintable(m_server->lastError()));
    for (const char *user : {"alice", "bob"})
        QVERIFY(m_server->addUser(QString::fromLatin1(user), kPassword));
}

void TestPostgresql::cleanupTestCase()
{
    m_server.reset();
    m_postgres.reset();
}

std::unique_ptr<RawCallingClient> TestPostgresql::connectDevice(const QString &user,
                                                                const QString &device)
{
    const QString token = m_server->login(user, kPassword, device);
    auto client = std::make_unique<RawCallingClient>();
    if (token.isEmpty() || !client->signIn(m_server->callingUrl(), token, device,
                                           protocol::Capabilities{true, false, true}))
        return nullptr;
    return client;
}

QString TestPostgresql::count(const QString &table)
{
    return m_postgres->query(QStringLiteral("SELECT count(*) FROM %1").arg(table));
}

void TestPostgresql::signInAndPushDataAreInPostgres()
{
    // The accounts are PostgreSQL's, not a file in the data dir.
    QCOMPARE(m_postgres->query(QStringLiteral("SELECT name FROM accounts.users ORDER BY name")),
             QStringLiteral("alice\nbob"));
    QVERIFY(!QFileInfo::exists(m_server->dataDir() + QStringLiteral("/accounts.db")));
    const HttpReply login = m_server->loginReply(QStringLiteral("alice"), kPassword);
    QCOMPARE(login.status, 200);
    QCOMPARE(count(QStringLiteral("accounts.refresh_tokens")), QStringLiteral("1"));
    QCOMPARE(m_server->loginReply(QStringLiteral("alice"), QStringLiteral("wrong-password")).status,
             401);

    auto desk = connectDevice(QStringLiteral("bob"), QStringLiteral("desk"));
    QVERIFY(desk);
    desk->send(protocol::makePushRegister("desk-push-data", QStringLiteral("reg")));
    QCOMPARE(desk->waitFor(QStringLiteral("ok")).value(u"re").toString(), QStringLiteral("reg"));
    QCOMPARE(m_postgres->query(QStringLiteral(
                 "SELECT device FROM calling.push_registrations WHERE \"user\" = 'bob'")),
             QStringLiteral("desk"));
}

void TestPostgresql::pushStoredBeforeCreatedAndAcknowledgedNeverResent()
{
    PushTestDevice device(m_server->pushWsUrl());
    QVERIFY(device.startAndSubscribe());
    QCOMPARE(count(QStringLiteral("push.subscriptions")), QStringLiteral("1"));
    device.channel().stop();
    QStringList sent;
    for (int i = 0; i < 3; ++i) {
        sent << QStringLiteral("push %1").arg(i);
        QCOMPARE(sendPush(device.subscription(), sent.last().toUtf8(), {3600}).outcome,
                 Outcome::Delivered);
        // The 201 came once the row was committed.
        QCOMPARE(count(QStringLiteral("push.messages")), QString::number(i + 1));
    }
    device.channel().start();
    QTRY_COMPARE(device.payloads(), sent);
    // Acknowledged: deleted from the database.
    QTRY_COMPARE(count(QStringLiteral("push.messages")), QStringLiteral("0"));

    // A restart of the service sends none of them again.
    QVERIFY2(m_server->restart(), qPrintable(m_server->lastError()));
    const QString another = QStringLiteral("after the restart");
    QCOMPARE(sendPush(device.subscription(), another.toUtf8(), {3600}).outcome, Outcome::Delivered);
    QTRY_COMPARE_WITH_TIMEOUT(device.payloads(), sent + QStringList{another}, 20000);
    QCOMPARE(device.duplicates, 0);
}

void TestPostgresql::databaseDownGives503AndRecovers()
{
    PushTestDevice device(m_server->pushWsUrl());
    QVERIFY(device.startAndSubscribe());
    auto alice = connectDevice(QStringLiteral("alice"), QStringLiteral("laptop"));
    auto bob = connectDevice(QStringLiteral("bob"), QStringLiteral("phone"));
    QVERIFY(alice && bob);
    const QString callId = establishCall(*alice, *bob, QStringLiteral("bob"));
    QVERIFY(!callId.isEmpty());

    const QString tabletToken =
        m_server->login(QStringLiteral("bob"), kPassword, QStringLiteral("tablet"));
    QVERIFY(!tabletToken.isEmpty());

    m_postgres->stop();

    // Sign-in: a 503 with a JSON error the client can show, each time.
    for (int i = 0; i < 2; ++i) {
        const HttpReply login = m_server->loginReply(QStringLiteral("alice"), kPassword);
        QCOMPARE(login.status, 503);
        QCOMPARE(login.json.value(u"error").toString(), QStringLiteral("storage_unavailable"));
        QVERIFY(!login.json.value(u"message").toString().isEmpty());
        QVERIFY(!login.header("Retry-After").isEmpty());
    }
    // A new push: 503 too, never a 404 for a subscription that exists.
    HttpClient http;
    const HttpReply push = http.post(device.subscription().endpoint, "x",
                                     {{"TTL", "60"}, {"Content-Encoding", "aes128gcm"}});
    QCOMPARE(push.status, 503);
    QCOMPARE(push.json.value(u"error").toString(), QStringLiteral("storage"));

    // The push fan-out (a pair to relay) cannot check revocation: 503, not 401.
    const HttpReply fanout =
        http.postJson(m_server->appServerUrl().resolved(QUrl(QStringLiteral("/v1/push"))),
                      QJsonObject{{"callId", newCallId()}},
                      {{"Authorization", "Bearer " + tabletToken.toLatin1()}});
    QCOMPARE(fanout.status, 503);
    QCOMPARE(fanout.json.value(u"error").toString(), QStringLiteral("storage_unavailable"));

    // A device connecting now is told to come back later, not that its sign-in is
    // bad (the revocation check cannot be made).
    RawCallingClient tablet;
    QVERIFY(tablet.open(m_server->callingUrl()));
    tablet.send(protocol::makeHello(tabletToken, QStringLiteral("tablet"), {true, false, true},
                                    QStringLiteral("raw-test"), QStringLiteral("h")));
    QCOMPARE(tablet.waitClosed(), int(protocol::CloseUnavailable));
    QVERIFY(!tablet.hasReceived(QStringLiteral("error")));

    // The call in progress goes on, and its end arrives.
    QVERIFY(m_server->isRunning());
    QVERIFY(alice->isOpen() && bob->isOpen());
    bob->send(protocol::makeHangup(callId));
    QVERIFY(!alice->waitFor(QStringLiteral("ended")).isEmpty());
    // A new call between connected devices rings too.
    const QString secondCall = newCallId();
    alice->send(protocol::makeCall(secondCall, QStringLiteral("bob")));
    QCOMPARE(bob->waitFor(QStringLiteral("incoming")).value(u"callId").toString(), secondCall);
    alice->send(protocol::makeHangup(secondCall));
    QVERIFY(!bob->waitFor(QStringLiteral("ended")).isEmpty());

    QVERIFY2(m_postgres->start(), qPrintable(m_postgres->lastError()));
    // Back without restarting the service (its connections are reopened).
    QTRY_COMPARE_WITH_TIMEOUT(m_server->loginReply(QStringLiteral("alice"), kPassword).status, 200,
                              15000);
    // An endpoint nobody has: 404 once the service can read its subscriptions again.
    QUrl unknown = device.subscription().endpoint;
    unknown.setPath(unknown.path().section(u'/', 0, -2) + QStringLiteral("/no-such-endpoint"));
    QTRY_COMPARE_WITH_TIMEOUT(http.post(unknown, "x", {{"TTL", "60"}}).status, 404, 15000);
    QCOMPARE(sendPush(device.subscription(), "after the outage", {60}).outcome, Outcome::Delivered);
    QTRY_COMPARE(device.payloads(), QStringList{QStringLiteral("after the outage")});
}

void TestPostgresql::ackDuringOutageIsKeptAndNeverResent()
{
    PushTestDevice device(m_server->pushWsUrl());
    device.autoAccept = false; // the application takes it only while the database is down
    QVERIFY(device.startAndSubscribe(QStringLiteral("acks")));
    QCOMPARE(sendPush(device.subscription(), "taken during the outage", {3600}).outcome,
             Outcome::Delivered);
    QTRY_COMPARE(device.received().size(), 1);

    m_postgres->stop();
    device.received().first().accept(); // the ack reaches the service, which cannot delete yet
    QTest::qWait(1500);                 // at least one failed try of the delete
    QVERIFY2(m_postgres->start(), qPrintable(m_postgres->lastError()));
    // Committed once the database is back, without anyone asking again.
    QTRY_COMPARE_WITH_TIMEOUT(
        m_postgres->query(QStringLiteral("SELECT count(*) FROM push.messages m JOIN "
                                         "push.subscriptions s ON s.uaid = m.uaid AND "
                                         "s.channel_id = m.channel_id AND s.token = '%1'")
                              .arg(device.subscription().endpoint.path().section(u'/', -1))),
        QStringLiteral("0"), 10000);

    // A new connection of the device does not get it again: only the next push comes.
    device.channel().stop();
    device.channel().start();
    QCOMPARE(sendPush(device.subscription(), "the next one", {3600}).outcome, Outcome::Delivered);
    QTRY_COMPARE(device.received().size(), 2);
    QCOMPARE(device.received().last().payload(), QByteArray("the next one"));
    QCOMPARE(device.duplicates, 0);
}

void TestPostgresql::passwordNeverPrinted()
{
    // trust auth takes any password; the server must print none, also when it fails.
    QString withPassword = m_postgres->url();
    withPassword.replace(QStringLiteral("softphone@"), QStringLiteral("softphone:pw-XYZZY-123@"));
    QByteArray out, err;
    QCOMPARE(m_server->runCommand({QStringLiteral("user"), QStringLiteral("list"),
                                   QStringLiteral("--database"), withPassword},
                                  {}, &out, &err),
             0);
    QCOMPARE(out, QByteArray("alice\nbob\n"));
    QVERIFY2(!err.contains("XYZZY"), err.constData());
    const QString wrongDatabase =
        withPassword.left(withPassword.lastIndexOf(u'/')) + QStringLiteral("/no_such_database");
    QVERIFY(m_server->runCommand({QStringLiteral("user"), QStringLiteral("list"),
                                  QStringLiteral("--database"), wrongDatabase},
                                 {}, &out, &err) != 0);
    QVERIFY2(err.contains("no_such_database"), err.constData());
    QVERIFY2(!err.contains("XYZZY") && !out.contains("XYZZY"), err.constData());
}

void TestPostgresql::nodesStartingTogetherMigrateOnce()
{
    // Three processes create the tables of an empty database at the same moment:
    // the advisory lock makes them take turns, none fails.
    QCOMPARE(m_postgres->query(QStringLiteral("CREATE DATABASE together")),
             QStringLiteral("CREATE DATABASE"));
    QString url = m_postgres->url();
    url = url.left(url.lastIndexOf(u'/')) + QStringLiteral("/together");
    QTemporaryDir dataDir;
    std::vector<std::unique_ptr<QProcess>> nodes;
    for (int i = 0; i < 3; ++i) {
        auto node = std::make_unique<QProcess>();
        node->start(ServerProcess::serverBinary(),
                    {QStringLiteral("user"), QStringLiteral("list"), QStringLiteral("--data-dir"),
                     dataDir.path(), QStringLiteral("--database"), url});
        nodes.push_back(std::move(node));
    }
    for (auto &node : nodes) {
        QVERIFY(node->waitForFinished(60000));
        QVERIFY2(node->exitCode() == 0, node->readAllStandardError().constData());
    }
    QCOMPARE(m_postgres->query(QStringLiteral("SELECT store, version FROM accounts.schema_version"),
                               QStringLiteral("together")),
             QStringLiteral("accounts|2"));
}

QTEST_MAIN(TestPostgresql)
#include "tst_postgresql.moc"
