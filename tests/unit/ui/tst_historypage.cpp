// ui::HistoryPage: calls grouped under Today, Yesterday and their date; the
// search filters the calls (by user, contact name or what happened) and finds
// contacts, which Enter calls like a call back.
#include "ui/HistoryPage.h"

#include <QApplication>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>
#include <QTreeWidget>

using namespace softphone;

namespace {

storage::CallRecord call(const QString &user, int daysAgo, bool missed = false)
{
    storage::CallRecord r;
    r.remoteUser = user;
    r.missed = missed;
    r.endCause = QStringLiteral("canceled");
    r.startedAt = QDateTime(QDate::currentDate().addDays(-daysAgo), QTime(9, 30));
    return r;
}

QStringList headings(const QTreeWidget *list)
{
    QStringList result;
    for (int i = 0; i < list->topLevelItemCount(); ++i)
        result << list->topLevelItem(i)->text(0) + QLatin1Char('/') +
                      QString::number(list->topLevelItem(i)->childCount());
    return result;
}

} // namespace

class TstHistoryPage : public QObject
{
    Q_OBJECT
private slots:
    void groupedByDay()
    {
        ui::HistoryPage page;
        page.setRecords({call(QStringLiteral("bob"), 0), call(QStringLiteral("carol"), 0, true),
                         call(QStringLiteral("bob"), 1), call(QStringLiteral("dave"), 5)});
        auto *list = page.findChild<QTreeWidget *>(QStringLiteral("historyList"));
        const QString older =
            QLocale().toString(QDate::currentDate().addDays(-5), QLocale::LongFormat);
        QCOMPARE(headings(list),
                 (QStringList{QStringLiteral("Today/2"), QStringLiteral("Yesterday/1"),
                              older + QStringLiteral("/1")}));
        QCOMPARE(page.rowCount(), 4);
        QCOMPARE(page.callItem(1)->text(1), QStringLiteral("carol"));
        QCOMPARE(page.callItem(3)->text(1), QStringLiteral("dave"));
        QCOMPARE(ui::HistoryPage::dayTitle(QDate(2026, 3, 1), QDate(2026, 3, 2)),
                 QStringLiteral("Yesterday"));
        // The newest call is current: Enter calls back, never a heading.
        QCOMPARE(list->currentItem(), page.callItem(0));
    }

    void searchFindsCallsAndContacts()
    {
        ui::HistoryPage page;
        page.setContacts({{1, QStringLiteral("bob"), QStringLiteral("Bob Smith")},
                          {2, QStringLiteral("erin"), QStringLiteral("Erin Smith")}});
        page.setRecords({call(QStringLiteral("bob"), 0), call(QStringLiteral("carol"), 0, true),
                         call(QStringLiteral("bob"), 3)});
        auto *list = page.findChild<QTreeWidget *>(QStringLiteral("historyList"));
        auto *search = page.findChild<QLineEdit *>(QStringLiteral("historySearch"));
        QVERIFY(search);
        QTest::keyClicks(search, QStringLiteral("smith"));
        // Both contacts, and bob's calls (found by his contact name).
        QCOMPARE(list->topLevelItem(0)->text(0), QStringLiteral("Contacts"));
        QCOMPARE(list->topLevelItem(0)->childCount(), 2);
        QCOMPARE(page.rowCount(), 2);
        QCOMPARE(page.callItem(0)->text(1), QStringLiteral("bob"));

        search->setText(QStringLiteral("CAROL"));
        QCOMPARE(page.rowCount(), 1);
        QCOMPARE(headings(list), QStringList{QStringLiteral("Today/1")});

        search->setText(QStringLiteral("erin"));
        QCOMPARE(page.rowCount(), 0);
        QSignalSpy callBack(&page, &ui::HistoryPage::callBackRequested);
        list->setFocus();
        QTest::keyClick(list, Qt::Key_Return); // the contact found is current
        QCOMPARE(callBack.size(), 1);
        QCOMPARE(callBack.first().first().toString(), QStringLiteral("erin"));

        search->clear();
        QCOMPARE(page.rowCount(), 3);
    }
};

QTEST_MAIN(TstHistoryPage)
#include "tst_historypage.moc"
