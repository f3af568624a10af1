#include "DesktopPortal.h"

#include "Processes.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusVariant>
#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QtTest>

namespace softphone::test {

namespace {
constexpr int kStartMs = 20000;
const QString kBackend = QStringLiteral("/usr/libexec/xdg-desktop-portal-gtk");
const QString kPortal = QStringLiteral("/usr/libexec/xdg-desktop-portal");
const QString kPortalName = QStringLiteral("org.freedesktop.portal.Desktop");
const QString kPortalPath = QStringLiteral("/org/freedesktop/portal/desktop");
const QString kSettings = QStringLiteral("org.freedesktop.portal.Settings");
// The services the portal and GSettings start on demand; nothing else is
// activatable on the private bus (no keyring, no notifications, no a11y).
const char *const kActivatable[] = {"ca.desrt.dconf.service",
                                    "org.freedesktop.impl.portal.PermissionStore.service"};
} // namespace

DesktopPortal::DesktopPortal()
{
    m_env = QProcessEnvironment::systemEnvironment();
    // The portal's GSettings (dconf) and runtime files are its own, so the
    // preference set here is the only one it reads.
    m_env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.filePath(QStringLiteral("config")));
    m_env.insert(QStringLiteral("XDG_RUNTIME_DIR"), m_dir.filePath(QStringLiteral("runtime")));
    m_env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                 QStringLiteral("unix:path=") + m_dir.filePath(QStringLiteral("bus")));
    m_env.insert(QStringLiteral("XDG_CURRENT_DESKTOP"), QStringLiteral("GNOME"));
    m_env.insert(QStringLiteral("GSETTINGS_BACKEND"), QStringLiteral("dconf"));
    m_env.insert(QStringLiteral("NO_AT_BRIDGE"), QStringLiteral("1"));
    QDir(m_dir.path()).mkpath(QStringLiteral("runtime"));
    QFile::setPermissions(m_dir.filePath(QStringLiteral("runtime")),
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
}

DesktopPortal::~DesktopPortal()
{
    stopProcess(m_portal, 2000);
    stopProcess(m_backend, 2000);
    // dconf-service and the permission store end with their bus.
    stopProcess(m_bus, 2000);
}

QString DesktopPortal::missingPrograms()
{
    QStringList missing;
    for (const char *program : {"dbus-daemon", "gsettings"})
        if (QStandardPaths::findExecutable(QLatin1String(program)).isEmpty())
            missing << QLatin1String(program);
    for (const QString &program : {kBackend, kPortal})
        if (!QFile::exists(program))
            missing << program;
    if (qEnvironmentVariableIsEmpty("DISPLAY"))
        missing << QStringLiteral("an X display (run under tests/desktop-session)");
    return missing.join(QStringLiteral(", "));
}

bool DesktopPortal::startBus(QString *why)
{
    const QString services = m_dir.filePath(QStringLiteral("services"));
    QDir().mkpath(services);
    for (const char *file : kActivatable)
        QFile::link(QStringLiteral("/usr/share/dbus-1/services/") + QLatin1String(file),
                    services + QLatin1Char('/') + QLatin1String(file));
    const QString config = m_dir.filePath(QStringLiteral("bus.conf"));
    QFile out(config);
    const QByteArray text =
        "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
        " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
        "<busconfig>\n  <type>session</type>\n  <listen>unix:path=" +
        m_dir.filePath(QStringLiteral("bus")).toUtf8() + "</listen>\n  <servicedir>" +
        services.toUtf8() +
        "</servicedir>\n"
        "  <policy context=\"default\">\n    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
        "    <allow eavesdrop=\"true\"/>\n    <allow own=\"*\"/>\n  </policy>\n</busconfig>\n";
    if (!out.open(QIODevice::WriteOnly) || out.write(text) != text.size()) {
        *why = QStringLiteral("cannot write %1").arg(config);
        return false;
    }
    out.close();
    m_bus.setProcessEnvironment(m_env);
    dieWithTest(m_bus);
    m_bus.start(QStringLiteral("dbus-daemon"),
                {QStringLiteral("--config-file=") + config, QStringLiteral("--nofork"),
                 QStringLiteral("--print-address=1")});
    // The address is printed once it listens (no event loop needed: before QApplication).
    if (!m_bus.waitForStarted(kStartMs) || !m_bus.waitForReadyRead(kStartMs)) {
        *why = QStringLiteral("dbus-daemon did not start: %1 %2")
                   .arg(m_bus.errorString(), QString::fromUtf8(m_bus.readAllStandardError()));
        return false;
    }
    qputenv("DBUS_SESSION_BUS_ADDRESS",
            m_env.value(QStringLiteral("DBUS_SESSION_BUS_ADDRESS")).toUtf8());
    return true;
}

