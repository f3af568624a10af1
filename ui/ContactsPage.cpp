#include "ContactsPage.h"

#include "Avatar.h"
#include "Theme.h"

#include "client/Presence.h"
#include "storage/ContactBook.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace softphone::ui {

ContactsPage::ContactsPage(storage::ContactBook &book, QWidget *parent)
    : QWidget(parent)
    , m_book(book)
    , m_list(new QListWidget(this))
    , m_userId(new QLineEdit(this))
    , m_name(new QLineEdit(this))
    , m_save(new QPushButton(tr("&Save contact"), this))
    , m_remove(new QPushButton(tr("&Remove"), this))
    , m_call(new QPushButton(theme::svgIcon(QStringLiteral(":/ui/call.svg")), tr("Ca&ll"), this))
    , m_message(new QLabel(this))
{
    setObjectName(QStringLiteral("contactsPage"));
    setAccessibleName(tr("Contacts"));
    m_list->setObjectName(QStringLiteral("contactList"));
    m_list->setAccessibleName(tr("Contact list"));
    m_userId->setObjectName(QStringLiteral("contactUserId"));
    m_userId->setAccessibleName(tr("Contact user name"));
    m_name->setObjectName(QStringLiteral("contactName"));
    m_name->setAccessibleName(tr("Contact display name"));
    m_save->setObjectName(QStringLiteral("saveContactButton"));
    m_save->setAccessibleName(tr("Save contact"));
    m_remove->setObjectName(QStringLiteral("removeContactButton"));
    m_remove->setAccessibleName(tr("Remove contact"));
    m_call->setObjectName(QStringLiteral("callContactButton"));
    m_call->setAccessibleName(tr("Call contact"));
    m_message->setAccessibleName(tr("Contacts status"));

    auto *form = new QFormLayout;
    auto *userLabel = new QLabel(tr("User &name:"), this);
    userLabel->setBuddy(m_userId);
    auto *nameLabel = new QLabel(tr("&Display name:"), this);
    nameLabel->setBuddy(m_name);
    form->addRow(userLabel, m_userId);
    form->addRow(nameLabel, m_name);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_save);
    buttons->addWidget(m_remove);
    buttons->addStretch();
    buttons->addWidget(m_call);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_list, 1);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(m_message);

    connect(m_save, &QPushButton::clicked, this, &ContactsPage::save);
    connect(m_name, &QLineEdit::returnPressed, this, &ContactsPage::save);
    connect(m_remove, &QPushButton::clicked, this, &ContactsPage::removeCurrent);
    connect(m_call, &QPushButton::clicked, this, [this] {
        if (!currentUser().isEmpty())
            emit callRequested(currentUser());
    });
    connect(m_list, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        emit callRequested(item->data(Qt::UserRole).toString());
    });
    connect(m_list, &QListWidget::currentItemChanged, this, [this](QListWidgetItem *item) {
        m_remove->setEnabled(item);
        m_call->setEnabled(item);
        if (item) {
            m_userId->setText(item->data(Qt::UserRole).toString());
            m_name->setText(item->data(Qt::UserRole + 1).toString());
        }
    });
    connect(&m_book, &storage::ContactBook::changed, this, &ContactsPage::reload);
    reload();
}

void ContactsPage::reload()
{
    const QString keep = currentUser();
    m_list->clear();
    for (const storage::Contact &c : m_book.all()) {
        auto *item = new QListWidgetItem(
            c.displayName == c.userId ? c.userId : tr("%1 (%2)").arg(c.displayName, c.userId),
            m_list);
        item->setData(Qt::UserRole, c.userId);
        item->setData(Qt::UserRole + 1, c.displayName);
        if (c.userId == keep)
            m_list->setCurrentItem(item);
        avatar::decorate(item, c.userId, c.displayName,
                         m_presence ? m_presence->status(c.userId) : std::nullopt);
    }
    m_remove->setEnabled(m_list->currentItem());
    m_call->setEnabled(m_list->currentItem());
}

void ContactsPage::setPresence(client::Presence *presence)
{
    m_presence = presence;
    for (int i = 0; i < m_list->count(); ++i)
        showPresence(m_list->item(i)->data(Qt::UserRole).toString());
}

void ContactsPage::showPresence(const QString &user)
{
    for (int i = 0; i < m_list->count(); ++i) {
        QListWidgetItem *item = m_list->item(i);
        if (item->data(Qt::UserRole).toString() == user)
            avatar::decorate(item, user, item->data(Qt::UserRole + 1).toString(),
                             m_presence ? m_presence->status(user) : std::nullopt);
    }
}

void ContactsPage::save()
{
    if (m_userId->text().trimmed().isEmpty()) {
        m_message->setText(tr("Enter the contact's user name."));
        m_userId->setFocus();
        return;
    }
    if (!m_book.save(m_userId->text(), m_name->text())) {
        m_message->setText(tr("The contact could not be saved."));
        return;
    }
    m_message->setText(tr("Saved %1.").arg(m_userId->text().trimmed()));
}

void ContactsPage::removeCurrent()
{
    const QString user = currentUser();
    if (!user.isEmpty() && m_book.remove(user))
        m_message->setText(tr("Removed %1.").arg(user));
}

QString ContactsPage::currentUser() const
{
    QListWidgetItem *item = m_list->currentItem();
    return item ? item->data(Qt::UserRole).toString() : QString();
}

} // namespace softphone::ui
