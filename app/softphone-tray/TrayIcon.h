#pragma once
// The agent's face: a QSystemTrayIcon with an icon and tooltip per state and
// the menu (Open softphone, Sign in / Sign out, Do not disturb, Quit). Without
// a system tray (no StatusNotifier host, offscreen) the agent runs headless:
// the same state is logged (and reported as JSON lines when asked).

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
    enum class State { SignedOut, Connecting, Online, Offline };
    Q_ENUM(State)

    explicit TrayIcon(bool reportState, QObject *parent = nullptr);
    ~TrayIcon() override;

    void setState(State state, const QString &reason = {});
    void setDoNotDisturb(bool on);
    void setCounts(int missedCalls, int unreadMessages);

    State state() const { return m_state; }
    QString toolTip() const;
    static QString stateName(State state);
    QSystemTrayIcon *icon() const { return m_icon; }
    bool isHeadless() const { return m_headless; }

signals:
    void openRequested();
    void signInRequested();
    void signOutRequested();
    void doNotDisturbToggled(bool on);
    void quitRequested();

private:
    void refresh();

    bool m_reportState;
    bool m_headless;
    QSystemTrayIcon *m_icon = nullptr;
    QMenu *m_menu = nullptr;
    QAction *m_signIn = nullptr;
    QAction *m_signOut = nullptr;
    QAction *m_dnd = nullptr;
    State m_state = State::Connecting;
    QString m_reason;
    bool m_doNotDisturb = false;
    int m_missed = 0;
    int m_unread = 0;
    QString m_reported; // the last reported line, to report changes only
};

} // namespace softphone::tray
