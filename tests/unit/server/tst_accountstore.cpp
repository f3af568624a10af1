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
        const auto rotated = store.rotateRefreshToken(
            hashRefreshToken(first), hashRefreshToken(second), now.addDays(1), now);
        QVERIFY(rotated);
        QCOMPARE(rotated->record.user, QStringLiteral("bob"));
        QCOMPARE(rotated->record.device, QStringLiteral("laptop"));
        QVERIFY(rotated->retriedSealedToken.isEmpty());
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

    // A refresh whose answer was lost: the same old token with the same request id
    // gets the same new token back for the window, and nothing else does.
    void retriedRefreshGetsTheSameTokenWithItsIdOnly()
    {
        SqlAccountStore store;
        QString error;
        QVERIFY(store.open(dbPath(), &error));
        store.addUser("frank", cheapHash("pw"), &error);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const QString old = "frank-old-refresh-token";
        const QString fresh = "frank-new-refresh-token";
        const QString id = "request-id-0123456789";
        QVERIFY(store.addRefreshToken(hashRefreshToken(old), {"frank", "phone", now.addDays(1)},
                                      &error));
        const RefreshRetry retry{hashRefreshRequestId(id), sealRefreshRetry(old, id, fresh),
                                 now.addSecs(60)};
        QVERIFY(store.rotateRefreshToken(hashRefreshToken(old), hashRefreshToken(fresh),
                                         now.addDays(1), now, retry));
        // Neither the new token nor the id is on disk in the clear.
        QVERIFY(!allBytesOnDisk().contains(fresh.toUtf8()));
        QVERIFY(!allBytesOnDisk().contains(id.toUtf8()));

        auto again = [&](const QString &requestId, const QDateTime &at) {
            const RefreshRetry lookup{hashRefreshRequestId(requestId),
                                      sealRefreshRetry(old, requestId, "unused"), at.addSecs(60)};
            return store.rotateRefreshToken(hashRefreshToken(old), hashRefreshToken("unused"),
                                            at.addDays(1), at, lookup, &error);
        };
        const auto retried = again(id, now.addSecs(59));
        QVERIFY2(retried, qPrintable(error));
        QCOMPARE(retried->record.user, QStringLiteral("frank"));
        QCOMPARE(retried->record.device, QStringLiteral("phone"));
        QCOMPARE(openRefreshRetry(old, id, retried->retriedSealedToken).value_or(QString()), fresh);
        // Sealed to the old token and the id: nothing else opens it.
        QVERIFY(!openRefreshRetry(old, "request-id-other-0000", retried->retriedSealedToken));
        QVERIFY(!openRefreshRetry("another-token", id, retried->retriedSealedToken));
        // Another id, no id, or the same id after the window: refused.
        QVERIFY(!again("request-id-other-0000", now));
        QVERIFY(!store.rotateRefreshToken(hashRefreshToken(old), hashRefreshToken("unused"),
                                          now.addDays(1), now));
        QVERIFY(!again(id, now.addSecs(60)));
        QVERIFY(error.isEmpty());
        QCOMPARE(store.refreshTokenCount("frank"), 1); // only the new token

        // The copy goes with its token: once the new token is rotated in turn, the
        // old one is worth nothing even within the window.
        QVERIFY(store.rotateRefreshToken(hashRefreshToken(fresh), hashRefreshToken("third"),
                                         now.addDays(1), now));
        QVERIFY(!again(id, now));
        // And with a sign-out (revocation) of the new token.
        const QString fourth = "frank-fourth-token";
        const QString id2 = "request-id-2222222222";
        QVERIFY(store.rotateRefreshToken(
            hashRefreshToken("third"), hashRefreshToken(fourth), now.addDays(1), now,
            {hashRefreshRequestId(id2), sealRefreshRetry("third", id2, fourth), now.addSecs(60)}));
        QVERIFY(store.revokeRefreshToken(hashRefreshToken(fourth)));
        QVERIFY(!store.rotateRefreshToken(
            hashRefreshToken("third"), hashRefreshToken("fifth"), now.addDays(1), now,
            {hashRefreshRequestId(id2), sealRefreshRetry("third", id2, "fifth"), now.addSecs(60)}));
    }

    void requestIdsHaveOneForm()
    {
        QVERIFY(isValidRefreshRequestId(QStringLiteral("abcdefghijklmnop")));
        QVERIFY(isValidRefreshRequestId(QString(64, u'A')));
        QVERIFY(!isValidRefreshRequestId(QStringLiteral("short")));
        QVERIFY(!isValidRefreshRequestId(QString(65, u'A')));
        QVERIFY(!isValidRefreshRequestId(QStringLiteral("abcdefghijklmnop+")));
        QVERIFY(!isValidRefreshRequestId(QString()));
    }
};

QTEST_GUILESS_MAIN(TestAccountStore)
#include "tst_accountstore.moc"
