// RecentIds: a repeat is recognised, the oldest id is forgotten first when the
// list is full, and a saved list comes back with only its newest ids.
#include "common/RecentIds.h"

#include <QTest>

using softphone::RecentIds;

class TestRecentIds : public QObject
{
    Q_OBJECT

private slots:
    void repeatIsRecognised()
    {
        RecentIds ids(4);
        QVERIFY(ids.remember(QStringLiteral("a")));
        QVERIFY(!ids.remember(QStringLiteral("a")));
        QVERIFY(ids.contains(QStringLiteral("a")));
        QCOMPARE(ids.size(), 1);
    }

    void oldestIsForgottenFirst()
    {
        RecentIds ids(3);
        for (const char *id : {"a", "b", "c", "d"})
            ids.remember(QString::fromLatin1(id));
        QVERIFY(!ids.contains(QStringLiteral("a")));
        QCOMPARE(ids.ids(), (QStringList{"b", "c", "d"}));
        // Forgotten, so a late repeat of "a" counts as new again.
        QVERIFY(ids.remember(QStringLiteral("a")));
        QVERIFY(!ids.contains(QStringLiteral("b")));
    }

    void assignKeepsTheNewest()
    {
        RecentIds ids(2);
        ids.assign({"x", "y", "x", "z"});
        QCOMPARE(ids.ids(), (QStringList{"y", "z"}));
        QVERIFY(!ids.contains(QStringLiteral("x")));
    }
};

QTEST_GUILESS_MAIN(TestRecentIds)
#include "tst_recentids.moc"
