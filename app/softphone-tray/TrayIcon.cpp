#include "TrayIcon.h"

#include "TrayIconEngine.h"
#include "TrayLogging.h"

#include <QAction>
#include <QGuiApplication>
#include <QIcon>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenu>
#include <QSystemTrayIcon>
#include <cstdio>

namespace softphone::tray {

TrayIcon::TrayIcon(bool reportState, QObject *parent)
    : QObject(parent)
    , m_reportState(reportState)
{
    m_menu = new QMenu;
    QAction *open = m_menu->addAction(tr("&Open softphone"));
    connect(open, &QAction::triggered, this, &TrayIcon::openRequested);
    m_call = m_menu->addAction(tr("&Call…"));
    connect(m_call, &QAction::triggered, this, &TrayIcon::callRequested);
    m_dnd = m_menu->addAction(tr("Do not &disturb"));
    m_dnd->setCheckable(true);
    connect(m_dnd, &QAction::toggled, this, [this](bool on) {
        if (on != m_doNotDisturb)
            emit doNotDisturbToggled(on);
    });
    m_menu->addSeparator();
    m_signIn = m_menu->addAction(tr("Sign &in…"));
    connect(m_signIn, &QAction::triggered, this, &TrayIcon::signInRequested);
    m_signOut = m_menu->addAction(tr("Sig&n out"));
    connect(m_signOut, &QAction::triggered, this, &TrayIcon::signOutRequested);
    m_menu->addSeparator();
    QAction *quit = m_menu->addAction(tr("&Quit"));
    connect(quit, &QAction::triggered, this, &TrayIcon::quitRequested);

    // On X11 Qt embeds the icon as soon as a tray host appears, even one that
    // starts after us (a panel late at login); elsewhere only an existing tray counts.
    if (QSystemTrayIcon::isSystemTrayAvailable() ||
        QGuiApplication::platformName() == QLatin1String("xcb")) {
        m_icon = new QSystemTrayIcon(this);
        m_icon->setContextMenu(m_menu);
        connect(m_icon, &QSystemTrayIcon::activated, this,
                [this](QSystemTrayIcon::ActivationReason reason) {
                    if (reason == QSystemTrayIcon::Trigger ||
                        reason == QSystemTrayIcon::DoubleClick)
                        emit openRequested();
                });
    }
    if (isHeadless())
        qCInfo(lcTray) << "no system tray available: running headless";
    refresh();
    if (m_icon)
        m_icon->show();
}

TrayIcon::~TrayIcon()
{
    delete m_menu;
}

bool TrayIcon::isHeadless() const
{
    return !m_icon || !QSystemTrayIcon::isSystemTrayAvailable();
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

void TrayIcon::refresh()
{
    const bool signedIn = m_state != State::SignedOut;
    m_signIn->setVisible(!signedIn);
    m_signOut->setVisible(signedIn);
    m_call->setEnabled(signedIn);
    {
        const QSignalBlocker block(m_dnd);
        m_dnd->setChecked(m_doNotDisturb);
    }
    const QString name = iconName();
    if (m_icon) {
        const QString shown = name + QLatin1Char('/') + TrayIconEngine::badgeText(m_missed);
        if (shown != m_shownIcon) {
            m_shownIcon = shown;
            m_icon->setIcon(
                QIcon(new TrayIconEngine(QStringLiteral(":/tray/%1.svg").arg(name), m_missed)));
        }
        m_icon->setToolTip(toolTip());
    }
    const QJsonObject line{{QStringLiteral("event"), QStringLiteral("state")},
                           {QStringLiteral("state"), stateName(m_state)},
                           {QStringLiteral("reason"), m_reason},
                           {QStringLiteral("doNotDisturb"), m_doNotDisturb},
                           {QStringLiteral("icon"), name},
                           {QStringLiteral("missedCalls"), m_missed},
                           {QStringLiteral("toolTip"), toolTip()}};
    const QString text = QString::fromUtf8(QJsonDocument(line).toJson(QJsonDocument::Compact));
    if (text == m_reported)
        return;
    m_reported = text;
    qCInfo(lcTray).noquote() << "state:" << toolTip();
    if (m_reportState) {
        std::fputs(qPrintable(text + QLatin1Char('\n')), stdout);
        std::fflush(stdout);
    }
}

} // namespace softphone::tray
