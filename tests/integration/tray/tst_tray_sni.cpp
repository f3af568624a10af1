// The tray agent in a StatusNotifier panel, as a user of KDE, LXQt, XFCE or
// GNOME's AppIndicator extension meets it: lxqt-panel (its status notifier
// plugin is the session's org.kde.StatusNotifierWatcher) on the test session's
// Xvfb and bus. The agent registers its item there; the test reads the item as
// the panel does (IconName, OverlayIconName, Status, ToolTip, IconThemePath)
// while the state changes, and drives its menu through com.canonical.dbusmenu
// as the panel does on a click (GetLayout, Event "clicked"). The agent loads
// no Qt Gui then. Everything else is real too: softphone-server on loopback,
// the softphone the agent starts, a caller as an in-process client.
#include "softphone-tray/DBusTrayTypes.h"
#include "support/DesktopShell.h"
#include "support/TrayTestSupport.h"

#include <QDBusArgument>
#include <QDBusMessage>
#include <QDBusVariant>

using namespace traytest;
using softphone::test::StatusNotifierHost;
using softphone::test::visibleWindows;
using softphone::test::waitForWindow;
using softphone::tray::DBusMenuLayoutItem;
using softphone::tray::SniToolTip;

namespace {

constexpr int kWindowMs = 30000;
const QString kItemInterface = QStringLiteral("org.kde.StatusNotifierItem");
const QString kMenuInterface = QStringLiteral("com.canonical.dbusmenu");
const QString kMainWindow = QStringLiteral("^Softphone( - .+)?$");

// One registered item ("<bus name>/<path>"), read and driven as a panel does.
class Item
{
public:
    explicit Item(const QString &registered)
        : m_service(registered.section(QLatin1Char('/'), 0, 0))
        , m_path(QLatin1Char('/') + registered.section(QLatin1Char('/'), 1))
    {}

    QVariant property(const QString &name, const QString &interface = kItemInterface) const
    {
        QDBusMessage call = QDBusMessage::createMethodCall(
            m_service, interface == kItemInterface ? m_path : menuPath(),
            QStringLiteral("org.freedesktop.DBus.Properties"), QStringLiteral("Get"));
        call << interface << name;
        const QDBusMessage reply = QDBusConnection::sessionBus().call(call, QDBus::Block, 10000);
        if (reply.type() != QDBusMessage::ReplyMessage || reply.arguments().isEmpty())
            return {};
        return reply.arguments().constFirst().value<QDBusVariant>().variant();
    }
    QString text(const QString &name) const { return property(name).toString(); }
    SniToolTip toolTip() const
    {
        SniToolTip tip;
        const QVariant value = property(QStringLiteral("ToolTip"));
        if (value.canConvert<QDBusArgument>())
            value.value<QDBusArgument>() >> tip;
        return tip;
    }
    QString menuPath() const
    {
        return property(QStringLiteral("Menu")).value<QDBusObjectPath>().path();
    }
    // A click on the icon.
    bool activate() const
    {
        QDBusMessage call = QDBusMessage::createMethodCall(m_service, m_path, kItemInterface,
                                                           QStringLiteral("Activate"));
        call << 0 << 0;
        return QDBusConnection::sessionBus().call(call, QDBus::Block, 10000).type() ==
               QDBusMessage::ReplyMessage;
    }

