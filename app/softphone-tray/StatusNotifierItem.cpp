#include "StatusNotifierItem.h"

#include "DBusMenu.h"
#include "TrayLogging.h"

#include <QCoreApplication>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusServiceWatcher>
#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QTimer>

namespace softphone::tray {

namespace {

const QString kWatcherInterface = QStringLiteral("org.kde.StatusNotifierWatcher");
const QString kWatcherPath = QStringLiteral("/StatusNotifierWatcher");

// Writes data to path unless it holds it already; false with the reason.
bool writeIfChanged(const QString &path, const QByteArray &data, QString *error)
{
    QFile existing(path);
    if (existing.open(QIODevice::ReadOnly) && existing.readAll() == data)
        return true;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit()) {
        *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

// The tooltip's text lines after the title, as the basic markup hosts show.
QString markup(const QStringList &lines)
{
    QStringList escaped;
    for (const QString &line : lines)
        escaped << line.toHtmlEscaped();
    return escaped.join(QStringLiteral("<br/>"));
}

} // namespace

StatusNotifierItem::StatusNotifierItem(const QString &iconFolder, QObject *parent)
    : QObject(parent)
    , m_iconFolder(iconFolder)
    , m_service(
          QStringLiteral("org.kde.StatusNotifierItem-%1-1").arg(QCoreApplication::applicationPid()))
    , m_menu(new DBusMenu(this))
    , m_watcher(new QDBusServiceWatcher(
          QString::fromLatin1(kWatcherService), QDBusConnection::sessionBus(),
          QDBusServiceWatcher::WatchForRegistration | QDBusServiceWatcher::WatchForUnregistration,
          this))
{
    registerDBusTrayTypes();
    new StatusNotifierItemAdaptor(this);
    new DBusMenuAdaptor(m_menu);
    m_menu->chosen = [this](TrayAction action, bool checked) {
        if (chosen)
            chosen(action, checked);
    };
    QString error;
    if (!writeIcons(&error))
        qCWarning(lcTray) << "the tray pictures could not be written (the panel shows none):"
                          << error;

    QDBusConnection bus = QDBusConnection::sessionBus();
    m_exported =
        bus.isConnected() &&
        bus.registerObject(QString::fromLatin1(kItemPath), this, QDBusConnection::ExportAdaptors) &&
        bus.registerObject(QString::fromLatin1(DBusMenu::kPath), m_menu,
                           QDBusConnection::ExportAdaptors);
    if (m_exported && !bus.registerService(m_service)) {
        qCWarning(lcTray) << "cannot own" << m_service
                          << "on the session bus:" << bus.lastError().message();
        m_service = bus.baseService();
    }
    if (!m_exported) {
        qCWarning(lcTray) << "no session bus: no status notifier item";
        return;
    }
    connect(m_watcher, &QDBusServiceWatcher::serviceRegistered, this,
            [this] { registerWithWatcher(); });
    connect(m_watcher, &QDBusServiceWatcher::serviceUnregistered, this, [this] {
        if (m_registered)
            qCInfo(lcTray) << "the status notifier watcher left: headless until one comes back";
        m_registered = false;
    });
    const auto owner = bus.interface()->isServiceRegistered(QString::fromLatin1(kWatcherService));
    if (owner.isValid() && owner.value())
        registerWithWatcher();
}

StatusNotifierItem::~StatusNotifierItem()
{
    if (!m_exported)
        return;
    QDBusConnection bus = QDBusConnection::sessionBus();
    bus.unregisterObject(QString::fromLatin1(kItemPath));
    bus.unregisterObject(QString::fromLatin1(DBusMenu::kPath));
    if (m_service != bus.baseService())
        bus.unregisterService(m_service);
}

bool StatusNotifierItem::writeIcons(QString *error) const
{
    const QString themed = m_iconFolder + QStringLiteral("/hicolor/scalable/status");
    if (!QDir().mkpath(themed)) {
        *error = QStringLiteral("cannot make %1").arg(themed);
        return false;
    }
    const QDir resources(QStringLiteral(":/tray"));
    const QStringList files = resources.entryList({QStringLiteral("*.svg")}, QDir::Files);
    for (const QString &name : files) {
        QFile svg(resources.filePath(name));
        if (!svg.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read %1").arg(svg.fileName());
            return false;
        }
        const QByteArray data = svg.readAll();
        // Flat for hosts that look there (GNOME's extension, libappindicator's
        // way), in hicolor's layout for those that read it as a theme (KDE).
        if (!writeIfChanged(m_iconFolder + QLatin1Char('/') + name, data, error) ||
            !writeIfChanged(themed + QLatin1Char('/') + name, data, error))
            return false;
    }
    return true;
}

void StatusNotifierItem::registerWithWatcher(int attempt)
{
    QDBusMessage call = QDBusMessage::createMethodCall(
        QString::fromLatin1(kWatcherService), kWatcherPath, kWatcherInterface,
        QStringLiteral("RegisterStatusNotifierItem"));
    call << m_service;
    auto *pending =
        new QDBusPendingCallWatcher(QDBusConnection::sessionBus().asyncCall(call, 10000), this);
    connect(pending, &QDBusPendingCallWatcher::finished, this,
            [this, attempt](QDBusPendingCallWatcher *w) {
                w->deleteLater();
                const QDBusPendingReply<> reply = *w;
                if (reply.isError()) {
                    constexpr int kAttempts = 6;
                    const bool again = attempt + 1 < kAttempts;
                    qCWarning(lcTray) << "the status notifier watcher refused the item:"
                                      << reply.error().message() << (again ? "(trying again)" : "");
                    if (again)
                        QTimer::singleShot(250 << attempt, this, [this, attempt] {
                            const auto owner =
                                QDBusConnection::sessionBus().interface()->isServiceRegistered(
                                    QString::fromLatin1(kWatcherService));
                            if (!m_registered && owner.isValid() && owner.value())
                                registerWithWatcher(attempt + 1);
                        });
                    return;
                }
                m_registered = true;
                qCInfo(lcTray) << "tray icon: status notifier item" << m_service;
            });
}

void StatusNotifierItem::show(const TrayView &view)
{
    const TrayView before = m_view;
    const QString statusBefore = status();
    m_view = view;
    m_menu->setEntries(view.menu);
    if (view.iconName != before.iconName) {
        emit newIcon();
        emit newAttentionIcon();
    }
    if (view.badgeIcon != before.badgeIcon)
        emit newOverlayIcon();
    if (view.toolTip != before.toolTip)
        emit newToolTip();
    if (status() != statusBefore)
        emit newStatus(status());
}

QString StatusNotifierItem::status() const
{
    return m_view.badgeIcon.isEmpty() ? QStringLiteral("Active") : QStringLiteral("NeedsAttention");
}

SniToolTip StatusNotifierItem::toolTip() const
{
    QStringList lines = m_view.toolTip.split(QLatin1Char('\n'));
    SniToolTip tip;
    tip.iconName = m_view.iconName;
    tip.title = lines.takeFirst();
    tip.description = markup(lines);
    return tip;
}

void StatusNotifierItem::activate()
{
    if (chosen)
        chosen(TrayAction::Open, false);
}

StatusNotifierItemAdaptor::StatusNotifierItemAdaptor(StatusNotifierItem *item)
    : QDBusAbstractAdaptor(item)
    , m_item(item)
{
    connect(item, &StatusNotifierItem::newIcon, this, &StatusNotifierItemAdaptor::NewIcon);
    connect(item, &StatusNotifierItem::newAttentionIcon, this,
            &StatusNotifierItemAdaptor::NewAttentionIcon);
    connect(item, &StatusNotifierItem::newOverlayIcon, this,
            &StatusNotifierItemAdaptor::NewOverlayIcon);
    connect(item, &StatusNotifierItem::newToolTip, this, &StatusNotifierItemAdaptor::NewToolTip);
    connect(item, &StatusNotifierItem::newStatus, this, &StatusNotifierItemAdaptor::NewStatus);
}

QDBusObjectPath StatusNotifierItemAdaptor::menu() const
{
    return QDBusObjectPath(QString::fromLatin1(DBusMenu::kPath));
}

void StatusNotifierItemAdaptor::Activate(int, int)
{
    // After the reply: the softphone starts detached, but keep the bus answered first.
    QMetaObject::invokeMethod(m_item, &StatusNotifierItem::activate, Qt::QueuedConnection);
}

void StatusNotifierItemAdaptor::SecondaryActivate(int, int) {}

void StatusNotifierItemAdaptor::ContextMenu(int, int)
{
    // The host shows the menu itself (Menu); nothing is drawn here.
}

void StatusNotifierItemAdaptor::Scroll(int, const QString &) {}

} // namespace softphone::tray
