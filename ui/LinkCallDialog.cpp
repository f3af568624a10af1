#include "LinkCallDialog.h"

#include <QPushButton>

namespace softphone::ui {

LinkCallDialog::LinkCallDialog(const QString &target, QWidget *parent)
    : QMessageBox(parent)
    , m_target(target)
{
    setObjectName(QStringLiteral("linkCallDialog"));
    setIcon(QMessageBox::Question);
    setWindowTitle(tr("Call from a link"));
    // Plain text: the number is the link's, and a link may hold markup.
    setTextFormat(Qt::PlainText);
    setText(tr("A link asks to call %1.\n\nCall %1 now?").arg(target));
    QPushButton *call = addButton(tr("&Call"), QMessageBox::AcceptRole);
    call->setObjectName(QStringLiteral("linkCallButton"));
    call->setAccessibleName(tr("Call %1").arg(target));
    QPushButton *cancel = addButton(QMessageBox::Cancel);
    cancel->setObjectName(QStringLiteral("linkCancelButton"));
    setDefaultButton(call);
    setEscapeButton(cancel);
    setAttribute(Qt::WA_DeleteOnClose);
    connect(this, &QMessageBox::buttonClicked, this, [this, call](QAbstractButton *button) {
        if (button == call)
            emit callConfirmed(m_target);
    });
}

} // namespace softphone::ui