bool DesktopPortal::gsettings(const QString &scheme, QString *why)
{
    QProcess set;
    set.setProcessEnvironment(m_env);
    set.setProcessChannelMode(QProcess::MergedChannels);
    set.start(QStringLiteral("gsettings"),
              {QStringLiteral("set"), QStringLiteral("org.gnome.desktop.interface"),
               QStringLiteral("color-scheme"), scheme});
    if (!set.waitForStarted(kStartMs) ||
        !QTest::qWaitFor([&] { return set.state() == QProcess::NotRunning; }, kStartMs) ||
        set.exitStatus() != QProcess::NormalExit || set.exitCode() != 0) {
        stopProcess(set, 1000);
        *why = QStringLiteral("gsettings set color-scheme %1 failed: %2")
                   .arg(scheme, QString::fromUtf8(set.readAll()));
        return false;
    }
    return true;
}

bool DesktopPortal::startOwner(QProcess &process, const QString &program, const QString &name,
                               QString *why)
{
    QDBusConnectionInterface *bus = QDBusConnection::sessionBus().interface();
    process.setProcessEnvironment(m_env);
    process.setProcessChannelMode(QProcess::MergedChannels);
    dieWithTest(process);
    process.start(program, {QStringLiteral("--replace")});
    const bool owns =
        process.waitForStarted(kStartMs) && QTest::qWaitFor(
                                                [&] {
                                                    if (bus->isServiceRegistered(name))
                                                        return true;
                                                    QTest::qWait(50);
                                                    return process.state() == QProcess::NotRunning;
                                                },
                                                kStartMs);
    if (!owns || process.state() == QProcess::NotRunning) {
        *why = QStringLiteral("%1 does not own %2: %3")
                   .arg(program, name, QString::fromUtf8(process.readAll()));
        return false;
    }
    return true;
}

bool DesktopPortal::startPortal(const QString &scheme, QString *why)
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected()) {
        *why = QStringLiteral("not on the private bus: startBus() first");
        return false;
    }
    if (!gsettings(scheme, why))
        return false;
    // The backend first: the portal offers Settings only when a backend has it.
    if (!startOwner(m_backend, kBackend, QStringLiteral("org.freedesktop.impl.portal.desktop.gtk"),
                    why) ||
        !startOwner(m_portal, kPortal, kPortalName, why))
        return false;
    qRegisterMetaType<QDBusVariant>(); // see DesktopColourScheme: connect() needs its name
    if (!bus.connect(kPortalName, kPortalPath, kSettings, QStringLiteral("SettingChanged"), this,
                     SLOT(settingChanged(QString, QString, QDBusVariant)))) {
        *why =
            QStringLiteral("cannot hear the portal's SettingChanged: ") + bus.lastError().message();
        return false;
    }
    QDBusMessage read =
        QDBusMessage::createMethodCall(kPortalName, kPortalPath, kSettings, QStringLiteral("Read"));
    read << QStringLiteral("org.freedesktop.appearance") << QStringLiteral("color-scheme");
    const QDBusMessage reply = bus.call(read, QDBus::Block, kStartMs);
    if (reply.type() != QDBusMessage::ReplyMessage) {
        *why = QStringLiteral("the portal does not answer Read: ") + reply.errorMessage();
        return false;
    }
    return true;
}

bool DesktopPortal::setColourScheme(const QString &scheme, QString *why)
{
    const int before = m_announced;
    if (!gsettings(scheme, why))
        return false;
    if (!QTest::qWaitFor([&] { return m_announced > before; }, kStartMs)) {
        *why = QStringLiteral("the portal did not announce color-scheme %1").arg(scheme);
        return false;
    }
    return true;
}

void DesktopPortal::settingChanged(const QString &group, const QString &key, const QDBusVariant &)
{
    if (group == QLatin1String("org.freedesktop.appearance") &&
        key == QLatin1String("color-scheme"))
        ++m_announced;
}

} // namespace softphone::test
