// `softphone-server migrate-from-sqlite` as an operator meets it: a single node
// on SQLite files with real data (two accounts with a refresh token, a push
// registration, a message waiting for its offline recipient, a push waiting
// for its offline device) is stopped; its folder is migrated into a real,
// empty PostgreSQL, with the counts printed; a second run is refused (the
// target is not empty) and copies nothing. A server on that PostgreSQL with the
// old node's keys then serves the same users: the password signs in, the
// recipient gets the message, the device gets its stored push and a new one
// (the push store's numbering continues past the copied rows), the push
// registration is there.
#include "integration/calling/RawCallingClient.h"
#include "integration/push/PushTestDevice.h"
#include "protocol/Builders.h"
#include "support/PostgresServer.h"
#include "support/ServerProcess.h"

#include <QtTest>

using namespace softphone;
using namespace softphone::test;
using Outcome = push::WebPushResult::Outcome;

namespace {
const QString kPassword = QStringLiteral("password-123");

std::unique_ptr<RawCallingClient> device(ServerProcess &server, const QString &user,
                                         const QString &name, protocol::Capabilities caps)
{
    auto client = std::make_unique<RawCallingClient>();
    const QString token = server.login(user, kPassword, name);
    if (token.isEmpty() || !client->signIn(server.callingUrl(), token, name, caps))
        return nullptr;
    return client;
}

push::PushSubscription via(const push::PushSubscription &sub, const ServerProcess &server)
{
    push::PushSubscription moved = sub;
    moved.endpoint =
        QUrl(server.pushHttpUrl().toString() + u'/' + sub.endpoint.path().section(u'/', -1));
    return moved;
}
} // namespace

class TestMigrateSqlite : public QObject
{
    Q_OBJECT
private slots:
    void singleNodeMovesToPostgresqlWithItsData();
};

void TestMigrateSqlite::singleNodeMovesToPostgresqlWithItsData()
{
    QString why;
    if (!keychainReachable(&why))
        QFAIL(qPrintable(why));
    QVERIFY2(PostgresServer::available(),
             "PostgreSQL 15 is missing: packaging/install-deps.sh installs postgresql-15");
    const protocol::Capabilities messaging{true, true, false};

    // The single node on SQLite, with something in every store.
    ServerProcess sqlite;
    QVERIFY2(sqlite.start(), qPrintable(sqlite.lastError()));
    QVERIFY(QFileInfo::exists(sqlite.dataDir() + QStringLiteral("/accounts.db")));
    for (const char *user : {"alice", "bob"})
        QVERIFY(sqlite.addUser(QString::fromLatin1(user), kPassword));
    {
        auto desk =
            device(sqlite, QStringLiteral("bob"), QStringLiteral("desk"), {true, true, true});
        QVERIFY(desk);
        desk->send(protocol::makePushRegister("desk-push-data", QStringLiteral("reg")));
        QCOMPARE(desk->waitFor(QStringLiteral("ok")).value(u"re").toString(),
                 QStringLiteral("reg"));
    }
    const QString messageId = newCallId();
    {
        auto alice = device(sqlite, QStringLiteral("alice"), QStringLiteral("laptop"), messaging);
        QVERIFY(alice);
        alice->send(protocol::makeMessage(messageId, {QStringLiteral("bob")},
                                          QStringLiteral("see you at 5")));
        QCOMPARE(alice->waitFor(QStringLiteral("message.status")).value(u"status").toString(),
                 QStringLiteral("sent"));
    }
    PushTestDevice pushed(sqlite.pushWsUrl());
    QVERIFY(pushed.startAndSubscribe());
    pushed.channel().stop();
    QCOMPARE(sendPush(pushed.subscription(), "kept for you", {3600}).outcome, Outcome::Delivered);
    sqlite.stop();

    PostgresServer postgres;
    QVERIFY2(postgres.start(), qPrintable(postgres.lastError()));
    QByteArray out, err;
    const QStringList migrate{QStringLiteral("migrate-from-sqlite"), sqlite.dataDir(),
                              QStringLiteral("--database"), postgres.url()};
    QCOMPARE(sqlite.runCommand(migrate, {}, &out, &err), 0);
    const QString report = QString::fromUtf8(out);
    for (const char *line :
         {"accounts.users: 2", "calling.push_registrations: 1", "calling.messages: 1",
          "push.devices: 1", "push.subscriptions: 1", "push.messages: 1"})
        QVERIFY2(report.contains(QLatin1String(line)), qPrintable(report + err));
    QVERIFY2(report.contains(QStringLiteral("copied ")), qPrintable(report));
    QVERIFY(postgres.query(QStringLiteral("SELECT count(*) FROM accounts.refresh_tokens"))
                .trimmed()
                .toInt() >= 2);

    // Again: refused, nothing copied twice.
    QCOMPARE(sqlite.runCommand(migrate, {}, &out, &err), 1);
    QVERIFY2(err.contains("already holds data"), err.constData());
    QCOMPARE(postgres.query(QStringLiteral("SELECT count(*) FROM accounts.users")).trimmed(),
             QStringLiteral("2"));

    // The service on PostgreSQL with the node's keys: the same users and data.
    ServerProcess moved({QStringLiteral("--database"), postgres.url()});
    QVERIFY(moved.copyKeysFrom(sqlite));
    QVERIFY2(moved.start(), qPrintable(moved.lastError()));
    QCOMPARE(moved.loginReply(QStringLiteral("alice"), kPassword).status, 200);
    QCOMPARE(postgres
                 .query(QStringLiteral("SELECT encode(data, 'escape') FROM "
                                       "calling.push_registrations WHERE device = 'desk'"))
                 .trimmed(),
             QStringLiteral("desk-push-data"));
    auto bob = device(moved, QStringLiteral("bob"), QStringLiteral("desk"), {true, true, true});
    QVERIFY(bob);
    const QJsonObject incoming = bob->waitFor(QStringLiteral("message.incoming"));
    QCOMPARE(incoming.value(u"messageId").toString(), messageId);
    QCOMPARE(incoming.value(u"text").toString(), QStringLiteral("see you at 5"));

    // A push stored before the device is back: numbered after the copied one.
    QCOMPARE(sendPush(via(pushed.subscription(), moved), "after the move", {3600}).httpStatus, 201);
    pushed.channel().setServiceUrl(moved.pushWsUrl());
    pushed.channel().start();
    QTRY_COMPARE_WITH_TIMEOUT(
        pushed.payloads(),
        (QStringList{QStringLiteral("kept for you"), QStringLiteral("after the move")}), 15000);
    QCOMPARE(pushed.duplicates, 0);
}

QTEST_GUILESS_MAIN(TestMigrateSqlite)
#include "tst_migrate_sqlite.moc"
