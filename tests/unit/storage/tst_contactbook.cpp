// The local contact list: add, rename, remove, sorted by name.
#include "storage/ContactBook.h"
#include "storage/Database.h"

#include <QTemporaryDir>
#include <QTest>

using namespace softphone::storage;

class TestContactBook : public QObject
{
    Q_OBJECT

private slots:
    void editList()
    {
        QTemporaryDir dir;
        Database db(dir.filePath(QStringLiteral("c.sqlite")));
        QVERIFY(db.open());
        ContactBook book(db);
        QVERIFY(book.save(QStringLiteral("bob"), QStringLiteral("Bob Builder")));
        QVERIFY(book.save(QStringLiteral("alice"), QStringLiteral("Alice")));
        QVERIFY(book.save(QStringLiteral("bob"), QStringLiteral("Robert")));
        QVERIFY(!book.save(QStringLiteral("  "), QStringLiteral("Nobody")));
        auto all = book.all();
        QCOMPARE(all.size(), 2);
        QCOMPARE(all[0].displayName, QStringLiteral("Alice"));
        QCOMPARE(all[1].displayName, QStringLiteral("Robert"));
        QCOMPARE(book.displayName(QStringLiteral("bob")), QStringLiteral("Robert"));
        QVERIFY(book.remove(QStringLiteral("alice")));
        QVERIFY(!book.remove(QStringLiteral("alice")));
        QCOMPARE(book.all().size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestContactBook)
#include "tst_contactbook.moc"
