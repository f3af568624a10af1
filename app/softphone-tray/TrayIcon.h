#pragma once
// What the agent's tray icon says, in one place for both faces (TrayFace.h):
// the state's picture and a badge with the count of missed calls, the tooltip
// (the state, and why it is not online), and the menu: Open softphone, Call…,
// Do not disturb (checkable), Sign in / Sign out, Quit. A click on the icon
// opens the softphone. The face shows it (a StatusNotifierItem, or the XEmbed
// plugin's QSystemTrayIcon); with none shown (no tray host) the agent runs
// headless and the same state is logged (and reported as JSON lines when
// asked: --report-state).

#include "TrayFace.h"

#include <QObject>
#include <QString>
#include <memory>

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

    // face: what shows it (none: headless, the state only logged and reported).
    explicit TrayIcon(bool reportState, std::unique_ptr<TrayFace> face = {},
                      QObject *parent = nullptr);
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
    // The badge's text for a count: "" (none), "1".."9", "9+"; and the name of
    // its picture (softphone-tray-badge-<1..9|9plus>), "" for none.
    static QString badgeText(int missedCalls);
    static QString badgeIconName(int missedCalls);
    // Everything a face shows, menu included.
    TrayView view() const;
    bool isHeadless() const { return !m_face || !m_face->isShown(); }
    // A balloon by the icon, when the face can show one.
    bool showMessage(const QString &title, const QString &body);

signals:
    void openRequested();
    void callRequested();
    void signInRequested();
    void signOutRequested();
    void doNotDisturbToggled(bool on);
    void quitRequested();

private:
    void refresh();
    void onChosen(TrayAction action, bool checked);

    bool m_reportState;
    std::unique_ptr<TrayFace> m_face;
    State m_state = State::Connecting;
    QString m_reason;
    bool m_doNotDisturb = false;
    int m_missed = 0;
    int m_unread = 0;
    QString m_reported; // the last reported line, to report changes only
};

} // namespace softphone::tray
