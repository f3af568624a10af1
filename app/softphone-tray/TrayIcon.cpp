#include "TrayIcon.h"

#include "TrayLogging.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <cstdio>

namespace softphone::tray {

TrayIcon::TrayIcon(bool reportState, std::unique_ptr<TrayFace> face, QObject *parent)
    : QObject(parent)
    , m_reportState(reportState)
    , m_face(std::move(face))
{
    if (m_face)
        m_face->chosen = [this](TrayAction action, bool checked) { onChosen(action, checked); };
    refresh();
    if (isHeadless())
        qCInfo(lcTray) << "no system tray shows the icon yet: headless until one does";
}

TrayIcon::~TrayIcon()
{
    if (m_face)
        m_face->chosen = nullptr;
}

void TrayIcon::onChosen(TrayAction action, bool checked)
{
    switch (action) {
    case TrayAction::Open:
        emit openRequested();
        break;
    case TrayAction::Call:
        emit callRequested();
        break;
    case TrayAction::DoNotDisturb:
        if (checked != m_doNotDisturb)
            emit doNotDisturbToggled(checked);
        break;
    case TrayAction::SignIn:
        emit signInRequested();
        break;
    case TrayAction::SignOut:
        emit signOutRequested();
        break;
    case TrayAction::Quit:
        emit quitRequested();
        break;
    }
}

bool TrayIcon::showMessage(const QString &title, const QString &body)
{
    return m_face && m_face->isShown() && m_face->showMessage(title, body);
}

QString TrayIcon::stateName(State state)
{
    switch (state) {
    case State::SignedOut:
        return QStringLiteral("signed_out");
    case State::Connecting:
        return QStringLiteral("connecting");
    case State::Online:
        return QStringLiteral("online");
    case State::Offline:
        return QStringLiteral("offline");
    case State::PushFailed:
        return QStringLiteral("push_failed");
    }
    return {};
}

QString TrayIcon::badgeText(int missedCalls)
{
    if (missedCalls <= 0)
        return {};
    return missedCalls > 9 ? QStringLiteral("9+") : QString::number(missedCalls);
}

QString TrayIcon::badgeIconName(int missedCalls)
{
    // The icon of the badge's text: softphone-tray-badge-1 ... -9, -9plus.
    const QString text = badgeText(missedCalls);
    if (text.isEmpty())
        return {};
    return QStringLiteral("softphone-tray-badge-") +
           QString(text).replace(QLatin1Char('+'), QStringLiteral("plus"));
}

void TrayIcon::setState(State state, const QString &reason)
{
    m_state = state;
    m_reason = reason;
    refresh();
}

void TrayIcon::setDoNotDisturb(bool on)
{
    m_doNotDisturb = on;
    refresh();
}

void TrayIcon::setCounts(int missedCalls, int unreadMessages)
{
    m_missed = missedCalls;
    m_unread = unreadMessages;
    refresh();
}

QString TrayIcon::toolTip() const
{
    QString text;
    switch (m_state) {
    case State::SignedOut:
        text = tr("Softphone: signed out");
        break;
    case State::Connecting:
        text = tr("Softphone: connecting…");
        break;
    case State::Online:
        text = m_doNotDisturb ? tr("Softphone: do not disturb") : tr("Softphone: online");
        break;
    case State::Offline:
        text = tr("Softphone: offline");
        break;
    case State::PushFailed:
        text = tr("Softphone: push not working");
        break;
    }
    // Why it is not online, in the words of whoever said so.
    if (!m_reason.isEmpty() && m_state != State::Online)
        text += QLatin1Char('\n') + m_reason;
    if (m_doNotDisturb && m_state != State::Online)
        text += QLatin1Char('\n') + tr("Do not disturb is on");
    if (m_missed > 0)
        text += QLatin1Char('\n') + tr("%n missed call(s)", nullptr, m_missed);
    if (m_unread > 0)
        text += QLatin1Char('\n') + tr("%n unread message(s)", nullptr, m_unread);
    return text;
}

QString TrayIcon::iconName() const
{
    QString name;
    switch (m_state) {
    case State::Online:
        name = m_doNotDisturb ? QStringLiteral("dnd") : QStringLiteral("online");
        break;
    case State::Connecting:
        name = QStringLiteral("connecting");
        break;
    case State::PushFailed:
        name = QStringLiteral("push-failed");
        break;
    case State::SignedOut:
    case State::Offline:
        name = QStringLiteral("offline");
        break;
    }
    return QStringLiteral("softphone-tray-") + name;
}

TrayView TrayIcon::view() const
{
    const bool signedIn = m_state != State::SignedOut;
    TrayView view;
    view.iconName = iconName();
    view.badge = badgeText(m_missed);
    view.badgeIcon = badgeIconName(m_missed);
    view.toolTip = toolTip();
    TrayMenuEntry dnd{TrayAction::DoNotDisturb, tr("Do not &disturb")};
    dnd.checkable = true;
    dnd.checked = m_doNotDisturb;
    TrayMenuEntry signIn{TrayAction::SignIn, tr("Sign &in…")};
    signIn.visible = !signedIn;
    TrayMenuEntry signOut{TrayAction::SignOut, tr("Sig&n out")};
    signOut.visible = signedIn;
    TrayMenuEntry call{TrayAction::Call, tr("&Call…")};
    call.enabled = signedIn;
    view.menu = {{TrayAction::Open, tr("&Open softphone")},
                 call,
                 dnd,
                 {},
                 signIn,
                 signOut,
                 {},
                 {TrayAction::Quit, tr("&Quit")}};
    return view;
}

void TrayIcon::refresh()
{
    const TrayView shown = view();
    if (m_face)
        m_face->show(shown);
    const QJsonObject line{{QStringLiteral("event"), QStringLiteral("state")},
                           {QStringLiteral("state"), stateName(m_state)},
                           {QStringLiteral("reason"), m_reason},
                           {QStringLiteral("doNotDisturb"), m_doNotDisturb},
                           {QStringLiteral("icon"), shown.iconName},
                           {QStringLiteral("missedCalls"), m_missed},
                           {QStringLiteral("toolTip"), shown.toolTip}};
    const QString text = QString::fromUtf8(QJsonDocument(line).toJson(QJsonDocument::Compact));
    if (text == m_reported)
        return;
    m_reported = text;
    qCInfo(lcTray).noquote() << "state:" << shown.toolTip;
    if (m_reportState) {
        std::fputs(qPrintable(text + QLatin1Char('\n')), stdout);
        std::fflush(stdout);
    }
}

} // namespace softphone::tray
