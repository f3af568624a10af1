#pragma once
// The parts of a user's desktop shell the tray tests meet, the programs Debian
// ships, on the session tests/desktop-session makes (its Xvfb and bus):
// - TrayHost: trayer, a panel with an XEmbed system tray, where the agent's
//   icon is embedded;
// - StatusNotifierHost: lxqt-panel with its status notifier plugin only, the
//   org.kde.StatusNotifierWatcher (and host) of an LXQt desktop. While one
//   runs, every agent that starts on the session bus shows its icon as a
//   StatusNotifierItem, not through XEmbed: the tests that start one hold the
//   desktop_shell lock with the XEmbed tests (tests/CMakeLists.txt);
// - NotificationDaemon: dunst, the org.freedesktop.Notifications daemon. What
//   it shows is logged by a dunst rule script; an action is chosen as a user
//   does from its context menu (`dunstctl context`; the "dmenu" dunst runs is
//   a script that picks the line the test asked for); closed ones are read from
//   its history (`dunstctl history`: dunst sends its signals to the
//   notification's sender only);
// - xdotool: a process's windows, clicks and keys, through the X server.
// Every wait is bounded. Test code only (nested event loops).

#include <QObject>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <optional>

namespace softphone::test {

// Which of trayer, dunst, dunstctl, xdotool, xwininfo is not installed ("" when all are).
QString missingDesktopPrograms();

// xdotool ARGS: its standard output, trimmed; nullopt when it failed (or ran
// longer than 20 s).
std::optional<QString> xdotool(const QStringList &args);
// The visible windows of a process, by _NET_WM_PID (embedded ones included),
// with a title matching the regular expression `title` when one is given.
QStringList visibleWindows(qint64 pid, const QString &title = {});
// Waits for a visible window of pid that is not in `except` (and, when
// embedded, is inside another window, as a tray icon in its panel): its id, or "".
QString waitForWindow(qint64 pid, const QStringList &except, int timeoutMs, bool embedded = false,
                      const QString &title = {});
// Clicks mouse button (1 left, 3 right) in the middle of the window.
bool clickWindow(const QString &window, int button);

// trayer on $DISPLAY, from start() until destruction.
class TrayHost
{
public:
    ~TrayHost();
    // Started and its panel shown; otherwise false with the reason.
    bool start(QString *why);
    QProcess process;
};

// lxqt-panel on $DISPLAY and the session bus, from start() until destruction.
class StatusNotifierHost
{
public:
    static constexpr char kWatcher[] = "org.kde.StatusNotifierWatcher";

    ~StatusNotifierHost();
    // Started and owning org.kde.StatusNotifierWatcher; otherwise false with the reason.
    bool start(QString *why);
    // The watcher's RegisteredStatusNotifierItems: "<bus name>/<object path>" each.
    QStringList items() const;
    // The item of the process pid ("" when it has none registered), waited
    // for at most timeoutMs.
    QString waitForItemOf(qint64 pid, int timeoutMs) const;
    QProcess process;

private:
    QTemporaryDir m_dir;
};

// dunst on the session bus, from start() until destruction.
class NotificationDaemon : public QObject
{
    Q_OBJECT

public:
    struct Shown
    {
        uint id = 0;
        QString appName;
        QString summary;
        QString body;
    };

    NotificationDaemon();
    ~NotificationDaemon() override;
    // Started and owning org.freedesktop.Notifications; otherwise false with the reason.
    bool start(QString *why);
    qint64 pid() const { return m_process.processId(); }

    // Every notification dunst showed, in order (from its rule script's log).
    QList<Shown> shown() const;
    std::optional<Shown> find(const QString &summary, const QString &bodyPart) const;
    // Opens dunst's context menu and picks the action labelled `label` of
    // notification `id`, as a user does (dunst then sends ActionInvoked to
    // the notification's sender). False with the reason when dunst did not
    // offer it; *offered gets the menu's lines.
    bool chooseAction(uint id, const QString &label, QString *why, QStringList *offered = nullptr);
    // Closed (by its sender, the user or a timeout): in dunst's history.
    bool isClosed(uint id) const;

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }

    QTemporaryDir m_dir;
    QProcess m_process;
};

} // namespace softphone::test
