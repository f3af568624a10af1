#pragma once
// The local contact list the user edits: add or rename (user id + name),
// remove, call. Each contact's avatar shows their presence while the client
// watches them (setPresence).

#include <QPointer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace softphone::client {
class Presence;
}
namespace softphone::storage {
class ContactBook;
}

namespace softphone::ui {

class ContactsPage : public QWidget
{
    Q_OBJECT

public:
    explicit ContactsPage(storage::ContactBook &book, QWidget *parent = nullptr);

    // The statuses to show (the signed-in client's); nullptr: none, no dots.
    void setPresence(client::Presence *presence);
    // The user's status changed (MainWindow forwards client::Presence::statusChanged).
    void showPresence(const QString &user);

signals:
    void callRequested(const QString &user);

private:
    void reload();
    void save();
    void removeCurrent();
    QString currentUser() const;

    storage::ContactBook &m_book;
    QListWidget *m_list;
    QLineEdit *m_userId;
    QLineEdit *m_name;
    QPushButton *m_save;
    QPushButton *m_remove;
    QPushButton *m_call;
    QLabel *m_message;
    QPointer<client::Presence> m_presence;
};

} // namespace softphone::ui
