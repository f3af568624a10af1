#include "TrayFaces.h"

#include "CompanionFiles.h"

#include <QByteArray>
#include <QFileInfo>
#include <QLibrary>
#include <QStringList>
#include <dbus/dbus.h>

namespace softphone::tray {

bool statusNotifierWatcherPresent()
{
    DBusError error;
    dbus_error_init(&error);
    // Private: libdbus's shared connection would stay open for QtDBus to find.
    DBusConnection *bus = dbus_bus_get_private(DBUS_BUS_SESSION, &error);
    if (!bus) {
        dbus_error_free(&error);
        return false;
    }
    dbus_connection_set_exit_on_disconnect(bus, false);
    bool present = false;
    DBusMessage *call = dbus_message_new_method_call(
        "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner");
    const char *name = "org.kde.StatusNotifierWatcher";
    if (call && dbus_message_append_args(call, DBUS_TYPE_STRING, &name, DBUS_TYPE_INVALID)) {
        DBusMessage *reply = dbus_connection_send_with_reply_and_block(bus, call, 2000, &error);
        dbus_bool_t owned = false;
        if (reply &&
            dbus_message_get_args(reply, &error, DBUS_TYPE_BOOLEAN, &owned, DBUS_TYPE_INVALID))
            present = owned;
        if (reply)
            dbus_message_unref(reply);
    }
    if (call)
        dbus_message_unref(call);
    dbus_error_free(&error);
    dbus_connection_close(bus);
    dbus_connection_unref(bus);
    return present;
}

FaceKind chooseFace()
{
    if (statusNotifierWatcherPresent())
        return FaceKind::StatusNotifier;
    const QByteArray platform = qgetenv("QT_QPA_PLATFORM");
    const bool x11 = platform.startsWith("xcb") ||
                     (platform.isEmpty() && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"));
    return x11 && !qEnvironmentVariableIsEmpty("DISPLAY") ? FaceKind::XEmbed
                                                          : FaceKind::StatusNotifier;
}

std::optional<XEmbedPlugin> loadXEmbedPlugin(QString *error)
{
    QStringList tried;
    for (const QString &path : companionCandidates(QLatin1String(kXEmbedPluginFile))) {
        if (!QFileInfo::exists(path)) {
            tried << path + QStringLiteral(": not there");
            continue;
        }
        QLibrary library(path);
        if (!library.load()) {
            tried << library.errorString();
            continue;
        }
        XEmbedPlugin plugin;
        plugin.createApplication =
            reinterpret_cast<CreateTrayApplication>(library.resolve(kCreateApplicationSymbol));
        plugin.createFace = reinterpret_cast<CreateTrayFace>(library.resolve(kCreateFaceSymbol));
        if (plugin.createApplication && plugin.createFace)
            return plugin;
        tried << path + QStringLiteral(": not the tray plugin");
    }
    *error = tried.join(QStringLiteral("; "));
    return std::nullopt;
}

} // namespace softphone::tray
