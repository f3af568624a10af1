#include "DBusTrayTypes.h"

#include <QDBusMetaType>

namespace softphone::tray {

void registerDBusTrayTypes()
{
    static const bool done = [] {
        qDBusRegisterMetaType<SniIconPixmap>();
        qDBusRegisterMetaType<SniIconPixmapList>();
        qDBusRegisterMetaType<SniToolTip>();
        qDBusRegisterMetaType<DBusMenuItem>();
        qDBusRegisterMetaType<DBusMenuItemList>();
        qDBusRegisterMetaType<DBusMenuItemKeys>();
        qDBusRegisterMetaType<DBusMenuItemKeysList>();
        qDBusRegisterMetaType<DBusMenuLayoutItem>();
        qDBusRegisterMetaType<DBusMenuEvent>();
        qDBusRegisterMetaType<DBusMenuEventList>();
        // The lists by the names the adaptors' signatures use: QtDBus looks
        // them up by name and skips a method whose types it does not know.
        qRegisterMetaType<SniIconPixmapList>("softphone::tray::SniIconPixmapList");
        qRegisterMetaType<DBusMenuItemList>("softphone::tray::DBusMenuItemList");
        qRegisterMetaType<DBusMenuItemKeysList>("softphone::tray::DBusMenuItemKeysList");
        qRegisterMetaType<DBusMenuEventList>("softphone::tray::DBusMenuEventList");
        return true;
    }();
    Q_UNUSED(done);
}

QDBusArgument &operator<<(QDBusArgument &arg, const SniIconPixmap &value)
{
    arg.beginStructure();
    arg << value.width << value.height << value.bytes;
    arg.endStructure();
    return arg;
}

const QDBusArgument &operator>>(const QDBusArgument &arg, SniIconPixmap &value)
{
    arg.beginStructure();
    arg >> value.width >> value.height >> value.bytes;
    arg.endStructure();
    return arg;
}

QDBusArgument &operator<<(QDBusArgument &arg, const SniToolTip &value)
{
    arg.beginStructure();
    arg << value.iconName << value.pixmaps << value.title << value.description;
    arg.endStructure();
    return arg;
}

const QDBusArgument &operator>>(const QDBusArgument &arg, SniToolTip &value)
{
    arg.beginStructure();
    arg >> value.iconName >> value.pixmaps >> value.title >> value.description;
    arg.endStructure();
    return arg;
}

QDBusArgument &operator<<(QDBusArgument &arg, const DBusMenuItem &value)
{
    arg.beginStructure();
    arg << value.id << value.properties;
    arg.endStructure();
    return arg;
}

const QDBusArgument &operator>>(const QDBusArgument &arg, DBusMenuItem &value)
{
    arg.beginStructure();
    arg >> value.id >> value.properties;
    arg.endStructure();
    return arg;
}

QDBusArgument &operator<<(QDBusArgument &arg, const DBusMenuItemKeys &value)
{
    arg.beginStructure();
    arg << value.id << value.properties;
    arg.endStructure();
    return arg;
}

const QDBusArgument &operator>>(const QDBusArgument &arg, DBusMenuItemKeys &value)
{
    arg.beginStructure();
    arg >> value.id >> value.properties;
    arg.endStructure();
    return arg;
}

QDBusArgument &operator<<(QDBusArgument &arg, const DBusMenuLayoutItem &value)
{
    arg.beginStructure();
    arg << value.id << value.properties;
    arg.beginArray(qMetaTypeId<QDBusVariant>());
    for (const DBusMenuLayoutItem &child : value.children)
        arg << QDBusVariant(QVariant::fromValue(child));
    arg.endArray();
    arg.endStructure();
    return arg;
}

const QDBusArgument &operator>>(const QDBusArgument &arg, DBusMenuLayoutItem &value)
{
    arg.beginStructure();
    arg >> value.id >> value.properties;
    value.children.clear();
    arg.beginArray();
    while (!arg.atEnd()) {
        QDBusVariant child;
        arg >> child;
        // A child arrives as a QDBusArgument inside the variant.
        const QVariant inner = child.variant();
        if (inner.canConvert<QDBusArgument>()) {
            DBusMenuLayoutItem item;
            inner.value<QDBusArgument>() >> item;
            value.children.append(item);
        } else if (inner.canConvert<DBusMenuLayoutItem>()) {
            value.children.append(inner.value<DBusMenuLayoutItem>());
        }
    }
    arg.endArray();
    arg.endStructure();
    return arg;
}

QDBusArgument &operator<<(QDBusArgument &arg, const DBusMenuEvent &value)
{
    arg.beginStructure();
    arg << value.id << value.eventId << value.data << value.timestamp;
    arg.endStructure();
    return arg;
}

const QDBusArgument &operator>>(const QDBusArgument &arg, DBusMenuEvent &value)
{
    arg.beginStructure();
    arg >> value.id >> value.eventId >> value.data >> value.timestamp;
    arg.endStructure();
    return arg;
}

} // namespace softphone::tray
