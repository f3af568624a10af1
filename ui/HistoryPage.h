#pragma once
// Call history: incoming, outgoing and missed calls with time, duration or the
// reason they ended. Missed calls stand out (an accent taken from the palette);
// Enter or double-click calls back.

#include "storage/CallHistory.h"

#include <QWidget>

class QPushButton;
class QTreeWidget;

namespace softphone::ui {

class HistoryPage : public QWidget
{
    Q_OBJECT

public:
    explicit HistoryPage(QWidget *parent = nullptr);

    void setRecords(const QList<storage::CallRecord> &records);
    int rowCount() const;
    // The accent for missed calls: a red whose lightness follows the palette,
    // so it reads on light and dark themes alike.
    static QColor missedAccent(const QPalette &palette);

signals:
    void callBackRequested(const QString &user);

private:
    void callBackCurrent();

    QTreeWidget *m_list;
    QPushButton *m_callBack;
};

} // namespace softphone::ui
