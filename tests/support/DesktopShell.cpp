#include "DesktopShell.h"

#include "Processes.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusVariant>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QtTest>

namespace softphone::test {

namespace {
const QString kNotifications = QStringLiteral("org.freedesktop.Notifications");
constexpr int kStartMs = 20000;

bool writeScript(const QString &path, const QByteArray &text)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
        return false;
    file.close();
    return file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                               QFileDevice::ExeOwner);
}

// Runs a program to its end, at most timeoutMs; its standard output, or nullopt.
std::optional<QString> run(const QString &program, const QStringList &args, int timeoutMs = 20000)
{
    QProcess process;
    process.start(program, args);
    if (!process.waitForStarted(timeoutMs))
        return std::nullopt;
    if (!QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, timeoutMs)) {
        stopProcess(process, 1000);
        return std::nullopt;
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return std::nullopt;
    return QString::fromUtf8(process.readAllStandardOutput()).trimmed();
}

// Starts a daemon that takes a well-known name on the session bus (dunst, the
// panel's watcher) and waits, at most kStartMs, until that very process owns it.
bool startOwning(QProcess &process, const QString &program, const QStringList &args,
                 const QString &busName, const QString &whenTaken, QString *why)
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, args);
    if (!process.waitForStarted(kStartMs)) {
        *why = QStringLiteral("%1 did not start: %2").arg(program, process.errorString());
        return false;
    }
    const bool owns = QTest::qWaitFor(
        [&] {
            const auto owner = bus.interface()->servicePid(busName);
            if (owner.isValid() && qint64(owner.value()) == process.processId())
                return true;
            QTest::qWait(100);
            return process.state() == QProcess::NotRunning;
        },
        kStartMs);
    if (!owns || process.state() == QProcess::NotRunning) {
        *why = QStringLiteral("%1 does not own %2%3: %4")
                   .arg(program, busName, whenTaken, QString::fromUtf8(process.readAll()));
        return false;
    }
    return true;
}
} // namespace

QString missingDesktopPrograms()
{
    QStringList missing;
    for (const char *program : {"trayer", "dunst", "dunstctl", "xdotool", "xwininfo"})
        if (QStandardPaths::findExecutable(QLatin1String(program)).isEmpty())
            missing << QLatin1String(program);
    if (qEnvironmentVariableIsEmpty("DISPLAY"))
        missing << QStringLiteral("an X display (run under tests/desktop-session)");
    return missing.join(QStringLiteral(", "));
}

std::optional<QString> xdotool(const QStringList &args)
{
    return run(QStringLiteral("xdotool"), args);
}

QStringList visibleWindows(qint64 pid, const QString &title)
{
    // xdotool search exits 1 when nothing matches: no windows.
    QStringList args{QStringLiteral("search"), QStringLiteral("--onlyvisible"),
                     QStringLiteral("--pid"), QString::number(pid)};
    if (!title.isEmpty())
        args << QStringLiteral("--name") << title;
    const auto out = xdotool(args);
    return out ? out->split(QLatin1Char('\n'), Qt::SkipEmptyParts) : QStringList();
}

QString waitForWindow(qint64 pid, const QStringList &except, int timeoutMs, bool embedded,
                      const QString &title)
{
    const auto isEmbedded = [](const QString &window) {
        const auto tree = run(QStringLiteral("xwininfo"),
                              {QStringLiteral("-children"), QStringLiteral("-id"), window});
        // "  Parent window id: 0x200026 (has no name)"; "... (the root window) ..." when not
        // embedded.
        const QRegularExpression parent(QStringLiteral("Parent window id: [^\n]*"));
        const auto line = tree ? parent.match(*tree) : QRegularExpressionMatch();
        return line.hasMatch() && !line.captured().contains(QStringLiteral("root window"));
    };
    QString found;
    (void)QTest::qWaitFor(
        [&] {
            for (const QString &window : visibleWindows(pid, title))
                if (!except.contains(window) && (!embedded || isEmbedded(window))) {
                    found = window;
                    return true;
                }
            QTest::qWait(100);
            return false;
        },
        timeoutMs);
    return found;
}

bool clickWindow(const QString &window, int button)
{
    const auto geometry = xdotool({QStringLiteral("getwindowgeometry"), window});
    int width = 8, height = 8;
    if (geometry) {
        // "  Geometry: 22x22"
        const QRegularExpression size(QStringLiteral("Geometry: (\\d+)x(\\d+)"));
        const auto match = size.match(*geometry);
        if (match.hasMatch()) {
            width = match.captured(1).toInt();
            height = match.captured(2).toInt();
        }
    }
    return xdotool({QStringLiteral("mousemove"), QStringLiteral("--window"), window,
                    QString::number(width / 2), QString::number(height / 2),
                    QStringLiteral("click"), QString::number(button)})
        .has_value();
}

TrayHost::~TrayHost()
{
    stopProcess(process);
}

