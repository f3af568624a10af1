#pragma once
// The agent's face: a QSystemTrayIcon whose picture (TrayIconEngine: the
// state's SVG plus a badge with the count of missed calls) and tooltip say the
// state, and why it is not online; and its menu: Open softphone, Call…, Do not
// disturb (checkable), Sign in / Sign out, Quit. A left click opens the
// softphone. On X11 the icon appears whenever a tray host does (Qt watches for
// it); with no tray at all (offscreen) the agent runs headless and the same
// state is logged (and reported as JSON lines when asked: --report-state).

#include <QObject>
#include <QString>

class QAction;
class QMenu;
class QSystemTrayIcon;

namespace softphone::tray {

class TrayIcon : public QObject
{
    Q_OBJECT

public:
    // Online: pushes reach this device. Offline: the network or a server
    // cannot be reached. PushFailed: connected, but pushes would not come or
    // could not be handed to the softphone (the reason says which).
    enum class State { SignedOut, Connecting, Online, Offline, PushFailed };
    Q_ENUM(State)

    explicit TrayIcon(bool reportState, QObject *parent = nullptr);
    ~TrayIcon() override;

    void setState(State state, const QString &reason = {});
    void setDoNotDisturb(bool on);
    // missedCalls: unseen missed calls, the badge (cleared when the softphone's
    // history has been looked at).
    void setCounts(int missedCalls, int unreadMessages);

    State state() const { return m_state; }
    QString reason() const { return m_reason; }
    QString toolTip() const;
    // The icon's file name, without ".svg": softphone-tray-<online|dnd|...>.
    QString iconName() const;
    static QString stateName(State state);
    QSystemTrayIcon *icon() const { return m_icon; }
    QMenu *menu() const { return m_menu; }
    bool isHeadless() const;

signals:
    void openRequested();
    void callRequested();
    void signInRequested();
    void signOutRequested();
    void doNotDisturbToggled(bool on);
    void quitRequested();

private:
    void refresh();

    bool m_reportState;
    QSystemTrayIcon *m_icon = nullptr;
    QMenu *m_menu = nullptr;
    QAction *m_call = nullptr;
    QAction *m_signIn = nullptr;
    QAction *m_signOut = nullptr;
    QAction *m_dnd = nullptr;
    State m_state = State::Connecting;
    QString m_reason;
    bool m_doNotDisturb = false;
    int m_missed = 0;
    int m_unread = 0;
    QString m_shownIcon; // icon name and badge drawn last
    QString m_reported;  // the last reported line, to report changes only
};

} // namespace softphone::tray
