#pragma once
// The desktop's light or dark preference, as the XDG desktop portal tells it
// (org.freedesktop.portal.Settings, org.freedesktop.appearance color-scheme:
// 1 prefers dark, 2 prefers light, 0 no preference): read once at start and
// followed through the portal's SettingChanged signal, handed to ui::theme
// (whose "System" scheme follows it). Qt 6.4 reads no such preference itself,
// so a GNOME session switched to dark would otherwise keep a light softphone.
// Without a portal on the session bus it stays "no preference". It lives here,
// not in ui/, because it talks to the session bus (ui/ opens no sockets).

#include <QDBusVariant>
#include <QObject>

class QVariant;

namespace softphone::app {

class DesktopColourScheme : public QObject
{
    Q_OBJECT

public:
    explicit DesktopColourScheme(QObject *parent = nullptr);

private slots:
    void settingChanged(const QString &group, const QString &key, const QDBusVariant &value);

private:
    static void take(const QVariant &value);
};

} // namespace softphone::app
