#pragma once
// Desktop notifications through org.freedesktop.Notifications (QtDBus, session
// bus): an incoming call (Answer/Decline actions when the server lists
// "actions"), a missed call (caller, time, "Call back"), a new message. Without
// a notification service it falls back to the tray icon's balloon.

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QStringList>

class QSystemTrayIcon;

namespace softphone::tray {

class DesktopNotifier : public QObject
{
    Q_OBJECT

public:
    explicit DesktopNotifier(QObject *parent = nullptr);

    void setFallback(QSystemTrayIcon *icon) { m_fallback = icon; }
    void incomingCall(const QString &caller);
    void missedCall(const QString &caller, const QDateTime &when);
    void newMessage(const QString &sender);

signals:
    // The user picked an action (answer, decline, callback:<user>, open).
    void actionInvoked(const QString &action);

private:
    void notify(const QString &summary, const QString &body, const QStringList &actions);

private slots:
    void onActionInvoked(uint id, const QString &action);

private:
    QSystemTrayIcon *m_fallback = nullptr;
    bool m_actions = false;   // the server said it shows actions
    QHash<uint, bool> m_ours; // ids of our notifications
};

} // namespace softphone::tray