    // The menu's entries: label (with dbusmenu's '_' mnemonic) -> properties, id included.
    QMap<QString, QVariantMap> menu() const
    {
        QDBusMessage call = QDBusMessage::createMethodCall(m_service, menuPath(), kMenuInterface,
                                                           QStringLiteral("GetLayout"));
        call << 0 << -1 << QStringList();
        const QDBusMessage reply = QDBusConnection::sessionBus().call(call, QDBus::Block, 10000);
        QMap<QString, QVariantMap> entries;
        if (reply.type() != QDBusMessage::ReplyMessage || reply.arguments().size() != 2)
            return entries;
        DBusMenuLayoutItem root;
        reply.arguments().at(1).value<QDBusArgument>() >> root;
        for (const DBusMenuLayoutItem &child : std::as_const(root.children)) {
            QVariantMap properties = child.properties;
            properties.insert(QStringLiteral("id"), child.id);
            if (properties.contains(QStringLiteral("label")))
                entries.insert(properties.value(QStringLiteral("label")).toString(), properties);
        }
        return entries;
    }
    QStringList visibleEntries() const
    {
        QStringList labels;
        const auto entries = menu();
        for (auto it = entries.cbegin(); it != entries.cend(); ++it)
            if (it->value(QStringLiteral("visible"), true).toBool())
                labels << it.key();
        return labels;
    }
    // A click on the entry with this label; false when there is none or the call failed.
    bool click(const QString &label) const
    {
        const auto entries = menu();
        if (!entries.contains(label))
            return false;
        QDBusMessage call = QDBusMessage::createMethodCall(m_service, menuPath(), kMenuInterface,
                                                           QStringLiteral("Event"));
        call << entries.value(label).value(QStringLiteral("id")).toInt()
             << QStringLiteral("clicked") << QVariant::fromValue(QDBusVariant(QString()))
             << uint(0);
        return QDBusConnection::sessionBus().call(call, QDBus::Block, 10000).type() ==
               QDBusMessage::ReplyMessage;
    }

private:
    QString m_service;
    QString m_path;
};

// The libraries the process has mapped whose file name starts with one of prefixes.
QStringList librariesOf(qint64 pid, const QStringList &prefixes)
{
    QFile maps(QStringLiteral("/proc/%1/maps").arg(pid));
    QStringList libraries;
    if (!maps.open(QIODevice::ReadOnly))
        return {QStringLiteral("(maps unreadable)")};
    for (const QByteArray &line : maps.readAll().split('\n')) {
        const QString file = QString::fromUtf8(line.mid(line.lastIndexOf('/') + 1));
        for (const QString &prefix : prefixes)
            if (file.startsWith(prefix) && !libraries.contains(file))
                libraries << file;
    }
    return libraries;
}

// The item's tooltip is the one the agent reported (--report-state): the
// first line its title, the others its text, one per line.
bool saysTheSame(const SniToolTip &tip, const QJsonObject &line)
{
    QStringList lines = line.value(QStringLiteral("toolTip")).toString().split(u'\n');
    const QString title = lines.takeFirst();
    for (QString &l : lines)
        l = l.toHtmlEscaped();
    return tip.title == title && tip.description == lines.join(QStringLiteral("<br/>"));
}

QString introspect(const QString &service, const QString &path)
{
    QDBusMessage call = QDBusMessage::createMethodCall(
        service, path, QStringLiteral("org.freedesktop.DBus.Introspectable"),
        QStringLiteral("Introspect"));
    const QDBusMessage reply = QDBusConnection::sessionBus().call(call, QDBus::Block, 10000);
    return reply.arguments().value(0).toString();
}

int missedOf(const QJsonObject &line)
{
    return line.value(QStringLiteral("missedCalls")).toInt();
}

} // namespace

