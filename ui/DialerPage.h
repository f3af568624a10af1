#pragma once
// The dialer: a user field completed from contacts and history, a keypad and
// the Call button. Enter calls.

#include <QWidget>

class QCompleter;
class QLabel;
class QLineEdit;
class QPushButton;
class QStringListModel;

namespace softphone::ui {

class DialerPage : public QWidget
{
    Q_OBJECT

public:
    explicit DialerPage(QWidget *parent = nullptr);

    // Names offered by the completer (contacts first, then history).
    void setCompletions(const QStringList &users);
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
    QStringListModel *m_completions;
    QCompleter *m_completer;
    bool m_available = false;
};

} // namespace softphone::ui
