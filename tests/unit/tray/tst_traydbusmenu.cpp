// The tray menu as a StatusNotifier panel reads it (com.canonical.dbusmenu,
// app/softphone-tray/DBusMenu): the entries TrayIcon decides, with dbusmenu's
// mnemonics, separators, the do-not-disturb checkmark and what is hidden or
// greyed out; a new layout revision on every change and only then; a click is
// the user's choice, answered first, and a click on a greyed-out entry is none.
#include "softphone-tray/DBusMenu.h"
#include "softphone-tray/TrayIcon.h"

#include <QSignalSpy>
#include <QtTest>

using softphone::tray::DBusMenu;
using softphone::tray::DBusMenuLayoutItem;
using softphone::tray::TrayAction;
using softphone::tray::TrayIcon;

namespace {

// label (or "-" for a separator) of each visible child, in order.
QStringList visibleLabels(const DBusMenuLayoutItem &root)
{
    QStringList labels;
    for (const DBusMenuLayoutItem &child : root.children) {
        if (!child.properties.value(QStringLiteral("visible"), true).toBool())
            continue;
        labels << (child.properties.value(QStringLiteral("type")) == QStringLiteral("separator")
                       ? QStringLiteral("-")
                       : child.properties.value(QStringLiteral("label")).toString());
    }
    return labels;
}

int idOf(const DBusMenuLayoutItem &root, const QString &label)
{
    for (const DBusMenuLayoutItem &child : root.children)
        if (child.properties.value(QStringLiteral("label")) == label)
            return child.id;
    return -1;
}

} // namespace

class TstTrayDBusMenu : public QObject
{
    Q_OBJECT

private slots:
    void layoutFollowsTheState()
    {
        TrayIcon icon(false);
        DBusMenu menu;
        QSignalSpy updated(&menu, &DBusMenu::layoutUpdated);
        icon.setState(TrayIcon::State::SignedOut);
        menu.setEntries(icon.view().menu);
        QCOMPARE(updated.size(), 1);
        DBusMenuLayoutItem root;
        const uint first = menu.layout(0, -1, {}, &root);
        QCOMPARE(root.properties.value(QStringLiteral("children-display")),
                 QVariant(QStringLiteral("submenu")));
        QCOMPARE(visibleLabels(root),
                 (QStringList{QStringLiteral("_Open softphone"), QStringLiteral("_Call…"),
                              QStringLiteral("Do not _disturb"), QStringLiteral("-"),
                              QStringLiteral("Sign _in…"), QStringLiteral("-"),
                              QStringLiteral("_Quit")}));
        const int call = idOf(root, QStringLiteral("_Call…"));
        const int dnd = idOf(root, QStringLiteral("Do not _disturb"));
        QCOMPARE(menu.itemProperty(call, QStringLiteral("enabled")), QVariant(false));
        QCOMPARE(menu.itemProperty(dnd, QStringLiteral("toggle-type")),
                 QVariant(QStringLiteral("checkmark")));
        QCOMPARE(menu.itemProperty(dnd, QStringLiteral("toggle-state")), QVariant(0));

        // The same entries again: no new revision.
        menu.setEntries(icon.view().menu);
        QCOMPARE(updated.size(), 1);

        icon.setState(TrayIcon::State::Online);
        icon.setDoNotDisturb(true);
        menu.setEntries(icon.view().menu);
        QCOMPARE(updated.size(), 2);
        QVERIFY(menu.layout(0, -1, {}, &root) > first);
        QCOMPARE(visibleLabels(root).mid(4, 1), QStringList{QStringLiteral("Sig_n out")});
        QCOMPARE(menu.itemProperty(call, QStringLiteral("enabled")), QVariant(true));
        QCOMPARE(menu.itemProperty(dnd, QStringLiteral("toggle-state")), QVariant(1));
        // Only the properties asked for.
        const auto group = menu.groupProperties({dnd}, {QStringLiteral("toggle-state")});
        QCOMPARE(group.size(), 1);
        QCOMPARE(group.constFirst().properties.keys(), QStringList{QStringLiteral("toggle-state")});
    }

    void clickIsTheUsersChoice()
    {
        TrayIcon icon(false);
        icon.setState(TrayIcon::State::SignedOut);
        DBusMenu menu;
        menu.setEntries(icon.view().menu);
        DBusMenuLayoutItem root;
        menu.layout(0, -1, {}, &root);
        QList<std::pair<TrayAction, bool>> chosen;
        menu.chosen = [&](TrayAction action, bool checked) { chosen.append({action, checked}); };

        // Greyed out (signed out): nothing.
        QVERIFY(menu.handleEvent(idOf(root, QStringLiteral("_Call…")), QStringLiteral("clicked")));
        // Do not disturb is off: the click switches it on, after the event's reply.
        QVERIFY(menu.handleEvent(idOf(root, QStringLiteral("Do not _disturb")),
                                 QStringLiteral("clicked")));
        QVERIFY(chosen.isEmpty());
        QCoreApplication::processEvents();
        QCOMPARE(chosen.size(), 1);
        QCOMPARE(chosen.constFirst().first, TrayAction::DoNotDisturb);
        QCOMPARE(chosen.constFirst().second, true);
        // Hovering is no choice; an unknown item is an error.
        QVERIFY(menu.handleEvent(idOf(root, QStringLiteral("_Quit")), QStringLiteral("hovered")));
        QVERIFY(!menu.handleEvent(99, QStringLiteral("clicked")));
        QCoreApplication::processEvents();
        QCOMPARE(chosen.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TstTrayDBusMenu)
#include "tst_traydbusmenu.moc"
