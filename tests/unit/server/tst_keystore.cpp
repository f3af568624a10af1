// KeyStore: keys are created once, owner-only, and the same keys come back after a restart;
// the push-data key rotates with one previous key kept.

#include "softphone-server/common/KeyStore.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using softphone::server::KeyStore;

class TestKeyStore : public QObject
{
    Q_OBJECT
private slots:
    void createsOnceThenLoadsTheSameKeys()
    {
        QTemporaryDir dir;
        KeyStore first(dir.path());
        QString error;
        QVERIFY2(first.load(&error), qPrintable(error));
        QVERIFY(first.tokenKey().hasPrivate());
        QVERIFY(first.tokenKey().publicRaw() != first.payloadKey().publicRaw());
        QVERIFY(first.payloadKey().publicRaw() != first.vapidKey().publicRaw());
        const QString tokenFile = dir.filePath("keys/token.pem");
        QCOMPARE(QFile::permissions(tokenFile) &
                     ~(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser),
                 QFile::Permissions());

        KeyStore second(dir.path());
        QVERIFY2(second.load(&error), qPrintable(error));
        QCOMPARE(second.tokenKey().publicRaw(), first.tokenKey().publicRaw());
        QCOMPARE(second.vapidKey().publicRaw(), first.vapidKey().publicRaw());
    }

    // A rotation keeps the old push-data key as the previous one, owner-only;
    // a second rotation drops the oldest.
    void rotationKeepsOnePreviousPushDataKey()
    {
        QTemporaryDir dir;
        KeyStore before(dir.path());
        QString error;
        QVERIFY2(before.load(&error), qPrintable(error));
        QVERIFY(before.pushDataKey().hasPrivate());
        QVERIFY(before.previousPushDataKey().isNull());

        softphone::crypto::EcKey fresh;
        QVERIFY2(KeyStore::rotatePushDataKey(dir.path(), &fresh, &error), qPrintable(error));
        KeyStore after(dir.path());
        QVERIFY2(after.load(&error), qPrintable(error));
        QCOMPARE(after.pushDataKey().publicRaw(), fresh.publicRaw());
        QVERIFY(fresh.publicRaw() != before.pushDataKey().publicRaw());
        QCOMPARE(after.previousPushDataKey().publicRaw(), before.pushDataKey().publicRaw());
        QCOMPARE(QFile::permissions(dir.filePath("keys/push-data.previous.pem")) &
                     ~(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser),
                 QFile::Permissions());
        QCOMPARE(after.tokenKey().publicRaw(), before.tokenKey().publicRaw()); // untouched

        QVERIFY2(KeyStore::rotatePushDataKey(dir.path(), &fresh, &error), qPrintable(error));
        KeyStore twice(dir.path());
        QVERIFY2(twice.load(&error), qPrintable(error));
        QCOMPARE(twice.previousPushDataKey().publicRaw(), after.pushDataKey().publicRaw());
    }

    void corruptKeyFileIsAClearError()
    {
        QTemporaryDir dir;
        QVERIFY(QDir().mkpath(dir.filePath("keys")));
        QFile f(dir.filePath("keys/token.pem"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not a key");
        f.close();
        KeyStore store(dir.path());
        QString error;
        QVERIFY(!store.load(&error));
        QVERIFY2(error.contains("token.pem"), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestKeyStore)
#include "tst_keystore.moc"
