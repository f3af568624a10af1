#include "HistoryPage.h"

#include "Avatar.h"
#include "CallText.h"
#include "Theme.h"
#include "client/Presence.h"

#include <QEvent>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>
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
    , m_search(new QLineEdit(this))
    , m_callBack(
          new QPushButton(theme::svgIcon(QStringLiteral(":/ui/call.svg")), tr("Call &back"), this))
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
    m_search->setObjectName(QStringLiteral("historySearch"));
    m_search->setAccessibleName(tr("Search calls and contacts"));
    m_search->setPlaceholderText(tr("Search calls and contacts"));
    m_search->setClearButtonEnabled(true);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_search);
    layout->addWidget(m_list);
    layout->addWidget(m_callBack, 0, Qt::AlignRight);

    connect(m_list, &QTreeWidget::itemDoubleClicked, this, [this] { callBackCurrent(); });
    connect(m_list, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *current) {
        m_callBack->setEnabled(current && !current->data(0, Qt::UserRole).toString().isEmpty());
    });
    connect(m_search, &QLineEdit::textChanged, this, &HistoryPage::rebuild);
    connect(m_callBack, &QPushButton::clicked, this, &HistoryPage::callBackCurrent);
}

QColor HistoryPage::missedAccent(const QPalette &palette)
{
    return theme::alertColour(palette);
}

void HistoryPage::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        rebuild();
}

QString HistoryPage::dayTitle(const QDate &day, const QDate &today)
{
    if (day == today)
        return tr("Today");
    if (day == today.addDays(-1))
        return tr("Yesterday");
    return QLocale().toString(day, QLocale::LongFormat);
}

void HistoryPage::setRecords(const QList<storage::CallRecord> &records)
{
    m_records = records;
    rebuild();
}

void HistoryPage::setContacts(const QList<storage::Contact> &contacts)
{
    m_contacts = contacts;
    rebuild();
}

void HistoryPage::setPresence(client::Presence *presence)
{
    m_presence = presence;
    rebuild();
}

void HistoryPage::showPresence(const QString &user)
{
    for (QTreeWidgetItemIterator it(m_list); *it; ++it) {
        if ((*it)->data(0, Qt::UserRole).toString() == user)
            decorate(*it, user, nameOf(user));
    }
}

void HistoryPage::decorate(QTreeWidgetItem *item, const QString &user, const QString &name) const
{
    const avatar::Presence presence = m_presence ? m_presence->status(user) : std::nullopt;
    item->setIcon(1, avatar::icon(user, name, presence));
    item->setToolTip(1, avatar::presenceText(presence));
    item->setData(1, Qt::AccessibleDescriptionRole, avatar::presenceText(presence));
}

QString HistoryPage::nameOf(const QString &user) const
{
    for (const storage::Contact &c : m_contacts)
        if (c.userId == user)
            return c.displayName;
    return {};
}

void HistoryPage::rebuild()
{
    m_list->clear();
    m_calls.clear();
    const QString search = m_search->text().trimmed();
    auto matches = [&search](const QStringList &texts) {
        for (const QString &text : texts)
            if (text.contains(search, Qt::CaseInsensitive))
                return true;
        return false;
    };
    // A heading row spanning the columns; not selectable, so Enter and Call
    // back always act on a call or a contact.
    auto heading = [this](const QString &title) {
        auto *item = new QTreeWidgetItem(m_list);
        item->setText(0, title);
        item->setFlags(Qt::ItemIsEnabled);
        QFont f = item->font(0);
        f.setBold(true);
        item->setFont(0, f);
        item->setFirstColumnSpanned(true);
        item->setExpanded(true);
        return item;
    };
    if (!search.isEmpty()) {
        QTreeWidgetItem *contacts = nullptr;
        for (const storage::Contact &c : std::as_const(m_contacts)) {
            if (!matches({c.userId, c.displayName}))
                continue;
            if (!contacts)
                contacts = heading(tr("Contacts"));
            auto *item = new QTreeWidgetItem(contacts);
            item->setText(0, tr("Contact"));
            item->setText(1, c.displayName == c.userId
                                 ? c.userId
                                 : tr("%1 (%2)").arg(c.displayName, c.userId));
            decorate(item, c.userId, c.displayName);
            item->setData(0, Qt::UserRole, c.userId);
            item->setData(0, Qt::AccessibleTextRole, tr("Contact %1").arg(item->text(1)));
        }
    }
    const QColor accent = missedAccent(palette());
    const QLocale locale;
    const QDate today = QDate::currentDate();
    QTreeWidgetItem *day = nullptr;
    QDate dayShown;
    for (const storage::CallRecord &r : std::as_const(m_records)) {
        QString kind;
        if (r.outgoing)
            kind = tr("Outgoing");
        else if (r.missed)
            kind = tr("Missed");
        else
            kind = tr("Incoming");
        QString details;
        if (r.durationMs > 0)
            details = CallText::duration(r.durationMs);
        else
            details = CallText::endCause(r.endCause, r.outgoing);
        if (!r.subject.isEmpty())
            details += QStringLiteral(" - ") + tr("Subject: %1").arg(r.subject);
        if (!search.isEmpty() && !matches({r.remoteUser, nameOf(r.remoteUser), kind, details}))
            continue;
        const QDateTime started = r.startedAt.toLocalTime();
        if (!day || started.date() != dayShown) {
            dayShown = started.date();
            day = heading(dayTitle(dayShown, today));
        }
        auto *item = new QTreeWidgetItem(day);
        m_calls.append(item);
        item->setText(0, kind);
        item->setText(1, r.remoteUser);
        decorate(item, r.remoteUser, nameOf(r.remoteUser));
        item->setText(2, dayShown == today || dayShown == today.addDays(-1)
                             ? locale.toString(started.time(), QLocale::ShortFormat)
                             : locale.toString(started, QLocale::ShortFormat));
        item->setText(3, details);
        item->setData(0, Qt::UserRole, r.remoteUser);
        item->setData(
            0, Qt::AccessibleTextRole,
            tr("%1 call, %2, %3, %4")
                .arg(kind, r.remoteUser, locale.toString(started, QLocale::ShortFormat), details));
        if (r.missed) {
            QFont f = item->font(0);
            f.setBold(!r.seen);
            for (int c = 0; c < 4; ++c) {
                item->setForeground(c, accent);
                item->setFont(c, f);
            }
        }
    }
    m_list->expandAll();
    // Current (for Enter and Call back) but not selected, so the missed accent
    // stays visible: the first contact found, else the newest call.
    QTreeWidgetItem *first = m_list->topLevelItemCount() > 0 ? m_list->topLevelItem(0) : nullptr;
    if (first && first->childCount() > 0)
        m_list->setCurrentItem(first->child(0), 0, QItemSelectionModel::NoUpdate);
}

int HistoryPage::rowCount() const
{
    return int(m_calls.size());
}

QTreeWidgetItem *HistoryPage::callItem(int row) const
{
    return m_calls.value(row);
}

void HistoryPage::callBackCurrent()
{
    const QTreeWidgetItem *item = m_list->currentItem();
    const QString user = item ? item->data(0, Qt::UserRole).toString() : QString();
    if (!user.isEmpty()) // a day heading calls nobody
        emit callBackRequested(user);
}

} // namespace softphone::ui
