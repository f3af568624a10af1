#include "HistoryPage.h"

#include "Avatar.h"
#include "CallText.h"

#include <QHeaderView>
#include <QKeyEvent>
#include <QLocale>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace softphone::ui {

namespace {

// Enter on a row calls back (QTreeWidget has no activation on Enter by itself on every style).
class HistoryList : public QTreeWidget
{
public:
    using QTreeWidget::QTreeWidget;
    std::function<void()> onEnter;

protected:
    void keyPressEvent(QKeyEvent *event) override
    {
        if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) && onEnter) {
            onEnter();
            return;
        }
        QTreeWidget::keyPressEvent(event);
    }
};

} // namespace

HistoryPage::HistoryPage(QWidget *parent)
    : QWidget(parent)
    , m_callBack(new QPushButton(QIcon(QStringLiteral(":/ui/call.svg")), tr("Call &back"), this))
{
    setObjectName(QStringLiteral("historyPage"));
    setAccessibleName(tr("Call history"));
    auto *list = new HistoryList(this);
    list->onEnter = [this] { callBackCurrent(); };
    m_list = list;
    m_list->setObjectName(QStringLiteral("historyList"));
    m_list->setAccessibleName(tr("Calls"));
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setHeaderLabels({tr("Call"), tr("User"), tr("When"), tr("Details")});
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_list->header()->setStretchLastSection(true);
    m_callBack->setObjectName(QStringLiteral("callBackButton"));
    m_callBack->setAccessibleName(tr("Call back"));
    m_callBack->setEnabled(false);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_list);
    layout->addWidget(m_callBack, 0, Qt::AlignRight);

    connect(m_list, &QTreeWidget::itemDoubleClicked, this, [this] { callBackCurrent(); });
    connect(m_list, &QTreeWidget::currentItemChanged, this,
            [this](QTreeWidgetItem *current) { m_callBack->setEnabled(current != nullptr); });
    connect(m_callBack, &QPushButton::clicked, this, &HistoryPage::callBackCurrent);
}

QColor HistoryPage::missedAccent(const QPalette &palette)
{
    const bool darkBase = palette.color(QPalette::Base).lightness() < 128;
    return QColor::fromHsl(0, 190, darkBase ? 170 : 105);
}

void HistoryPage::setRecords(const QList<storage::CallRecord> &records)
{
    m_list->clear();
    const QColor accent = missedAccent(palette());
    const QLocale locale;
    for (const storage::CallRecord &r : records) {
        auto *item = new QTreeWidgetItem(m_list);
        QString kind;
        if (r.outgoing)
            kind = tr("Outgoing");
        else if (r.missed)
            kind = tr("Missed");
        else
            kind = tr("Incoming");
        item->setText(0, kind);
        item->setText(1, r.remoteUser);
        item->setIcon(1, avatar::icon(r.remoteUser, {}));
        item->setText(2, locale.toString(r.startedAt.toLocalTime(), QLocale::ShortFormat));
        QString details;
        if (r.durationMs > 0)
            details = CallText::duration(r.durationMs);
        else
            details = CallText::endCause(r.endCause, r.outgoing);
        if (!r.subject.isEmpty())
            details += QStringLiteral(" - ") + tr("Subject: %1").arg(r.subject);
        item->setText(3, details);
        item->setData(0, Qt::UserRole, r.remoteUser);
        item->setData(0, Qt::AccessibleTextRole,
                      tr("%1 call, %2, %3, %4").arg(kind, r.remoteUser, item->text(2), details));
        if (r.missed) {
            QFont f = item->font(0);
            f.setBold(!r.seen);
            for (int c = 0; c < 4; ++c) {
                item->setForeground(c, accent);
                item->setFont(c, f);
            }
        }
    }
    // Current (for Enter and Call back) but not selected, so the missed accent stays visible.
    if (m_list->topLevelItemCount() > 0)
        m_list->setCurrentItem(m_list->topLevelItem(0), 0, QItemSelectionModel::NoUpdate);
}

int HistoryPage::rowCount() const
{
    return m_list->topLevelItemCount();
}

void HistoryPage::callBackCurrent()
{
    if (QTreeWidgetItem *item = m_list->currentItem())
        emit callBackRequested(item->data(0, Qt::UserRole).toString());
}

} // namespace softphone::ui
