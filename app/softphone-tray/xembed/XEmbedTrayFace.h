#pragma once
// The XEmbed face (TrayFace.h): a QSystemTrayIcon drawn by TrayIconEngine, its
// QMenu built from the view's entries, and the tray balloon. On X11 Qt embeds
// the icon as soon as a tray host appears, even one that starts after us (a
// panel late at login). Lives in the plugin softphone-tray-xembed.so with Qt
// Widgets and Svg, which the executable never links.

#include "softphone-tray/TrayFace.h"

#include <QList>
#include <QString>
#include <memory>

class QAction;
class QMenu;
class QSystemTrayIcon;

namespace softphone::tray {

class XEmbedTrayFace : public TrayFace
{
public:
    XEmbedTrayFace();
    ~XEmbedTrayFace() override;

    void show(const TrayView &view) override;
    bool isShown() const override;
    bool showMessage(const QString &title, const QString &body) override;

    QMenu *menu() const { return m_menu.get(); }
    QSystemTrayIcon *icon() const { return m_icon.get(); }

private:
    std::unique_ptr<QMenu> m_menu;
    std::unique_ptr<QSystemTrayIcon> m_icon;
    QList<QAction *> m_actions; // one per view entry, in order
    QString m_shownIcon;        // icon name and badge drawn last
};

} // namespace softphone::tray
