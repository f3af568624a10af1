#include "DialerPage.h"

#include "Avatar.h"
#include "Keypad.h"
#include "Theme.h"

#include "client/Presence.h"

#include <QCompleter>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStandardItemModel>
#include <QVBoxLayout>

namespace softphone::ui {

DialerPage::DialerPage(QWidget *parent)
    : QWidget(parent)
    , m_target(new QLineEdit(this))
    , m_call(new QPushButton(theme::svgIcon(QStringLiteral(":/ui/call.svg")), tr("&Call"), this))
    , m_hint(new QLabel(this))
    , m_completions(new QStandardItemModel(this))
    , m_completer(new QCompleter(m_completions, this))
{
    setObjectName(QStringLiteral("dialerPage"));
    setAccessibleName(tr("Dialer"));
    m_target->setObjectName(QStringLiteral("dialTarget"));
    m_target->setAccessibleName(tr("User to call"));
    m_target->setPlaceholderText(tr("User name"));
    m_target->setClearButtonEnabled(true);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setFilterMode(Qt::MatchContains);
    m_target->setCompleter(m_completer);
    QFont big = m_target->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    m_target->setFont(big);

    m_call->setObjectName(QStringLiteral("callButton"));
    m_call->setAccessibleName(tr("Call"));
    m_call->setIconSize(QSize(22, 22));
    m_hint->setObjectName(QStringLiteral("dialerHint"));
    m_hint->setAccessibleName(tr("Dialer status"));
    m_hint->setWordWrap(true);

    auto *keypad = new Keypad(this);
    connect(keypad, &Keypad::keyPressed, this, [this](const QString &key) {
        m_target->insert(key);
        m_target->setFocus();
    });

    auto *row = new QHBoxLayout;
    row->addWidget(m_target, 1);
    row->addWidget(m_call);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(m_hint);
    layout->addWidget(keypad, 0, Qt::AlignHCenter);
    layout->addStretch();

    connect(m_call, &QPushButton::clicked, this, &DialerPage::dial);
    connect(m_target, &QLineEdit::returnPressed, this, &DialerPage::dial);
    setCallingAvailable(false);
}

void DialerPage::setCompletions(const QStringList &users)
{
    QStringList unique;
    for (const QString &u : users) {
        if (!u.isEmpty() && !unique.contains(u))
            unique.append(u);
    }
    m_completions->clear();
    for (const QString &user : std::as_const(unique)) {
        auto *item = new QStandardItem(user);
        item->setEditable(false);
        avatar::decorate(item, user, user, m_presence ? m_presence->status(user) : std::nullopt);
        m_completions->appendRow(item);
    }
}

void DialerPage::setPresence(client::Presence *presence)
{
    m_presence = presence;
    for (int row = 0; row < m_completions->rowCount(); ++row)
        showPresence(m_completions->item(row)->text());
}

void DialerPage::showPresence(const QString &user)
{
    const QList<QStandardItem *> items = m_completions->findItems(user, Qt::MatchExactly);
    for (QStandardItem *item : items)
        avatar::decorate(item, user, user, m_presence ? m_presence->status(user) : std::nullopt);
}

void DialerPage::setTarget(const QString &user)
{
    m_target->setText(user);
}
QString DialerPage::target() const
{
    return m_target->text().trimmed();
}
void DialerPage::focusTarget()
{
    m_target->setFocus();
}

void DialerPage::setCallingAvailable(bool available, const QString &reason)
{
    m_available = available;
    m_call->setEnabled(available);
    m_hint->setText(available ? QString() : reason);
}

void DialerPage::dial()
{
    const QString user = target();
    if (user.isEmpty()) {
        m_hint->setText(tr("Type the user name to call."));
        return;
    }
    if (!m_available)
        return; // the hint already says why
    emit dialRequested(user);
}

} // namespace softphone::ui
