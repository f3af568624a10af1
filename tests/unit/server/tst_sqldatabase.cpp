// SqlDatabase: what --database accepts and refuses, and that the password it may
// carry never shows in what the server prints about it (docs/security.md).
#include "softphone-server/common/ServerOptions.h"
#include "softphone-server/common/SqlDatabase.h"

#include <QtTest>

using namespace softphone::server;

class TestSqlDatabase : public QObject
{
    Q_OBJECT
private slots:
    void acceptedUrls_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("shown");
        QTest::newRow("loopback") << "postgresql://softphone@127.0.0.1:5433/phones"
                                  << "postgresql://softphone@127.0.0.1:5433/phones";
        QTest::newRow("password hidden") << "postgresql://softphone:s3cret-pw@db.example/phones"
                                         << "postgresql://softphone@db.example/phones";
        QTest::newRow("unix socket") << "postgresql://softphone@/phones?host=/run/postgresql"
                                     << "postgresql://softphone@/phones?host=/run/postgresql";
        QTest::newRow("socket and port")
            << "postgres://softphone@/phones?host=/tmp/pg&port=5444&sslmode=disable"
            << "postgresql://softphone@/phones?host=/tmp/pg&port=5444";
    }
    void acceptedUrls()
    {
        QFETCH(QString, url);
        QFETCH(QString, shown);
        QString error;
        const auto database = SqlDatabase::postgresUrl(url, &error);
        QVERIFY2(database, qPrintable(error));
        QVERIFY(database->isPostgres());
        QCOMPARE(database->displayName(), shown);
    }

    void refusedUrls_data()
    {
        QTest::addColumn<QString>("url");
        QTest::newRow("not postgresql") << "mysql://root@localhost/phones";
        QTest::newRow("no database") << "postgresql://softphone@localhost";
        QTest::newRow("unknown parameter") << "postgresql://u@h/db?options=-cfsync=off";
        QTest::newRow("relative socket") << "postgresql://u@/db?host=run/postgresql";
        QTest::newRow("not a word") << "postgresql://u@h/db?sslmode=require%20host=evil";
        QTest::newRow("bad port") << "postgresql://u@/db?host=/tmp&port=99999";
        QTest::newRow("keepalive off") << "postgresql://u@h/db?keepalives=0";
        QTest::newRow("timeout not a number") << "postgresql://u@h/db?tcp_user_timeout=10s";
        QTest::newRow("negative keepalive") << "postgresql://u@h/db?keepalives_idle=-1";
    }
    void refusedUrls()
    {
        QFETCH(QString, url);
        QString error;
        QVERIFY(!SqlDatabase::postgresUrl(url, &error));
        QVERIFY(error.startsWith(QStringLiteral("--database: ")));
    }

    void storesDefaultToSqliteInTheDataDir()
    {
        ServerOptions options;
        options.dataDir = QStringLiteral("/var/lib/softphone");
        const auto database = SqlDatabase::forStore(options, QStringLiteral("push"));
        QVERIFY(database && !database->isPostgres());
        QCOMPARE(database->displayName(), QStringLiteral("/var/lib/softphone/push.db"));
        options.database = QStringLiteral("postgresql://u:pw@h/db");
        const auto shared = SqlDatabase::forStore(options, QStringLiteral("push"));
        QVERIFY(shared && shared->isPostgres());
        QVERIFY(!shared->displayName().contains(QStringLiteral("pw")));
    }

    // PostgreSQL's lock_timeout and statement_timeout (docs/operations.md "When the
    // database fails"): 2 s and 5 s, --set database.* in seconds, within 1 ms-600 s
    // (never 0: PostgreSQL's "no bound").
    void postgresTimeoutsDefaultAndSettable()
    {
        ServerOptions options;
        options.database = QStringLiteral("postgresql://u@h/db");
        const auto plain = SqlDatabase::forStore(options, QStringLiteral("accounts"));
        QVERIFY(plain);
        QCOMPARE(plain->lockTimeoutMs(), 2000);
        QCOMPARE(plain->statementTimeoutMs(), 5000);
        options.settings.insert(QStringLiteral("database.lock_timeout"), QStringLiteral("0.5"));
        options.settings.insert(QStringLiteral("database.statement_timeout"),
                                QStringLiteral("100000"));
        const auto set = SqlDatabase::forStore(options, QStringLiteral("accounts"));
        QVERIFY(set);
        QCOMPARE(set->lockTimeoutMs(), 500);
        QCOMPARE(set->statementTimeoutMs(), SqlDatabase::kMaxTimeoutMs);
        options.settings.insert(QStringLiteral("database.lock_timeout"), QStringLiteral("0.0001"));
        QCOMPARE(SqlDatabase::forStore(options, QStringLiteral("accounts"))->lockTimeoutMs(), 1);
        options.settings.insert(QStringLiteral("database.lock_timeout"), QStringLiteral("never"));
        QCOMPARE(SqlDatabase::forStore(options, QStringLiteral("accounts"))->lockTimeoutMs(), 2000);
        // Not a number of seconds a clock holds: the default, never a 1 ms bound.
        for (const char *notFinite : {"inf", "nan", "1e300"}) {
            options.settings.insert(QStringLiteral("database.lock_timeout"),
                                    QString::fromLatin1(notFinite));
            QCOMPARE(SqlDatabase::forStore(options, QStringLiteral("accounts"))->lockTimeoutMs(),
                     2000);
        }
    }

    // A database gone silent (docs/security.md "The store database"): every
    // connection has TCP keepalive and a tcp_user_timeout, the URL's own values
    // instead of the defaults when it gives them, and keepalive cannot be turned off.
    void silentPeerBoundsDefaultAndSettable()
    {
        const auto plain = SqlDatabase::postgresUrl(QStringLiteral("postgresql://u@h/db"));
        QVERIFY(plain);
        const QStringList options = plain->connectOptions().split(u';');
        for (const QString &expected :
             {QStringLiteral("keepalives=1"), QStringLiteral("keepalives_idle=5"),
              QStringLiteral("keepalives_interval=2"), QStringLiteral("keepalives_count=3"),
              QStringLiteral("tcp_user_timeout=10000"), QStringLiteral("connect_timeout=3")})
            QVERIFY2(options.contains(expected), qPrintable(plain->connectOptions()));
        const auto own = SqlDatabase::postgresUrl(
            QStringLiteral("postgresql://u@h/db?tcp_user_timeout=30000&keepalives_idle=20"));
        QVERIFY(own);
        const QStringList ownOptions = own->connectOptions().split(u';');
        QVERIFY(ownOptions.contains(QStringLiteral("tcp_user_timeout=30000")));
        QVERIFY(ownOptions.contains(QStringLiteral("keepalives_idle=20")));
        QVERIFY(!ownOptions.contains(QStringLiteral("tcp_user_timeout=10000")));
        QVERIFY(!ownOptions.contains(QStringLiteral("keepalives_idle=5")));
        QVERIFY(ownOptions.contains(QStringLiteral("keepalives_count=3")));
        QVERIFY(ownOptions.contains(QStringLiteral("keepalives=1")));
    }

    void connectionErrorsDoNotShowThePassword()
    {
        // Nothing listens on port 1: the error names the database, not the password.
        const auto database = SqlDatabase::postgresUrl(
            QStringLiteral("postgresql://u:s3cret-pw@127.0.0.1:1/db?connect_timeout=2"));
        QVERIFY(database);
        QString error;
        const QSqlDatabase db = database->open(QStringLiteral("unreachable"), &error);
        QVERIFY(!db.isOpen());
        QVERIFY2(error.contains(QStringLiteral("postgresql://u@127.0.0.1:1/db")),
                 qPrintable(error));
        QVERIFY2(!error.contains(QStringLiteral("s3cret")), qPrintable(error));
    }
};

QTEST_MAIN(TestSqlDatabase)
#include "tst_sqldatabase.moc"
