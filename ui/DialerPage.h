#pragma once
// The dialer: a user field completed from contacts and history (each with
// its avatar and, for watched contacts, presence), a keypad and the Call
// button. Enter calls.

#include <QPointer>
#include <QWidget>

class QCompleter;
class QLabel;
class QLineEdit;
class QPushButton;
class QStandardItemModel;

namespace softphone::client {
class Presence;
}

namespace softphone::ui {

class DialerPage : public QWidget
{
    Q_OBJECT

public:
    explicit DialerPage(QWidget *parent = nullptr);

    // Names offered by the completer (contacts first, then history).
    void setCompletions(const QStringList &users);
    // The statuses shown in the completion (the signed-in client's); nullptr: none.
    void setPresence(client::Presence *presence);
    // The user's status changed (MainWindow forwards client::Presence::statusChanged).
    void showPresence(const QString &user);
    QCompleter *completer() const { return m_completer; }
    void setTarget(const QString &user);
    QString target() const;
    // Calls are possible only while connected; the reason shows otherwise.
    void setCallingAvailable(bool available, const QString &reason = {});
    void focusTarget();

signals:
    void dialRequested(const QString &user);

private:
    void dial();

    QLineEdit *m_target;
    QPushButton *m_call;
    QLabel *m_hint;
    QStandardItemModel *m_completions;
    QCompleter *m_completer;
    bool m_available = false;
    QPointer<client::Presence> m_presence;
};

} // namespace softphone::ui