bool TrayHost::start(QString *why)
{
    process.setProcessChannelMode(QProcess::MergedChannels);
    dieWithTest(process);
    process.start(QStringLiteral("trayer"),
                  // Bottom right, away from the windows other tests map at the top left.
                  {QStringLiteral("--edge"), QStringLiteral("bottom"), QStringLiteral("--align"),
                   QStringLiteral("right"), QStringLiteral("--widthtype"), QStringLiteral("pixel"),
                   QStringLiteral("--width"), QStringLiteral("200"), QStringLiteral("--heighttype"),
                   QStringLiteral("pixel"), QStringLiteral("--height"), QStringLiteral("32"),
                   QStringLiteral("--SetDockType"), QStringLiteral("true")});
    if (!process.waitForStarted(kStartMs)) {
        *why = QStringLiteral("trayer did not start: %1").arg(process.errorString());
        return false;
    }
    // Its panel up means its tray selection is taken (trayer makes both at start).
    const bool shown = QTest::qWaitFor(
        [&] {
            if (!visibleWindows(process.processId()).isEmpty())
                return true;
            QTest::qWait(100);
            return process.state() == QProcess::NotRunning;
        },
        kStartMs);
    if (!shown || process.state() == QProcess::NotRunning) {
        *why =
            QStringLiteral("trayer showed no panel: %1").arg(QString::fromUtf8(process.readAll()));
        return false;
    }
    return true;
}

StatusNotifierHost::~StatusNotifierHost()
{
    stopProcess(process);
}

bool StatusNotifierHost::start(QString *why)
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected()) {
        *why = QStringLiteral("no session bus: run under tests/desktop-session");
        return false;
    }
    const QString watcher = QLatin1String(kWatcher);
    if (bus.interface()->isServiceRegistered(watcher).value()) {
        *why = QStringLiteral("another status notifier watcher (pid %1) is on the session bus")
                   .arg(bus.interface()->servicePid(watcher).value());
        return false;
    }
    // One panel with the status notifier plugin only (no XEmbed tray of its own).
    QFile config(m_dir.filePath(QStringLiteral("panel.conf")));
    if (!config.open(QIODevice::WriteOnly) ||
        config.write("panels=panel1\n[panel1]\nplugins=statusnotifier\nposition=Bottom\n"
                     "desktop=0\n[statusnotifier]\ntype=statusnotifier\nalignment=Right\n") < 0) {
        *why = QStringLiteral("cannot write the panel's configuration");
        return false;
    }
    config.close();
    dieWithTest(process);
    return startOwning(process, QStringLiteral("lxqt-panel"),
                       {QStringLiteral("--config"), config.fileName()}, watcher, QString(), why);
}

QStringList StatusNotifierHost::items() const
{
    QDBusMessage call = QDBusMessage::createMethodCall(
        QLatin1String(kWatcher), QStringLiteral("/StatusNotifierWatcher"),
        QStringLiteral("org.freedesktop.DBus.Properties"), QStringLiteral("Get"));
    call << QLatin1String(kWatcher) << QStringLiteral("RegisteredStatusNotifierItems");
    const QDBusMessage reply = QDBusConnection::sessionBus().call(call, QDBus::Block, 5000);
    if (reply.type() != QDBusMessage::ReplyMessage || reply.arguments().isEmpty())
        return {};
    return reply.arguments().constFirst().value<QDBusVariant>().variant().toStringList();
}

QString StatusNotifierHost::waitForItemOf(qint64 pid, int timeoutMs) const
{
    QDBusConnectionInterface *bus = QDBusConnection::sessionBus().interface();
    QString found;
    (void)QTest::qWaitFor(
        [&] {
            for (const QString &item : items()) {
                const QString service = item.section(QLatin1Char('/'), 0, 0);
                if (qint64(bus->servicePid(service).value()) == pid) {
                    found = item;
                    return true;
                }
            }
            QTest::qWait(100);
            return false;
        },
        timeoutMs);
    return found;
}

NotificationDaemon::NotificationDaemon()
{
    // A rule for every notification runs the log script; the context menu's
    // "dmenu" picks the line holding the text in `choice`, and keeps the menu.
    const QByteArray dir = m_dir.path().toUtf8();
    writeScript(path(QStringLiteral("log")),
                "#!/bin/sh\nprintf '%s\\t%s\\t%s\\t%s\\n' \"$DUNST_ID\" \"$DUNST_APP_NAME\" "
                "\"$DUNST_SUMMARY\" \"$(printf '%s' \"$DUNST_BODY\" | tr '\\n\\t' '  ')\" >>'" +
                    dir + "/shown'\n");
    writeScript(path(QStringLiteral("choose")),
                "#!/bin/sh\nd='" + dir +
                    "'\ncat >\"$d/menu.part\"\n"
                    "grep -F -- \"$(sed -n 1p \"$d/choice\")\" \"$d/menu.part\" | "
                    "grep -F -m1 -- \"$(sed -n 2p \"$d/choice\")\"\n"
                    "mv \"$d/menu.part\" \"$d/menu\"\nexit 0\n");
    QFile config(path(QStringLiteral("dunstrc")));
    if (config.open(QIODevice::WriteOnly))
        config.write("[global]\n"
                     "    dmenu = " +
                     dir +
                     "/choose\n"
                     "    show_indicators = yes\n"
                     "[urgency_critical]\n"
                     "    timeout = 0\n"
                     "[log_every_notification]\n"
                     "    summary = \"*\"\n"
                     "    script = " +
                     dir + "/log\n");
}

