// SqlAccountStore: what is on disk (hashes, never passwords or tokens), refresh
// token rotation and revocation, and that a removed user's tokens die with them.

#include "crypto/PasswordHash.h"
#include "softphone-server/appserver/SqlAccountStore.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace softphone::server::appserver;

class TestAccountStore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString dbPath() const { return m_dir.filePath("accounts.db"); }

    // Everything SQLite wrote (database and WAL), to look for secrets in the clear.
    QByteArray allBytesOnDisk() const
    {
        QByteArray all;
        for (const QString &suffix : {QString(), QStringLiteral("-wal")}) {
            QFile f(dbPath() + suffix);
            if (f.open(QIODevice::ReadOnly))
                all += f.readAll();
        }
        return all;
    }

    // The store's business is the record, not the cost: a cheap scrypt keeps this test fast.
    static QString cheapHash(const QByteArray &password)
    {
        return softphone::crypto::hashPassword(password, {quint64(1) << 10, 8, 1});
    }

private slots:
    void passwordIsStoredOnlyAsAHash()
    {
        SqlAccountStore store;
        QString error;
        QVERIFY2(store.open(dbPath(), &error), qPrintable(error));
        const QByteArray password = "correct horse battery staple";
        QVERIFY2(store.addUser("alice", cheapHash(password), &error), qPrintable(error));
        QVERIFY(!store.addUser("alice", cheapHash("x"), &error));
        QVERIFY2(error.contains("already exists"), qPrintable(error));

        const auto stored = store.passwordHash("alice");
        QVERIFY(stored);
        QVERIFY(stored->startsWith("scrypt$"));
        QVERIFY(softphone::crypto::verifyPassword(password, *stored));
        QVERIFY(!allBytesOnDisk().contains(password));
        QVERIFY(!store.passwordHash("bob"));
        QCOMPARE(store.users(), QStringList{"alice"});
    }

    void hashIsReplacedOnlyIfUnchanged()
    {
        SqlAccountStore store;
        QString error;
        QVERIFY(store.open(dbPath(), &error));
        const QString first = cheapHash("first-password");
        QVERIFY(store.addUser("erin", first, &error));
        const QString second = cheapHash("second-password");
        QVERIFY(!store.replacePasswordHash("erin", QStringLiteral("not the record"), second));
        QCOMPARE(*store.passwordHash("erin"), first);
        QVERIFY(store.replacePasswordHash("erin", first, second));
        QCOMPARE(*store.passwordHash("erin"), second);
        QVERIFY(!store.replacePasswordHash("nobody", first, second));
    }

    void refreshTokenRotatesAndIsStoredHashed()
    {
        SqlAccountStore store;
        QString error;
        QVERIFY(store.open(dbPath(), &error));
        store.addUser("bob", cheapHash("pw"), &error);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const QString first = "first-refresh-token-value";
        QVERIFY(store.addRefreshToken(hashRefreshToken(first), {"bob", "laptop", now.addDays(1)},
                                      &error));
        QVERIFY(!allBytesOnDisk().contains(first.toUtf8()));

        const QString second = "second-refresh-token-value";
        const auto record = store.rotateRefreshToken(hashRefreshToken(first),
                                                     hashRefreshToken(second), now.addDays(1), now);
        QVERIFY(record);
        QCOMPARE(record->user, QStringLiteral("bob"));
        QCOMPARE(record->device, QStringLiteral("laptop"));
        // The old token is spent: using it again fails, the new one works once.
        QVERIFY(!store.rotateRefreshToken(hashRefreshToken(first), hashRefreshToken("third"),
                                          now.addDays(1), now));
        QCOMPARE(store.refreshTokenCount("bob"), 1);

        QVERIFY(store.revokeRefreshToken(hashRefreshToken(second)));
        QVERIFY(!store.rotateRefreshToken(hashRefreshToken(second), hashRefreshToken("fourth"),
                                          now.addDays(1), now));
        QCOMPARE(store.refreshTokenCount("bob"), 0);
    }

    void expiredRefreshTokenDoesNotRotate()
    {
        SqlAccountStore store;
        QString error;
        QVERIFY(store.open(dbPath(), &error));
        store.addUser("carol", cheapHash("pw"), &error);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QVERIFY(store.addRefreshToken(hashRefreshToken("old"), {"carol", "d", now.addSecs(-1)},
                                      &error));
        QVERIFY(!store.rotateRefreshToken(hashRefreshToken("old"), hashRefreshToken("new"),
                                          now.addDays(1), now));
        QCOMPARE(store.refreshTokenCount("carol"), 0);
    }

    void removingAUserRevokesTheirTokens()
    {
        SqlAccountStore store;
        QString error;
        QVERIFY(store.open(dbPath(), &error));
        store.addUser("dave", cheapHash("pw"), &error);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QVERIFY(
            store.addRefreshToken(hashRefreshToken("t"), {"dave", "d", now.addDays(1)}, &error));
        QVERIFY2(store.removeUser("dave", &error), qPrintable(error));
        QVERIFY(!store.removeUser("dave", &error));
        QVERIFY(!store.rotateRefreshToken(hashRefreshToken("t"), hashRefreshToken("u"),
                                          now.addDays(1), now));
    }
};

QTEST_GUILESS_MAIN(TestAccountStore)
#include "tst_accountstore.moc"
