#pragma once
// The StatusNotifierItem face (TrayFace.h), QtDBus only: the item
// (org.kde.StatusNotifierItem at /StatusNotifierItem, under the bus name
// org.kde.StatusNotifierItem-<pid>-1) and its menu (DBusMenu at /MenuBar),
// registered with org.kde.StatusNotifierWatcher whenever one is on the session
// bus (now, or later: a panel that starts or restarts after us).
// - IconName: the state's picture, softphone-tray-<online|connecting|offline|
//   dnd|push-failed>; OverlayIconName: the missed-call badge,
//   softphone-tray-badge-<1..9|9plus>, "" without missed calls; IconThemePath:
//   a folder where the agent writes those SVGs (resources/icons, also in
//   hicolor/scalable/status below it; the package installs them in the
//   system's hicolor theme too).
// - Status: Active; NeedsAttention while there are missed calls (the attention
//   picture is the same).
// - ToolTip: the state as title, why it is not online and the counts as text.
// - Activate (a click on the icon): open the softphone.
// There is no balloon: the notifications need a notification service here.

#include "DBusTrayTypes.h"
#include "TrayFace.h"

#include <QDBusAbstractAdaptor>
#include <QDBusObjectPath>
#include <QObject>

class QDBusServiceWatcher;

namespace softphone::tray {

class DBusMenu;

class StatusNotifierItem : public QObject, public TrayFace
{
    Q_OBJECT

public:
    static constexpr char kWatcherService[] = "org.kde.StatusNotifierWatcher";
    static constexpr char kItemPath[] = "/StatusNotifierItem";

    // iconFolder: where the pictures are written (IconThemePath); a folder
    // only the user can write, e.g. in the runtime dir.
    explicit StatusNotifierItem(const QString &iconFolder, QObject *parent = nullptr);
    ~StatusNotifierItem() override;

    void show(const TrayView &view) override;
    bool isShown() const override { return m_registered; }
    bool showMessage(const QString &, const QString &) override { return false; }

    // The item's properties (for the adaptor).
    QString status() const;
    QString iconName() const { return m_view.iconName; }
    QString overlayIconName() const { return m_view.badgeIcon; }
    QString iconThemePath() const { return m_iconFolder; }
    SniToolTip toolTip() const;
    void activate();

signals:
    void newIcon();
    void newOverlayIcon();
    void newAttentionIcon();
    void newToolTip();
    void newStatus(const QString &status);

private:
    // attempt: how many tries in a row have failed. A watcher that has just taken
    // its bus name may not have exported its object yet (a panel starting under
    // load): a refusal is tried again after 250 ms, doubling, 6 times at most.
    void registerWithWatcher(int attempt = 0);
    bool writeIcons(QString *error) const;

    QString m_iconFolder;
    QString m_service; // our bus name
    DBusMenu *m_menu;
    QDBusServiceWatcher *m_watcher;
    TrayView m_view;
    bool m_exported = false;
    bool m_registered = false;
};

class StatusNotifierItemAdaptor : public QDBusAbstractAdaptor
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.kde.StatusNotifierItem")
    Q_PROPERTY(QString Category READ category)
    Q_PROPERTY(QString Id READ id)
    Q_PROPERTY(QString Title READ title)
    Q_PROPERTY(QString Status READ status)
    Q_PROPERTY(int WindowId READ windowId)
    Q_PROPERTY(QString IconThemePath READ iconThemePath)
    Q_PROPERTY(QDBusObjectPath Menu READ menu)
    Q_PROPERTY(bool ItemIsMenu READ itemIsMenu)
    Q_PROPERTY(QString IconName READ iconName)
    Q_PROPERTY(softphone::tray::SniIconPixmapList IconPixmap READ noPixmaps)
    Q_PROPERTY(QString OverlayIconName READ overlayIconName)
    Q_PROPERTY(softphone::tray::SniIconPixmapList OverlayIconPixmap READ noPixmaps)
    Q_PROPERTY(QString AttentionIconName READ iconName)
    Q_PROPERTY(softphone::tray::SniIconPixmapList AttentionIconPixmap READ noPixmaps)
    Q_PROPERTY(QString AttentionMovieName READ noName)
    Q_PROPERTY(softphone::tray::SniToolTip ToolTip READ toolTip)

public:
    explicit StatusNotifierItemAdaptor(StatusNotifierItem *item);

    QString category() const { return QStringLiteral("Communications"); }
    QString id() const { return QStringLiteral("softphone"); }
    QString title() const { return QStringLiteral("Softphone"); }
    QString status() const { return m_item->status(); }
    int windowId() const { return 0; }
    QString iconThemePath() const { return m_item->iconThemePath(); }
    QDBusObjectPath menu() const;
    bool itemIsMenu() const { return false; }
    QString iconName() const { return m_item->iconName(); }
    QString overlayIconName() const { return m_item->overlayIconName(); }
    SniIconPixmapList noPixmaps() const { return {}; }
    QString noName() const { return {}; }
    SniToolTip toolTip() const { return m_item->toolTip(); }

public slots:
    void Activate(int x, int y);
    void SecondaryActivate(int x, int y);
    void ContextMenu(int x, int y);
    void Scroll(int delta, const QString &orientation);

signals:
    void NewTitle();
    void NewIcon();
    void NewAttentionIcon();
    void NewOverlayIcon();
    void NewToolTip();
    void NewStatus(const QString &status);

private:
    StatusNotifierItem *m_item;
};

} // namespace softphone::tray
