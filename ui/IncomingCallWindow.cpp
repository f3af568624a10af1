#include "IncomingCallWindow.h"

#include "CallText.h"
#include "PresenceFace.h"
#include "Theme.h"

#include <QCloseEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QIcon>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

namespace softphone::ui {

IncomingCallWindow::IncomingCallWindow(client::Call *call, QWidget *parent)
    : QWidget(parent, Qt::Window | Qt::WindowStaysOnTopHint)
    , m_call(call)
    , m_status(new QLabel(tr("Incoming call"), this))
    , m_answer(
          new QPushButton(theme::svgIcon(QStringLiteral(":/ui/call.svg")), tr("&Answer"), this))
    , m_decline(
          new QPushButton(theme::svgIcon(QStringLiteral(":/ui/hangup.svg")), tr("&Decline"), this))
    , m_endAnswer(new QPushButton(tr("&End and answer"), this))
{
    setObjectName(QStringLiteral("incomingCallWindow"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("Incoming call from %1").arg(call->remoteUserId()));
    setAccessibleName(windowTitle());
    setWindowIcon(QIcon(QStringLiteral(":/icons/softphone.svg")));

    m_face = new PresenceFace(call->remoteUserId(), 64, this);
    m_face->setObjectName(QStringLiteral("callerAvatar"));
    m_face->setAccessibleName(tr("Caller's picture"));
    auto *caller = new QLabel(call->remoteUserId(), this);
    caller->setObjectName(QStringLiteral("incomingCaller"));
    caller->setAccessibleName(tr("Caller"));
    QFont big = caller->font();
    big.setPointSizeF(big.pointSizeF() * 1.8);
    big.setBold(true);
    caller->setFont(big);
    caller->setAlignment(Qt::AlignCenter);
    m_status->setObjectName(QStringLiteral("incomingStatus"));
    m_status->setAccessibleName(tr("Call status"));
    m_status->setAlignment(Qt::AlignCenter);

    // The headers the caller sent, subject first: they tell the user what the call is about.
    auto *headers = new QFormLayout;
    const protocol::Headers sent = call->headers();
    QStringList keys = sent.keys();
    keys.sort();
    if (keys.removeOne(QStringLiteral("subject")))
        keys.prepend(QStringLiteral("subject"));
    for (const QString &key : keys) {
        auto *value = new QLabel(sent.value(key), this);
        value->setObjectName(QStringLiteral("header_") + key);
        value->setWordWrap(true);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        const QString label =
            key == QLatin1String("subject") ? tr("Subject:") : key + QLatin1Char(':');
        value->setAccessibleName(label);
        headers->addRow(label, value);
    }

    m_answer->setObjectName(QStringLiteral("answerButton"));
    m_answer->setAccessibleName(tr("Answer"));
    m_answer->setToolTip(tr("Answer (Enter)"));
    m_decline->setObjectName(QStringLiteral("declineButton"));
    m_decline->setAccessibleName(tr("Decline"));
    m_decline->setToolTip(tr("Decline (Esc)"));
    m_answer->setAutoDefault(false);
    m_decline->setAutoDefault(false);
    m_endAnswer->setObjectName(QStringLiteral("endAnswerButton"));
    m_endAnswer->setAccessibleName(tr("End the current call and answer"));
    m_endAnswer->setAutoDefault(false);
    m_endAnswer->setVisible(false);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_decline);
    buttons->addStretch();
    buttons->addWidget(m_endAnswer);
    buttons->addWidget(m_answer);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_face);
    layout->addWidget(caller);
    layout->addLayout(headers);
    layout->addStretch();
    layout->addLayout(buttons);
    setMinimumSize(340, 200);

    connect(m_answer, &QPushButton::clicked, this, &IncomingCallWindow::answer);
    connect(m_decline, &QPushButton::clicked, this, &IncomingCallWindow::decline);
    connect(m_endAnswer, &QPushButton::clicked, this, &IncomingCallWindow::endAndAnswer);
    connect(call, &client::Call::stateChanged, this, &IncomingCallWindow::updateState);
    m_answer->setFocus();
}

QString IncomingCallWindow::statusText() const
{
    return m_status->text();
}

void IncomingCallWindow::present()
{
    // Qt then sets _NET_WM_USER_TIME 0 on X11, so window managers map it
    // without focusing it; never activateWindow() here.
    setAttribute(Qt::WA_ShowWithoutActivating);
    show();
    setWindowState(windowState() & ~Qt::WindowMinimized);
    raise();
    m_answer->setFocus();
}

void IncomingCallWindow::setCallWaiting(bool waiting)
{
    m_waiting = waiting;
    m_answer->setText(waiting ? tr("&Hold and answer") : tr("&Answer"));
    m_answer->setAccessibleName(waiting ? tr("Hold the current call and answer") : tr("Answer"));
    m_endAnswer->setVisible(waiting);
    m_status->setText(waiting ? tr("Call waiting") : tr("Incoming call"));
}

void IncomingCallWindow::answer()
{
    answerEnding(false);
}

void IncomingCallWindow::endAndAnswer()
{
    answerEnding(true);
}

void IncomingCallWindow::answerEnding(bool endOthers)
{
    if (m_done || !m_call || m_call->state() != client::CallState::Initiating)
        return;
    m_done = true;
    emit answering(m_call, endOthers);
    m_call->answer();
    emit answered(m_call);
    close();
}

void IncomingCallWindow::decline()
{
    if (m_done || !m_call)
        return;
    m_done = true;
    m_call->hangup();
    close();
}

void IncomingCallWindow::updateState()
{
    if (!m_call || m_call->state() != client::CallState::Ended || m_done)
        return;
    // Ended before we answered: the caller gave up, another device answered,
    // or the ring timed out. Say which, then get out of the way.
    m_done = true;
    m_status->setText(CallText::endCause(m_call->details(), false));
    m_answer->setEnabled(false);
    m_decline->setEnabled(false);
    m_endAnswer->setEnabled(false);
    QTimer::singleShot(m_linger, this, &QWidget::close);
}

void IncomingCallWindow::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Return:
    case Qt::Key_Enter:
        answer();
        return;
    case Qt::Key_Escape:
        if (m_done)
            close();
        else
            decline();
        return;
    default:
        QWidget::keyPressEvent(event);
    }
}

void IncomingCallWindow::closeEvent(QCloseEvent *event)
{
    // Closing the window without choosing declines: the caller should not ring on.
    if (!m_done && m_call && m_call->state() == client::CallState::Initiating)
        m_call->hangup();
    m_done = true;
    emit finished();
    event->accept();
}

void IncomingCallWindow::setPresence(client::Presence *presence)
{
    m_face->setPresence(presence);
}

} // namespace softphone::ui
