#pragma once
// Desktop notifications through org.freedesktop.Notifications (QtDBus, session
// bus): an incoming call (Answer/Decline actions when the server lists
// "actions"), a missed call (caller, time, "Call back"), a new message. Without
// a notification service it falls back to the tray icon's balloon (XEmbed only).

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QStringList>
#include <functional>

namespace softphone::tray {

class DesktopNotifier : public QObject
{
    Q_OBJECT

public:
    explicit DesktopNotifier(QObject *parent = nullptr);

    // Shows a balloon by the tray icon; false when it cannot.
    using Fallback = std::function<bool(const QString &title, const QString &body)>;
    void setFallback(Fallback fallback) { m_fallback = std::move(fallback); }
    // Actions "answer:<callId>" and "decline:<callId>".
    void incomingCall(const QString &caller, const QString &callId);
    // The call stopped ringing (canceled, answered, timed out): its notification goes.
    void closeIncoming(const QString &callId);
    void missedCall(const QString &caller, const QDateTime &when);
    void newMessage(const QString &sender);

signals:
    // The user picked an action (answer, decline, callback:<user>, open).
    void actionInvoked(const QString &action);

private:
    void notify(const QString &summary, const QString &body, const QStringList &actions,
                const QString &callId = {});
    void close(uint id);

private slots:
    void onActionInvoked(uint id, const QString &action);
    void onClosed(uint id, uint reason);

private:
    Fallback m_fallback;
    bool m_actions = false;       // the server said it shows actions
    QHash<uint, QString> m_ours;  // ids of our open notifications -> call id (incoming calls)
    QStringList m_closeWhenShown; // calls over before their notification's id came back
};

} // namespace softphone::tray
