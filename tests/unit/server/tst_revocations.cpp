// SqlAccountStore's revocation log (issue #11 item 13): disable, enable and
// remove record when a user's access tokens stopped counting, drop their
// refresh tokens, and an accounts.db from before `user disable` is migrated.

#include "softphone-server/appserver/SqlAccountStore.h"
#include "softphone-server/common/SqlDatabase.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace softphone::server;
using namespace softphone::server::appserver;

class TestRevocations : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_n = 0;
    QString freshPath() { return m_dir.filePath(QStringLiteral("accounts-%1.db").arg(++m_n)); }

    static void addWithToken(SqlAccountStore &store, const QString &user)
    {
        QString error;
        QVERIFY2(store.addUser(user, QStringLiteral("not-a-real-hash"), &error), qPrintable(error));
        const RefreshTokenRecord record{user, QStringLiteral("laptop"),
                                        QDateTime::currentDateTimeUtc().addDays(1)};
        QVERIFY2(store.addRefreshToken(hashRefreshToken(user + "-token"), record, &error),
                 qPrintable(error));
    }

private slots:
    void disableRevokesUntilNowAndEnableRestoresLogin()
    {
        SqlAccountStore store;
        QString error;
        QVERIFY2(store.open(freshPath(), &error), qPrintable(error));
        addWithToken(store, QStringLiteral("alice"));
        addWithToken(store, QStringLiteral("bob"));
        const qint64 before = QDateTime::currentSecsSinceEpoch() - 1;
        QVERIFY(!store.tokenRevoked(QStringLiteral("alice"), before));

        QVERIFY2(store.disableUser(QStringLiteral("alice"), &error), qPrintable(error));
        QVERIFY(store.tokenRevoked(QStringLiteral("alice"), before));
        QVERIFY(!store.tokenRevoked(QStringLiteral("alice"), before + 3600)); // issued later
        QVERIFY(!store.tokenRevoked(QStringLiteral("bob"), before));
        QVERIFY(!store.passwordHash(QStringLiteral("alice"))); // no login
        QCOMPARE(store.refreshTokenCount(QStringLiteral("alice")), 0);
        QCOMPARE(store.refreshTokenCount(QStringLiteral("bob")), 1);
        const auto log = store.revocationsSince(0);
        QCOMPARE(log.size(), 1);
        QCOMPARE(log.first().user, QStringLiteral("alice"));
        QVERIFY(store.revocationsSince(log.first().seq).isEmpty());

        QVERIFY2(store.enableUser(QStringLiteral("alice"), &error), qPrintable(error));
        QVERIFY(store.passwordHash(QStringLiteral("alice")));
        QVERIFY(store.tokenRevoked(QStringLiteral("alice"), before)); // old tokens stay refused
    }

    void removeRevokesAndUnknownUsersFail()
    {
        SqlAccountStore store;
        QString error;
        QVERIFY2(store.open(freshPath(), &error), qPrintable(error));
        addWithToken(store, QStringLiteral("carol"));
        QVERIFY2(store.removeUser(QStringLiteral("carol"), &error), qPrintable(error));
        QVERIFY(store.tokenRevoked(QStringLiteral("carol"), QDateTime::currentSecsSinceEpoch()));
        QCOMPARE(store.refreshTokenCount(QStringLiteral("carol")), 0);
        for (auto verb : {&SqlAccountStore::removeUser, &SqlAccountStore::disableUser,
                          &SqlAccountStore::enableUser}) {
            error.clear();
            QVERIFY(!(store.*verb)(QStringLiteral("nobody"), &error));
            QVERIFY2(error.contains(u"no user"), qPrintable(error));
        }
        QCOMPARE(store.revocationsSince(0).size(), 1); // failed verbs revoked nothing
    }

    void databaseFromBeforeDisableIsMigrated()
    {
        const QString path = freshPath();
        {
            QString error;
            QSqlDatabase db = openSqlite(path, QStringLiteral("old-schema"), &error);
            QVERIFY2(db.isOpen(), qPrintable(error));
            QVERIFY2(execAll(db,
                             {QStringLiteral("CREATE TABLE users (name TEXT PRIMARY KEY NOT NULL,"
                                             " password_hash TEXT NOT NULL,"
                                             " created_at INTEGER NOT NULL)"),
                              QStringLiteral("INSERT INTO users VALUES ('dave', 'h', 0)")},
                             &error),
                     qPrintable(error));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("old-schema"));
        SqlAccountStore store;
        QString error;
        QVERIFY2(store.open(path, &error), qPrintable(error));
        QCOMPARE(store.passwordHash(QStringLiteral("dave")), QStringLiteral("h"));
        QVERIFY2(store.disableUser(QStringLiteral("dave"), &error), qPrintable(error));
        QVERIFY(!store.passwordHash(QStringLiteral("dave")));
    }
};

QTEST_GUILESS_MAIN(TestRevocations)
#include "tst_revocations.moc"
