#include "crypto/PasswordHash.h"

#include <QElapsedTimer>
#include <QStringList>
#include <QTest>

using namespace softphone::crypto;

class TestPasswordHash : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void hashAndVerify()
    {
        QElapsedTimer timer;
        timer.start();
        const QString stored = hashPassword("correct horse battery staple");
        qInfo("scrypt hash took %lld ms (sanitizer builds are slower)", timer.elapsed());
        QVERIFY(stored.startsWith(QStringLiteral("scrypt$131072$8$1$")));
        QVERIFY(!needsRehash(stored));
        QCOMPARE(stored.split(QLatin1Char('$')).size(), 6);
        QVERIFY(verifyPassword("correct horse battery staple", stored));
        QVERIFY(!verifyPassword("correct horse battery stapl", stored));
        QVERIFY(!verifyPassword("", stored));
    }

    void olderCostStillVerifiesAndAsksForARehash()
    {
        const QString old = hashPassword("pw-of-old", {quint64(1) << 15, 8, 1});
        QVERIFY(old.startsWith(QStringLiteral("scrypt$32768$8$1$")));
        QVERIFY(verifyPassword("pw-of-old", old));
        QVERIFY(needsRehash(old));
        QVERIFY(needsRehash(QStringLiteral("not a record")));
    }

    void unmatchableHashMatchesNothing()
    {
        const QString dummy = unmatchableHash();
        QVERIFY(dummy.startsWith(QStringLiteral("scrypt$131072$8$1$")));
        QVERIFY(!needsRehash(dummy));
        QVERIFY(!verifyPassword("", dummy));
        QVERIFY(!verifyPassword("anything", dummy));
        QVERIFY(dummy != unmatchableHash());
    }

    void saltsDiffer() { QVERIFY(hashPassword("same") != hashPassword("same")); }

    void emptyAndBinaryPasswords()
    {
        const QString empty = hashPassword(QByteArray());
        QVERIFY(verifyPassword(QByteArray(), empty));
        QVERIFY(!verifyPassword("x", empty));
        const QByteArray binary("a\0b", 3);
        const QString stored = hashPassword(binary);
        QVERIFY(verifyPassword(binary, stored));
        QVERIFY(!verifyPassword("a", stored)); // no truncation at NUL
    }

    void tamperedRecordsRejected_data()
    {
        QTest::addColumn<QString>("stored");
        // A cheap cost: these records are refused for their form, not their cost.
        const QString good = hashPassword("pw", {quint64(1) << 10, 8, 1});
        const QStringList p = good.split(QLatin1Char('$'));
        auto with = [&p](int i, const QString &v) {
            QStringList q = p;
            q[i] = v;
            return q.join(QLatin1Char('$'));
        };
        QTest::newRow("empty") << QString();
        QTest::newRow("plain text") << QStringLiteral("pw");
        QTest::newRow("other scheme") << with(0, QStringLiteral("bcrypt"));
        QTest::newRow("N not power of two") << with(1, QStringLiteral("32767"));
        QTest::newRow("N huge") << with(1, QStringLiteral("1099511627776"));
        QTest::newRow("N zero") << with(1, QStringLiteral("0"));
        QTest::newRow("N text") << with(1, QStringLiteral("abc"));
        QTest::newRow("r zero") << with(2, QStringLiteral("0"));
        QTest::newRow("r huge") << with(2, QStringLiteral("100000"));
        QTest::newRow("p huge") << with(3, QStringLiteral("100000"));
        QTest::newRow("lower N") << with(1, QStringLiteral("16384"));
        QTest::newRow("bad salt") << with(4, QStringLiteral("***"));
        QTest::newRow("short hash") << with(5, QStringLiteral("AAAA"));
        QTest::newRow("other hash")
            << with(5, QString(p[5]).replace(0, 1,
                                             p[5].at(0) == QLatin1Char('A') ? QStringLiteral("B")
                                                                            : QStringLiteral("A")));
        QTest::newRow("extra field") << good + QStringLiteral("$x");
        QTest::newRow("missing field") << p.mid(0, 5).join(QLatin1Char('$'));
    }
    void tamperedRecordsRejected()
    {
        QFETCH(QString, stored);
        QVERIFY(!verifyPassword("pw", stored));
    }
};

QTEST_GUILESS_MAIN(TestPasswordHash)
#include "tst_passwordhash.moc"
