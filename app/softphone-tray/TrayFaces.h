#pragma once
// Which face shows the agent's icon (TrayFace.h), decided in main() before
// any Qt application object exists, because the XEmbed face needs a
// QApplication and the StatusNotifierItem a QCoreApplication only:
// - a StatusNotifierWatcher on the session bus (asked with libdbus, as QtDBus
//   would find the bus): the StatusNotifierItem, Qt Gui never loaded;
// - else, on X11 (DISPLAY set, the Qt platform xcb or unset, no Wayland):
//   the XEmbed plugin (softphone-tray-xembed.so, CompanionFiles.h);
// - else (Wayland, offscreen, the plugin missing): the StatusNotifierItem,
//   headless until a watcher appears.
// A watcher that appears after an XEmbed start is not followed: the
// QSystemTrayIcon stays (Qt's own StatusNotifier support may take over).

#include "TrayFace.h"

#include <QString>
#include <memory>
#include <optional>

namespace softphone::tray {

enum class FaceKind { StatusNotifier, XEmbed };

// Whether org.kde.StatusNotifierWatcher has an owner on the session bus (2 s at most).
bool statusNotifierWatcherPresent();
FaceKind chooseFace();

struct XEmbedPlugin
{
    CreateTrayApplication createApplication = nullptr;
    CreateTrayFace createFace = nullptr;
};
// The plugin loaded (never unloaded) and its entry points; nullopt with the reason.
std::optional<XEmbedPlugin> loadXEmbedPlugin(QString *error);

} // namespace softphone::tray
