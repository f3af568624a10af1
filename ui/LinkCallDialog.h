#pragma once
// The question before a call that a link asked for: a softphone: or tel: link
// clicked in another program (the .desktop MimeType handler, the command line,
// a second launch through the instance socket) is anybody's text, so it never
// dials by itself. The dialog names the number; Enter calls (the default
// button), Esc cancels. The Settings page can turn the question off.

#include <QMessageBox>

namespace softphone::ui {

class LinkCallDialog : public QMessageBox
{
    Q_OBJECT

public:
    LinkCallDialog(const QString &target, QWidget *parent = nullptr);
    QString target() const { return m_target; }

signals:
    // The user chose Call (Enter); Esc or closing the dialog says nothing.
    void callConfirmed(const QString &target);

private:
    QString m_target;
};

} // namespace softphone::ui
