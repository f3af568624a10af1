#include "CallWindow.h"

#include "Avatar.h"
#include "CallText.h"
#include "Keypad.h"
#include "PresenceFace.h"
#include "QualityBars.h"
#include "Theme.h"

#include <QCloseEvent>
#include <QHBoxLayout>
#include <QIcon>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace softphone::ui {

using client::CallState;

namespace {
constexpr int kFaceSize = 48; // the remote's avatar, logical pixels
// The last digits sent and received shown, as on a phone's display.
constexpr int kDigitsShown = 24;
} // namespace

CallWindow::CallWindow(client::Call *call, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_call(call)
    , m_outgoing(call->direction() == client::CallDirection::Outgoing)
    , m_remote(new QLabel(call->remoteUserId(), this))
    , m_subject(new QLabel(this))
    , m_status(new QLabel(this))
    , m_mute(
          new QPushButton(theme::svgIcon(QStringLiteral(":/ui/mute.svg"), true), tr("&Mute"), this))
    , m_microphoneOff(new QWidget(this))
    , m_keypadToggle(new QPushButton(tr("&Keypad"), this))
    , m_hold(new QPushButton(tr("H&old"), this))
    , m_holdStatus(new QLabel(this))
    , m_transferTarget(new QLineEdit(this))
    , m_transfer(new QPushButton(tr("&Transfer"), this))
    , m_attendedTransfer(new QPushButton(this))
    , m_transferStatus(new QLabel(this))
    , m_face(new PresenceFace(call->remoteUserId(), kFaceSize, this))
    , m_hangup(
          new QPushButton(theme::svgIcon(QStringLiteral(":/ui/hangup.svg")), tr("&Hang up"), this))
    , m_keypad(new Keypad(this))
    , m_digitsSent(new QLabel(this))
    , m_digitsReceived(new QLabel(this))
    , m_quality(new QualityBars(this))
{
    setObjectName(QStringLiteral("callWindow"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("Call with %1").arg(call->remoteUserId()));
    setAccessibleName(windowTitle());
    setWindowIcon(QIcon(QStringLiteral(":/icons/softphone.svg")));

    QFont big = m_remote->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    m_remote->setFont(big);
    m_remote->setObjectName(QStringLiteral("callRemote"));
    m_remote->setAccessibleName(tr("Remote user"));
    m_remote->setAlignment(Qt::AlignCenter);
    const QString subject = call->headers().value(QStringLiteral("subject"));
    m_subject->setText(subject.isEmpty() ? QString() : tr("Subject: %1").arg(subject));
    m_subject->setVisible(!subject.isEmpty());
    m_subject->setAlignment(Qt::AlignCenter);
    m_subject->setAccessibleName(tr("Subject"));
    QFont statusFont = m_status->font();
    statusFont.setPointSizeF(statusFont.pointSizeF() * 1.3);
    m_status->setFont(statusFont);
    m_status->setObjectName(QStringLiteral("callStatus"));
    m_status->setAccessibleName(tr("Call status"));
    m_status->setAlignment(Qt::AlignCenter);

    m_mute->setObjectName(QStringLiteral("muteButton"));
    m_mute->setAccessibleName(tr("Mute microphone"));
    m_mute->setCheckable(true);
    m_mute->setToolTip(tr("Mute the microphone (Alt+M)"));
    m_microphoneOff->setObjectName(QStringLiteral("microphoneOff"));
    m_microphoneOff->setAccessibleName(tr("Microphone off"));
    {
        // A frameless button only to show the icon: drawn at paint time, so it
        // follows the palette and the screen's pixel ratio.
        auto *icon = new QToolButton(m_microphoneOff);
        icon->setObjectName(QStringLiteral("microphoneOffIcon"));
        icon->setAccessibleName(tr("Microphone off"));
        icon->setIcon(theme::svgIcon(QStringLiteral(":/ui/mute.svg"), true));
        icon->setIconSize(QSize(20, 20));
        icon->setAutoRaise(true);
        icon->setFocusPolicy(Qt::NoFocus);
        icon->setAttribute(Qt::WA_TransparentForMouseEvents);
        auto *text = new QLabel(tr("Microphone off"), m_microphoneOff);
        text->setObjectName(QStringLiteral("microphoneOffText"));
        QFont bold = text->font();
        bold.setBold(true);
        text->setFont(bold);
        auto *row = new QHBoxLayout(m_microphoneOff);
        row->setContentsMargins(0, 0, 0, 0);
        row->addWidget(icon);
        row->addWidget(text);
    }
    m_microphoneOff->setVisible(false);
    m_keypadToggle->setObjectName(QStringLiteral("keypadButton"));
    m_keypadToggle->setAccessibleName(tr("Show keypad"));
    m_keypadToggle->setCheckable(true);
    m_hangup->setObjectName(QStringLiteral("hangupButton"));
    m_hangup->setAccessibleName(tr("Hang up"));
    m_hangup->setToolTip(tr("Hang up (Esc)"));
    m_keypad->setVisible(false);
    m_digitsSent->setObjectName(QStringLiteral("digitsSent"));
    m_digitsSent->setAccessibleName(tr("Digits sent"));
    m_digitsSent->setAlignment(Qt::AlignCenter);
    m_digitsSent->setVisible(false);
    m_digitsReceived->setObjectName(QStringLiteral("digitsReceived"));
    m_digitsReceived->setAccessibleName(tr("Digits received"));
    m_digitsReceived->setAlignment(Qt::AlignCenter);
    m_digitsReceived->setTextFormat(Qt::PlainText);
    m_digitsReceived->setVisible(false);
    m_hold->setObjectName(QStringLiteral("holdButton"));
    m_hold->setAccessibleName(tr("Hold or resume the call"));
    m_hold->setEnabled(false);
    m_holdStatus->setObjectName(QStringLiteral("holdStatus"));
    m_holdStatus->setAccessibleName(tr("Hold status"));
    m_holdStatus->setAlignment(Qt::AlignCenter);
    m_holdStatus->setVisible(false);
    m_transferTarget->setObjectName(QStringLiteral("transferTarget"));
    m_transferTarget->setAccessibleName(tr("Transfer to user"));
    m_transferTarget->setPlaceholderText(tr("Transfer to..."));
    m_transfer->setObjectName(QStringLiteral("transferButton"));
    m_transfer->setAccessibleName(tr("Transfer the call"));
    m_transfer->setToolTip(tr("Send the other side to this user and leave the call"));
    m_transferTarget->setEnabled(false);
    m_transfer->setEnabled(false);
    m_attendedTransfer->setObjectName(QStringLiteral("attendedTransferButton"));
    m_attendedTransfer->setAccessibleName(tr("Transfer the held call to this one"));
    m_attendedTransfer->setVisible(false);
    m_transferStatus->setObjectName(QStringLiteral("transferStatus"));
    m_transferStatus->setAccessibleName(tr("Transfer status"));
    m_transferStatus->setAlignment(Qt::AlignCenter);
    m_transferStatus->setVisible(false);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_mute);
    buttons->addWidget(m_keypadToggle);
    buttons->addWidget(m_hold);
    buttons->addStretch();
    buttons->addWidget(m_hangup);
    auto *layout = new QVBoxLayout(this);
    m_face->setObjectName(QStringLiteral("remoteAvatar"));
    m_face->setAccessibleName(tr("Remote user's picture"));
    layout->addWidget(m_face);
    layout->addWidget(m_remote);
    layout->addWidget(m_subject);
    auto *statusRow = new QHBoxLayout;
    statusRow->addStretch();
    statusRow->addWidget(m_status);
    statusRow->addStretch();
    statusRow->addWidget(m_quality, 0, Qt::AlignVCenter);
    layout->addLayout(statusRow);
    layout->addWidget(m_microphoneOff, 0, Qt::AlignHCenter);
    layout->addWidget(m_holdStatus);
    layout->addWidget(m_transferStatus);
    layout->addWidget(m_digitsSent);
    layout->addWidget(m_digitsReceived);
    layout->addWidget(m_keypad, 0, Qt::AlignHCenter);
    layout->addStretch();
    auto *transferRow = new QHBoxLayout;
    transferRow->addWidget(m_transferTarget, 1);
    transferRow->addWidget(m_transfer);
    layout->addLayout(transferRow);
    layout->addWidget(m_attendedTransfer);
    layout->addLayout(buttons);
    layout->addStrut(360); // at least this wide
    // Whatever is shown (the keypad, a warning, the hold status) gets its room:
    // the window grows rather than squeezing the rest.
    layout->setSizeConstraint(QLayout::SetMinimumSize);

    connect(m_hangup, &QPushButton::clicked, this, [this] {
        if (m_call && !m_ended)
            m_call->hangup();
    });
    connect(m_mute, &QPushButton::toggled, this, [this](bool on) {
        if (m_call)
            m_call->setMuted(on);
        showMuted(on);
    });
    connect(m_keypadToggle, &QPushButton::toggled, this, [this](bool on) {
        m_keypad->setVisible(on);
        m_digitsSent->setVisible(on && !m_digitsSent->text().isEmpty());
    });
    connect(m_keypad, &Keypad::keyPressed, this, &CallWindow::pressDigit);
    connect(m_hold, &QPushButton::clicked, this, [this] {
        if (!m_call || m_ended)
            return;
        if (m_call->isHeldByMe()) {
            emit resuming(m_call);
            m_call->resume();
        } else {
            m_call->hold();
        }
    });
    connect(call, &client::Call::holdChanged, this, &CallWindow::updateHold);
    auto transfer = [this] {
        const QString target = m_transferTarget->text().trimmed();
        if (m_call && !m_ended && !target.isEmpty())
            m_call->transfer(target);
    };
    connect(m_transfer, &QPushButton::clicked, this, transfer);
    connect(m_transferTarget, &QLineEdit::returnPressed, this, transfer);
    connect(m_attendedTransfer, &QPushButton::clicked, this, [this] {
        // The held call's party is sent to this call's, whose call it replaces.
        if (m_call && !m_ended && m_heldForTransfer)
            m_heldForTransfer->transfer(m_call->remoteUserId(), m_call->id());
    });
    connect(call, &client::Call::transferFinished, this, &CallWindow::showTransferOutcome);
    connect(call, &client::Call::stateChanged, this, &CallWindow::updateState);
    connect(call, &client::Call::mutedChanged, m_mute, &QPushButton::setChecked);
    connect(call, &client::Call::digitReceived, this, &CallWindow::showDigitReceived);
    connect(call, &client::Call::qualityChanged, this, [this] {
        if (m_call)
            m_quality->setQuality(m_call->quality());
    });
    m_clock.setInterval(1000);
    connect(&m_clock, &QTimer::timeout, this, &CallWindow::tick);
    updateState();
}

void CallWindow::addWarning(QWidget *warning)
{
    auto *column = static_cast<QVBoxLayout *>(layout());
    warning->setParent(this);
    column->insertWidget(column->indexOf(m_holdStatus) + 1, warning);
}

QString CallWindow::statusText() const
{
    return m_status->text();
}

QString CallWindow::transferStatusText() const
{
    return m_transferStatus->text();
}

void CallWindow::setPresence(client::Presence *presence)
{
    m_face->setPresence(presence);
}

void CallWindow::offerAttendedTransfer(client::Call *held)
{
    m_heldForTransfer = held;
    const bool offer = held && m_call && !m_ended;
    if (offer) {
        m_attendedTransfer->setText(
            tr("Transfer %1 to %2").arg(held->remoteUserId(), m_call->remoteUserId()));
        m_attendedTransfer->setAccessibleName(m_attendedTransfer->text());
        m_attendedTransfer->setToolTip(tr("Connect %1 and %2 with each other and leave both calls")
                                           .arg(held->remoteUserId(), m_call->remoteUserId()));
    }
    m_attendedTransfer->setVisible(offer);
}

void CallWindow::showTransferOutcome(bool connected, const QString &cause)
{
    if (!m_call)
        return;
    const QString target = m_call->transferTarget();
    m_transferStatus->setText(
        connected ? tr("%1 is now talking with %2").arg(m_call->remoteUserId(), target)
                  : tr("Transfer to %1 failed (%2)").arg(target, cause));
    m_transferStatus->setVisible(true);
    setAccessibleDescription(m_transferStatus->text());
}

void CallWindow::updateState()
{
    if (!m_call || m_ended)
        return;
    switch (m_call->state()) {
    case CallState::Initiating:
        m_status->setText(m_outgoing ? tr("Calling...") : tr("Connecting..."));
        break;
    case CallState::Progressing:
        m_status->setText(tr("Ringing..."));
        break;
    case CallState::Established:
        m_establishedAt = m_call->details().establishedAt;
        if (!m_establishedAt.isValid())
            m_establishedAt = QDateTime::currentDateTimeUtc();
        tick();
        m_clock.start();
        m_hold->setEnabled(true);
        m_transferTarget->setEnabled(true);
        m_transfer->setEnabled(true);
        break;
    case CallState::Ended: {
        m_ended = true;
        m_clock.stop();
        const client::CallDetails details = m_call->details();
        QString text = CallText::endCause(details, m_outgoing);
        if (details.durationMs > 0)
            text += QStringLiteral(" - ") + CallText::duration(details.durationMs);
        m_status->setText(text);
        m_mute->setEnabled(false);
        m_microphoneOff->setVisible(false);
        m_keypadToggle->setEnabled(false);
        m_hangup->setEnabled(false);
        m_hold->setEnabled(false);
        m_transferTarget->setEnabled(false);
        m_transfer->setEnabled(false);
        m_attendedTransfer->setVisible(false);
        QTimer::singleShot(m_linger, this, &QWidget::close);
        break;
    }
    }
    describe();
}

void CallWindow::showMuted(bool muted)
{
    m_mute->setText(muted ? tr("Un&mute") : tr("&Mute"));
    m_mute->setAccessibleName(muted ? tr("Unmute microphone") : tr("Mute microphone"));
    m_mute->setAccessibleDescription(muted ? tr("Microphone off") : tr("Microphone on"));
    m_mute->setToolTip(muted ? tr("Unmute the microphone (Alt+M)")
                             : tr("Mute the microphone (Alt+M)"));
    m_microphoneOff->setVisible(muted);
    describe();
}

// The window's description for assistive technology: the status, and the microphone when off.
void CallWindow::describe()
{
    setAccessibleDescription(m_mute->isChecked() && !m_ended
                                 ? tr("%1 - Microphone off").arg(m_status->text())
                                 : m_status->text());
}

void CallWindow::updateHold()
{
    if (!m_call)
        return;
    const bool mine = m_call->isHeldByMe();
    const bool theirs = m_call->isHeldByRemote();
    m_hold->setText(mine ? tr("Res&ume") : tr("H&old"));
    QString text;
    if (mine && theirs)
        text = tr("On hold (by both sides)");
    else if (mine)
        text = tr("On hold");
    else if (theirs)
        text = tr("On hold by %1").arg(m_call->remoteUserId());
    m_holdStatus->setText(text);
    m_holdStatus->setVisible(!text.isEmpty());
    setAccessibleDescription(text.isEmpty() ? m_status->text() : text);
}

void CallWindow::tick()
{
    m_status->setText(CallText::duration(m_establishedAt.msecsTo(QDateTime::currentDateTimeUtc())));
}

void CallWindow::pressDigit(const QString &key)
{
    if (!m_call || m_ended || key.size() != 1 || !m_call->sendDigit(key.at(0)))
        return;
    m_digitsSent->setText(QString(m_digitsSent->text() + key).right(kDigitsShown));
    m_digitsSent->setVisible(m_keypad->isVisible());
}

void CallWindow::showDigitReceived(QChar digit)
{
    if (m_ended)
        return;
    m_received = QString(m_received + digit).right(kDigitsShown);
    m_digitsReceived->setText(tr("Received: %1").arg(m_received));
    m_digitsReceived->setAccessibleDescription(m_digitsReceived->text());
    m_digitsReceived->setVisible(true);
}

void CallWindow::keyPressEvent(QKeyEvent *event)
{
    // With the keypad open, typed digits go out as its keys would.
    if (m_keypad->isVisible() && event->text().size() == 1 &&
        QStringLiteral("0123456789*#").contains(event->text())) {
        pressDigit(event->text());
        return;
    }
    if (event->key() == Qt::Key_Escape) {
        if (m_ended)
            close();
        else if (m_call)
            m_call->hangup();
        return;
    }
    QWidget::keyPressEvent(event);
}

void CallWindow::closeEvent(QCloseEvent *event)
{
    // Closing the window of a live call hangs it up: a call without a window
    // would be a call the user cannot see or end.
    if (m_call && !m_ended)
        m_call->hangup();
    emit finished();
    event->accept();
}

} // namespace softphone::ui
