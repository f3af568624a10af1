#pragma once
// The XDG desktop portal as a GNOME session runs it, on a private session bus
// the test owns (its own dbus-daemon, so the colour scheme it switches reaches
// no other test of the session): xdg-desktop-portal with
// xdg-desktop-portal-gtk, whose Settings backend reads GSettings (dconf);
// the desktop's colour scheme is switched as GNOME's Settings does it
// (`gsettings set org.gnome.desktop.interface color-scheme prefer-dark`), and
// the portal announces it (org.freedesktop.portal.Settings SettingChanged).
// Use: startBus() in main() before QApplication (it sets
// DBUS_SESSION_BUS_ADDRESS, so the process's session bus is this one), then
// startPortal(). Every wait is bounded. Test code only (nested event loops).

#include <QDBusVariant>
#include <QObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>

namespace softphone::test {

class DesktopPortal : public QObject
{
    Q_OBJECT

public:
    DesktopPortal();
    ~DesktopPortal() override;

    // Which of dbus-daemon, gsettings and the portal programs is not installed ("" when all are).
    static QString missingPrograms();

    // The private bus, made this process's session bus; false with the reason.
    bool startBus(QString *why);
    // The desktop's scheme first set to `scheme` (GNOME's words: "default",
    // "prefer-dark", "prefer-light"), then the portal and its GTK backend
    // started and answering; false with the reason.
    bool startPortal(const QString &scheme, QString *why);
    // Switches the desktop's scheme; true once the portal announced it on this
    // process's session bus (the app's slots run right after, from the same
    // message: processEvents() once).
    bool setColourScheme(const QString &scheme, QString *why);

private slots:
    void settingChanged(const QString &group, const QString &key, const QDBusVariant &value);

private:
    bool gsettings(const QString &scheme, QString *why);
    bool startOwner(QProcess &process, const QString &program, const QString &name, QString *why);

    QTemporaryDir m_dir;
    QProcessEnvironment m_env;
    QProcess m_bus;
    QProcess m_backend;
    QProcess m_portal;
    int m_announced = 0; // SettingChanged of the colour scheme seen
};

} // namespace softphone::test
