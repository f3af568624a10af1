#include "DBusMenu.h"

#include <QDBusConnection>
#include <QDBusMessage>

namespace softphone::tray {

namespace {

// Qt's mnemonic ("&Open", "&&") in dbusmenu's words ("_Open", "__" for a '_').
QString dbusLabel(const QString &text)
{
    QString label;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c == u'_') {
            label += QStringLiteral("__");
        } else if (c == u'&') {
            if (i + 1 < text.size() && text.at(i + 1) == u'&') {
                label += u'&';
                ++i;
            } else {
                label += u'_';
            }
        } else {
            label += c;
        }
    }
    return label;
}

bool sameEntries(const QList<TrayMenuEntry> &a, const QList<TrayMenuEntry> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        const TrayMenuEntry &x = a.at(i), &y = b.at(i);
        if (x.action != y.action || x.text != y.text || x.checkable != y.checkable ||
            x.checked != y.checked || x.enabled != y.enabled || x.visible != y.visible)
            return false;
    }
    return true;
}

} // namespace

DBusMenu::DBusMenu(QObject *parent)
    : QObject(parent)
{
    registerDBusTrayTypes();
}

void DBusMenu::setEntries(const QList<TrayMenuEntry> &entries)
{
    if (sameEntries(entries, m_entries))
        return;
    m_entries = entries;
    ++m_revision;
    emit layoutUpdated(m_revision, 0);
}

QVariantMap DBusMenu::properties(int id, const QStringList &names) const
{
    QVariantMap all;
    if (id == 0) {
        all.insert(QStringLiteral("children-display"), QStringLiteral("submenu"));
    } else if (hasItem(id)) {
        const TrayMenuEntry &entry = m_entries.at(id - 1);
        if (entry.isSeparator()) {
            all.insert(QStringLiteral("type"), QStringLiteral("separator"));
        } else {
            all.insert(QStringLiteral("label"), dbusLabel(entry.text));
            all.insert(QStringLiteral("enabled"), entry.enabled);
            if (entry.checkable) {
                all.insert(QStringLiteral("toggle-type"), QStringLiteral("checkmark"));
                all.insert(QStringLiteral("toggle-state"), entry.checked ? 1 : 0);
            }
        }
        all.insert(QStringLiteral("visible"), entry.visible);
    }
    if (names.isEmpty())
        return all;
    QVariantMap wanted;
    for (const QString &name : names)
        if (all.contains(name))
            wanted.insert(name, all.value(name));
    return wanted;
}

uint DBusMenu::layout(int parentId, int depth, const QStringList &names,
                      DBusMenuLayoutItem *item) const
{
    item->id = parentId;
    item->properties = properties(parentId, names);
    item->children.clear();
    // Only the root has children: the menu is flat.
    if (parentId == 0 && depth != 0)
        for (int id = 1; id <= m_entries.size(); ++id)
            item->children.append({id, properties(id, names), {}});
    return m_revision;
}

DBusMenuItemList DBusMenu::groupProperties(const QList<int> &ids, const QStringList &names) const
{
    DBusMenuItemList items;
    for (int id : ids)
        if (hasItem(id))
            items.append({id, properties(id, names)});
    return items;
}

QVariant DBusMenu::itemProperty(int id, const QString &name) const
{
    return properties(id, {}).value(name);
}

bool DBusMenu::handleEvent(int id, const QString &eventId)
{
    if (!hasItem(id))
        return false;
    if (id == 0 || eventId != QLatin1String("clicked"))
        return true; // opened, closed, hovered: nothing to do
    const TrayMenuEntry entry = m_entries.at(id - 1);
    if (entry.isSeparator() || !entry.enabled || !entry.visible)
        return true;
    // After the reply to the event has gone (Quit ends the process).
    QMetaObject::invokeMethod(
        this,
        [this, entry] {
            if (chosen)
                chosen(entry.action, entry.checkable ? !entry.checked : false);
        },
        Qt::QueuedConnection);
    return true;
}

DBusMenuAdaptor::DBusMenuAdaptor(DBusMenu *menu)
    : QDBusAbstractAdaptor(menu)
    , m_menu(menu)
{
    connect(menu, &DBusMenu::layoutUpdated, this, &DBusMenuAdaptor::LayoutUpdated);
}

uint DBusMenuAdaptor::GetLayout(int parentId, int recursionDepth, const QStringList &propertyNames,
                                DBusMenuLayoutItem &layout)
{
    return m_menu->layout(parentId, recursionDepth, propertyNames, &layout);
}

DBusMenuItemList DBusMenuAdaptor::GetGroupProperties(const QList<int> &ids,
                                                     const QStringList &propertyNames)
{
    return m_menu->groupProperties(ids, propertyNames);
}

QDBusVariant DBusMenuAdaptor::GetProperty(int id, const QString &name)
{
    return QDBusVariant(m_menu->itemProperty(id, name));
}

void DBusMenuAdaptor::Event(int id, const QString &eventId, const QDBusVariant &, uint)
{
    m_menu->handleEvent(id, eventId);
}

QList<int> DBusMenuAdaptor::EventGroup(const DBusMenuEventList &events)
{
    QList<int> errors;
    for (const DBusMenuEvent &e : events)
        if (!m_menu->handleEvent(e.id, e.eventId))
            errors.append(e.id);
    return errors;
}

bool DBusMenuAdaptor::AboutToShow(int)
{
    return false; // the layout is always up to date
}

QList<int> DBusMenuAdaptor::AboutToShowGroup(const QList<int> &ids, QList<int> &idErrors)
{
    for (int id : ids)
        if (!m_menu->hasItem(id))
            idErrors.append(id);
    return {};
}

} // namespace softphone::tray