class TstTraySni : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        const QString missing = missingBinaries();
        QVERIFY2(missing.isEmpty(), qPrintable(missing));
        QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("lxqt-panel")).isEmpty(),
                 "missing lxqt-panel (packaging/install-deps.sh)");
        QVERIFY2(!qEnvironmentVariableIsEmpty("DISPLAY"),
                 "no X display (run under tests/desktop-session)");
        QString why;
        QVERIFY2(m_host.start(&why), qPrintable(why));
    }

    // Bob's agent online: its item in the panel says so (picture, tooltip).
    // A call he missed puts a badge on it; with the service gone it turns
    // offline and its tooltip says why. The agent has no Qt Gui loaded, and
    // while online none of what the keychain (libsecret: its child does that
    // work) or Qt's network-information plugins (GIO) would map.
    void itemShowsTheStateTheBadgeAndWhy()
    {
        BobOnline bob;
        QVERIFY2(bob.start(), qPrintable(bob.problem));
        const QString registered = m_host.waitForItemOf(bob.tray.process.processId(), kWindowMs);
        QVERIFY2(!registered.isEmpty(),
                 qPrintable(QStringLiteral("no item of the agent among [%1]")
                                .arg(m_host.items().join(QStringLiteral(", ")))));
        const Item item(registered);
        const QStringList qt =
            librariesOf(bob.tray.process.processId(), {QStringLiteral("libQt6")});
        QVERIFY2(!qt.join(u' ').contains(QStringLiteral("Gui")) &&
                     !qt.join(u' ').contains(QStringLiteral("Widgets")),
                 qPrintable(qt.join(QStringLiteral(", "))));
        const QStringList heavy =
            librariesOf(bob.tray.process.processId(),
                        {QStringLiteral("libsecret"), QStringLiteral("libqt6keychain"),
                         QStringLiteral("libgio")});
        QVERIFY2(heavy.isEmpty(), qPrintable(heavy.join(QStringLiteral(", "))));

        QTRY_COMPARE_WITH_TIMEOUT(item.text(QStringLiteral("IconName")),
                                  QStringLiteral("softphone-tray-online"), kWindowMs);
        QCOMPARE(item.text(QStringLiteral("Status")), QStringLiteral("Active"));
        QCOMPARE(item.text(QStringLiteral("OverlayIconName")), QString());
        QCOMPARE(item.toolTip().title, QStringLiteral("Softphone: online"));
        // The panel finds the pictures by name in the item's folder.
        const QString folder = item.text(QStringLiteral("IconThemePath"));
        QVERIFY2(QFile::exists(folder + QStringLiteral("/softphone-tray-online.svg")),
                 qPrintable(folder));

        // A call bob missed: the badge, and the panel is asked to look.
        const QString rang = aliceRingsBobThroughPush(bob.server);
        QVERIFY2(rang.isEmpty(), qPrintable(rang));
        QVERIFY2(bob.tray.waitForStateWhere([](auto &l) { return missedOf(l) == 1; }, kSlowMs),
                 qPrintable(QJsonDocument(bob.tray.lastState).toJson()));
        QTRY_COMPARE_WITH_TIMEOUT(item.text(QStringLiteral("OverlayIconName")),
                                  QStringLiteral("softphone-tray-badge-1"), kWindowMs);
        QVERIFY(QFile::exists(folder + QStringLiteral("/softphone-tray-badge-1.svg")));
        QCOMPARE(item.text(QStringLiteral("Status")), QStringLiteral("NeedsAttention"));
        QVERIFY2(item.toolTip().description.contains(QStringLiteral("1 missed call")),
                 qPrintable(item.toolTip().description));

        // The service goes away: offline, and the tooltip says why (the
        // reason may change as each service is found gone: the item says the
        // agent's last word).
        bob.server.kill();
        QVERIFY2(bob.tray.waitForState(QStringLiteral("offline"), 60000),
                 qPrintable(QJsonDocument(bob.tray.lastState).toJson()));
        QTRY_COMPARE_WITH_TIMEOUT(item.text(QStringLiteral("IconName")),
                                  QStringLiteral("softphone-tray-offline"), kWindowMs);
        QTRY_VERIFY2_WITH_TIMEOUT((bob.tray.waitForStateWhere([](auto &) { return false; }, 200),
                                   saysTheSame(item.toolTip(), bob.tray.lastState)),
                                  qPrintable(item.toolTip().title + QLatin1Char('|') +
                                             item.toolTip().description + QStringLiteral(" / ") +
                                             QJsonDocument(bob.tray.lastState).toJson()),
                                  kWindowMs);
        QCOMPARE(item.toolTip().title, QStringLiteral("Softphone: offline"));
        const QString reason = bob.tray.lastState.value(QStringLiteral("reason")).toString();
        QVERIFY2(reason.contains(QStringLiteral("cannot be reached")), qPrintable(reason));
        QVERIFY(item.toolTip().description.contains(reason.toHtmlEscaped()));
    }

    // The menu the panel shows: Open opens the softphone (its window shows), a
    // click on the icon raises that same one; Do not disturb switches it on;
    // Quit ends the agent.
    void menuOpensTheSoftphoneSwitchesDoNotDisturbAndQuits()
    {
        QTemporaryDir home;
        Tray tray(Tray::Options{home.path(), {}, {}, true});
        tray.start({});
        QVERIFY2(tray.waitForState(QStringLiteral("signed_out"), kSlowMs),
                 qPrintable(QJsonDocument(tray.lastState).toJson()));
        const QString registered = m_host.waitForItemOf(tray.process.processId(), kWindowMs);
        QVERIFY2(!registered.isEmpty(), "the agent registered no item with the panel");
        const Item item(registered);
        QCOMPARE(item.text(QStringLiteral("IconName")), QStringLiteral("softphone-tray-offline"));
        QCOMPARE(item.toolTip().title, QStringLiteral("Softphone: signed out"));
        QCOMPARE(item.visibleEntries(),
                 (QStringList{QStringLiteral("Do not _disturb"), QStringLiteral("Sign _in…"),
                              QStringLiteral("_Call…"), QStringLiteral("_Open softphone"),
                              QStringLiteral("_Quit")}));
        QCOMPARE(item.menu().value(QStringLiteral("_Call…")).value(QStringLiteral("enabled")),
                 QVariant(false));
        // Every method and signal of the protocol is there (a panel may use any).
        const QString menuXml = introspect(registered.section(u'/', 0, 0), item.menuPath());
        for (const char *name :
             {"GetLayout", "GetGroupProperties", "GetProperty", "Event", "EventGroup",
              "AboutToShow", "AboutToShowGroup", "LayoutUpdated", "ItemsPropertiesUpdated"})
            QVERIFY2(menuXml.contains(QStringLiteral("name=\"%1\"").arg(QLatin1String(name))),
                     name);

        QVERIFY(item.click(QStringLiteral("Do not _disturb")));
        QVERIFY2(tray.waitForStateWhere(
                     [](auto &l) { return l.value(QStringLiteral("doNotDisturb")).toBool(); },
                     kWindowMs),
                 qPrintable(QJsonDocument(tray.lastState).toJson()));
        QTRY_COMPARE_WITH_TIMEOUT(item.menu()
                                      .value(QStringLiteral("Do not _disturb"))
                                      .value(QStringLiteral("toggle-state")),
                                  QVariant(1), kWindowMs);
        QVERIFY2(item.toolTip().description.contains(QStringLiteral("Do not disturb is on")),
                 qPrintable(item.toolTip().description));

        QVERIFY(item.click(QStringLiteral("_Open softphone")));
        QTRY_COMPARE_WITH_TIMEOUT(softphonesOf(home.path()).size(), 1, kSlowMs);
        const qint64 softphone = softphonesOf(home.path()).constFirst();
        QVERIFY2(!waitForWindow(softphone, {}, kSlowMs, false, kMainWindow).isEmpty(),
                 "the softphone shows no window");
        QVERIFY(item.activate());
        // The second launch hands over to the first and exits (slowly under ASan).
        QTest::qWait(2000);
        QTRY_COMPARE_WITH_TIMEOUT(softphonesOf(home.path()), QList<qint64>{softphone}, kSlowMs);
        QVERIFY(!visibleWindows(softphone, kMainWindow).isEmpty());

        QVERIFY(item.click(QStringLiteral("_Quit")));
        QTRY_COMPARE_WITH_TIMEOUT(tray.process.state(), QProcess::NotRunning, kWindowMs);
        QCOMPARE(tray.process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(tray.process.exitCode(), 0);
    }

    // The panel restarts (a crash, a settings change): the agent registers its
    // item with the new watcher by itself.
    void itemComesBackAfterThePanelRestarts()
    {
        QTemporaryDir home;
        Tray tray(Tray::Options{home.path(), {}, QStringLiteral("/bin/false"), true});
        tray.start({});
        QVERIFY(tray.waitForState(QStringLiteral("signed_out"), kSlowMs));
        QVERIFY(!m_host.waitForItemOf(tray.process.processId(), kWindowMs).isEmpty());
        softphone::test::stopProcess(m_host.process);
        QString why;
        QVERIFY2(m_host.start(&why), qPrintable(why));
        const QString registered = m_host.waitForItemOf(tray.process.processId(), kWindowMs);
        QVERIFY2(!registered.isEmpty(), "the agent did not register with the new panel");
        QCOMPARE(Item(registered).text(QStringLiteral("IconName")),
                 QStringLiteral("softphone-tray-offline"));
    }

private:
    StatusNotifierHost m_host;
};

QTEST_GUILESS_MAIN(TstTraySni)
#include "tst_tray_sni.moc"
