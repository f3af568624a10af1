#pragma once
// What the agent shows in the desktop's tray, and how the two ways of showing
// it meet. TrayIcon decides what is shown (TrayView: the state's icon, the
// missed-call badge, the tooltip, the menu); a face shows it and says what the
// user chose:
// - StatusNotifierItem (this executable, QtDBus only): the item and its
//   com.canonical.dbusmenu menu, for desktops whose panel hosts
//   org.kde.StatusNotifierWatcher (KDE, LXQt, XFCE's plugin, GNOME's
//   AppIndicator extension), and headless until such a panel appears;
// - XEmbed (the plugin softphone-tray-xembed.so, Qt Widgets): QSystemTrayIcon
//   with a QMenu, for X11 trays without a watcher (trayer, old panels). The
//   executable links no Qt Gui: main() loads the plugin, before any Qt
//   application object, only when it picks this face (TrayFaces.h).
// Plain C++ (no QObject) so that the plugin needs nothing of the executable.

#include <QList>
#include <QString>
#include <functional>

class QCoreApplication;

namespace softphone::tray {

enum class TrayAction { Open, Call, DoNotDisturb, SignIn, SignOut, Quit };

struct TrayMenuEntry
{
    TrayAction action = TrayAction::Open;
    QString text; // with its '&' mnemonic; empty for a separator
    bool checkable = false;
    bool checked = false;
    bool enabled = true;
    bool visible = true;
    bool isSeparator() const { return text.isEmpty(); }
};

struct TrayView
{
    QString iconName;  // resources/icons/<iconName>.svg: softphone-tray-<online|dnd|...>
    QString badge;     // the missed calls: "", "1".."9", "9+"
    QString badgeIcon; // resources/icons/<badgeIcon>.svg, the badge alone; "" without one
    QString toolTip;   // first line the state, then why it is not online, the counts
    QList<TrayMenuEntry> menu;
};

class TrayFace
{
public:
    virtual ~TrayFace() = default;
    // The user chose an entry (checked: the new state of a checkable one); a
    // click on the icon itself is TrayAction::Open.
    std::function<void(TrayAction action, bool checked)> chosen;
    virtual void show(const TrayView &view) = 0;
    // A tray host shows the icon now.
    virtual bool isShown() const = 0;
    // A balloon next to the icon (the notifications' fallback); false when it cannot.
    virtual bool showMessage(const QString &title, const QString &body) = 0;
};

// The XEmbed plugin's two entry points (extern "C", resolved by name):
// the QApplication the process must have before any window, then the face.
using CreateTrayApplication = QCoreApplication *(*)(int &argc, char **argv);
using CreateTrayFace = TrayFace *(*)();
inline constexpr char kXEmbedPluginFile[] = "softphone-tray-xembed.so";
inline constexpr char kCreateApplicationSymbol[] = "softphone_tray_xembed_application";
inline constexpr char kCreateFaceSymbol[] = "softphone_tray_xembed_face";

} // namespace softphone::tray
