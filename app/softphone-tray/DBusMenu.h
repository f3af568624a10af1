#pragma once
// The tray menu on the session bus as com.canonical.dbusmenu (the menu a
// StatusNotifierItem host shows; the protocol of libdbusmenu, as KDE, LXQt,
// XFCE and GNOME's AppIndicator extension read it). Items are the view's
// entries (TrayView::menu) with ids 1..n under the root 0; any change of the
// entries bumps the layout's revision and is announced (LayoutUpdated). A
// "clicked" event on an enabled, visible entry is the user's choice:
// chosen(action, checked), after the event's reply, so Quit answers first.

#include "DBusTrayTypes.h"
#include "TrayFace.h"

#include <QDBusAbstractAdaptor>
#include <QObject>
#include <functional>

namespace softphone::tray {

class DBusMenu : public QObject
{
    Q_OBJECT

public:
    static constexpr char kPath[] = "/MenuBar";

    explicit DBusMenu(QObject *parent = nullptr);

    void setEntries(const QList<TrayMenuEntry> &entries);
    std::function<void(TrayAction action, bool checked)> chosen;

    // The protocol, for the adaptor.
    uint layout(int parentId, int depth, const QStringList &names, DBusMenuLayoutItem *item) const;
    DBusMenuItemList groupProperties(const QList<int> &ids, const QStringList &names) const;
    QVariant itemProperty(int id, const QString &name) const;
    // False when there is no such item.
    bool handleEvent(int id, const QString &eventId);
    bool hasItem(int id) const { return id >= 0 && id <= m_entries.size(); }
    uint revision() const { return m_revision; }

signals:
    void layoutUpdated(uint revision, int parent);

private:
    QVariantMap properties(int id, const QStringList &names) const;

    QList<TrayMenuEntry> m_entries;
    uint m_revision = 1;
};

class DBusMenuAdaptor : public QDBusAbstractAdaptor
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "com.canonical.dbusmenu")
    Q_PROPERTY(uint Version READ version)
    Q_PROPERTY(QString TextDirection READ textDirection)
    Q_PROPERTY(QString Status READ status)
    Q_PROPERTY(QStringList IconThemePath READ iconThemePath)

public:
    explicit DBusMenuAdaptor(DBusMenu *menu);

    uint version() const { return 3; }
    QString textDirection() const { return QStringLiteral("ltr"); }
    QString status() const { return QStringLiteral("normal"); }
    QStringList iconThemePath() const { return {}; }

public slots:
    uint GetLayout(int parentId, int recursionDepth, const QStringList &propertyNames,
                   softphone::tray::DBusMenuLayoutItem &layout);
    softphone::tray::DBusMenuItemList GetGroupProperties(const QList<int> &ids,
                                                         const QStringList &propertyNames);
    QDBusVariant GetProperty(int id, const QString &name);
    void Event(int id, const QString &eventId, const QDBusVariant &data, uint timestamp);
    QList<int> EventGroup(const softphone::tray::DBusMenuEventList &events);
    bool AboutToShow(int id);
    QList<int> AboutToShowGroup(const QList<int> &ids, QList<int> &idErrors);

signals:
    void ItemsPropertiesUpdated(const softphone::tray::DBusMenuItemList &updatedProps,
                                const softphone::tray::DBusMenuItemKeysList &removedProps);
    void LayoutUpdated(uint revision, int parent);
    void ItemActivationRequested(int id, uint timestamp);

private:
    DBusMenu *m_menu;
};

} // namespace softphone::tray
