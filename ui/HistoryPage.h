#pragma once
// Call history: incoming, outgoing and missed calls with time, duration or the
// reason they ended, grouped by day (Today, Yesterday, then the date). Missed
// calls stand out (an accent taken from the palette); Enter or double-click
// calls back. The search field filters the calls and finds contacts too
// (shown above the calls while searching), so one place answers "where is bob".
// Each row's avatar shows the user's presence while the client watches them.

#include "storage/CallHistory.h"
#include "storage/ContactBook.h"

#include <QPointer>
#include <QWidget>

class QLineEdit;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace softphone::client {
class Presence;
}

namespace softphone::ui {

class HistoryPage : public QWidget
{
    Q_OBJECT

public:
    explicit HistoryPage(QWidget *parent = nullptr);

    void setRecords(const QList<storage::CallRecord> &records);
    // The contacts the search finds (and whose names it matches calls by).
    void setContacts(const QList<storage::Contact> &contacts);
    // Whose presence the avatars show (the signed-in client's); null: none.
    void setPresence(client::Presence *presence);
    // The user's status changed (MainWindow forwards client::Presence::statusChanged).
    void showPresence(const QString &user);
    // Calls shown (after the search), and the row-th of them, newest first.
    int rowCount() const;
    QTreeWidgetItem *callItem(int row) const;
    // The day heading of a call's start: "Today", "Yesterday" or the date.
    static QString dayTitle(const QDate &day, const QDate &today);
    // The accent for missed calls: a red whose lightness follows the palette,
    // so it reads on light and dark themes alike.
    static QColor missedAccent(const QPalette &palette);

signals:
    void callBackRequested(const QString &user);

protected:
    // Light or dark switched: the missed calls' accent is picked again.
    void changeEvent(QEvent *event) override;

private:
    void callBackCurrent();
    void rebuild();
    QString nameOf(const QString &user) const;
    // The row's face with the user's presence (column 1).
    void decorate(QTreeWidgetItem *item, const QString &user, const QString &name) const;

    QLineEdit *m_search;
    QTreeWidget *m_list;
    QPushButton *m_callBack;
    QList<storage::CallRecord> m_records;
    QList<storage::Contact> m_contacts;
    QList<QTreeWidgetItem *> m_calls; // shown, in order
    QPointer<client::Presence> m_presence;
};

} // namespace softphone::ui
