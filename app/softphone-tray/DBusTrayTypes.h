#pragma once
// The D-Bus structures of the StatusNotifierItem (org.kde.StatusNotifierItem)
// and of its menu (com.canonical.dbusmenu), with their QtDBus marshalling.
// registerDBusTrayTypes() once before the objects are exported.

#include <QDBusArgument>
#include <QDBusVariant>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVariantMap>

namespace softphone::tray {

// (iiay): an ARGB32 picture in network byte order. The agent sends none (its
// icons go by name), but the properties must have their type.
struct SniIconPixmap
{
    int width = 0;
    int height = 0;
    QByteArray bytes;
};
using SniIconPixmapList = QList<SniIconPixmap>;

// (sa(iiay)ss): icon name, pictures, title, description (may hold basic markup).
struct SniToolTip
{
    QString iconName;
    SniIconPixmapList pixmaps;
    QString title;
    QString description;
};

// (ia{sv}): one menu item's properties.
struct DBusMenuItem
{
    int id = 0;
    QVariantMap properties;
};
using DBusMenuItemList = QList<DBusMenuItem>;

// (ias): the properties an item lost.
struct DBusMenuItemKeys
{
    int id = 0;
    QStringList properties;
};
using DBusMenuItemKeysList = QList<DBusMenuItemKeys>;

// (ia{sv}av): an item and its children, each a variant holding one of these.
struct DBusMenuLayoutItem
{
    int id = 0;
    QVariantMap properties;
    QList<DBusMenuLayoutItem> children;
};

// (isvu): one event of EventGroup.
struct DBusMenuEvent
{
    int id = 0;
    QString eventId;
    QDBusVariant data;
    uint timestamp = 0;
};
using DBusMenuEventList = QList<DBusMenuEvent>;

void registerDBusTrayTypes();

QDBusArgument &operator<<(QDBusArgument &arg, const SniIconPixmap &value);
const QDBusArgument &operator>>(const QDBusArgument &arg, SniIconPixmap &value);
QDBusArgument &operator<<(QDBusArgument &arg, const SniToolTip &value);
const QDBusArgument &operator>>(const QDBusArgument &arg, SniToolTip &value);
QDBusArgument &operator<<(QDBusArgument &arg, const DBusMenuItem &value);
const QDBusArgument &operator>>(const QDBusArgument &arg, DBusMenuItem &value);
QDBusArgument &operator<<(QDBusArgument &arg, const DBusMenuItemKeys &value);
const QDBusArgument &operator>>(const QDBusArgument &arg, DBusMenuItemKeys &value);
QDBusArgument &operator<<(QDBusArgument &arg, const DBusMenuLayoutItem &value);
const QDBusArgument &operator>>(const QDBusArgument &arg, DBusMenuLayoutItem &value);
QDBusArgument &operator<<(QDBusArgument &arg, const DBusMenuEvent &value);
const QDBusArgument &operator>>(const QDBusArgument &arg, DBusMenuEvent &value);

} // namespace softphone::tray

Q_DECLARE_METATYPE(softphone::tray::SniIconPixmap)
Q_DECLARE_METATYPE(softphone::tray::SniToolTip)
Q_DECLARE_METATYPE(softphone::tray::DBusMenuItem)
Q_DECLARE_METATYPE(softphone::tray::DBusMenuItemKeys)
Q_DECLARE_METATYPE(softphone::tray::DBusMenuLayoutItem)
Q_DECLARE_METATYPE(softphone::tray::DBusMenuEvent)