NotificationDaemon::~NotificationDaemon()
{
    stopProcess(m_process);
}

bool NotificationDaemon::start(QString *why)
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected()) {
        *why = QStringLiteral("no session bus: run under tests/desktop-session");
        return false;
    }
    dieWithTest(m_process);
    return startOwning(m_process, QStringLiteral("dunst"),
                       {QStringLiteral("-config"), path(QStringLiteral("dunstrc"))}, kNotifications,
                       QStringLiteral(" (another daemon on this bus?)"), why);
}

QList<NotificationDaemon::Shown> NotificationDaemon::shown() const
{
    QList<Shown> list;
    QFile log(path(QStringLiteral("shown")));
    if (!log.open(QIODevice::ReadOnly))
        return list;
    for (const QByteArray &line : log.readAll().split('\n')) {
        const QStringList fields = QString::fromUtf8(line).split(QLatin1Char('\t'));
        if (fields.size() == 4)
            list.append({fields[0].toUInt(), fields[1], fields[2], fields[3]});
    }
    return list;
}

std::optional<NotificationDaemon::Shown> NotificationDaemon::find(const QString &summary,
                                                                  const QString &bodyPart) const
{
    for (const Shown &s : shown())
        if (s.summary == summary && s.body.contains(bodyPart))
            return s;
    return std::nullopt;
}

bool NotificationDaemon::chooseAction(uint id, const QString &label, QString *why,
                                      QStringList *offered)
{
    // dunst's menu lines: "#<label> (<summary>) [<id>,<action key>]"; the
    // choose script picks the one with both the label and the id.
    const QString prefix = QStringLiteral("#%1 (").arg(label);
    const QString tag = QStringLiteral("[%1,").arg(id);
    QFile::remove(path(QStringLiteral("menu")));
    QFile choice(path(QStringLiteral("choice")));
    if (!choice.open(QIODevice::WriteOnly) ||
        choice.write((prefix + QLatin1Char('\n') + tag + QLatin1Char('\n')).toUtf8()) < 0) {
        *why = QStringLiteral("cannot write the menu choice");
        return false;
    }
    choice.close();
    // The menu lists the notifications on screen; one that came a moment
    // ago may not be there yet under load: a few tries, bounded.
    QStringList lines;
    for (int attempt = 0; attempt < 3 && lines.isEmpty(); ++attempt) {
        if (attempt > 0)
            QTest::qWait(2000);
        if (!run(QStringLiteral("dunstctl"), {QStringLiteral("context")})) {
            *why = QStringLiteral("dunstctl context failed");
            return false;
        }
        QFile menu(path(QStringLiteral("menu")));
        (void)QTest::qWaitFor([&] { return menu.exists(); }, 10000);
        if (menu.open(QIODevice::ReadOnly))
            lines = QString::fromUtf8(menu.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QFile::remove(path(QStringLiteral("menu")));
    }
    if (offered)
        *offered = lines;
    bool listed = false;
    for (const QString &line : std::as_const(lines))
        listed = listed || (line.startsWith(prefix) && line.contains(tag));
    if (!listed) {
        QStringList all;
        for (const Shown &n : shown())
            all << QStringLiteral("%1 %2").arg(n.id).arg(n.summary);
        *why = QStringLiteral("dunst offered no \"%1\" for notification %2: menu [%3], "
                              "shown [%4], displayed %5, dunst said: %6")
                   .arg(label)
                   .arg(id)
                   .arg(lines.join(QStringLiteral(" | ")), all.join(QStringLiteral(", ")),
                        run(QStringLiteral("dunstctl"),
                            {QStringLiteral("count"), QStringLiteral("displayed")})
                            .value_or(QStringLiteral("?")),
                        QString::fromUtf8(m_process.readAll()).right(2000));
        return false;
    }
    return true;
}

bool NotificationDaemon::isClosed(uint id) const
{
    // {"type":"aa{sv}","data":[[{"id":{"type":"i","data":7},...},...]]}
    const auto history = run(QStringLiteral("dunstctl"), {QStringLiteral("history")});
    if (!history)
        return false;
    const QJsonArray all = QJsonDocument::fromJson(history->toUtf8())
                               .object()
                               .value(QStringLiteral("data"))
                               .toArray()
                               .at(0)
                               .toArray();
    for (const QJsonValue &n : all)
        if (n.toObject()
                .value(QStringLiteral("id"))
                .toObject()
                .value(QStringLiteral("data"))
                .toInt() == int(id))
            return true;
    return false;
}

} // namespace softphone::test
