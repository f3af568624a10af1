#include "DesktopNotifier.h"

#include "TrayLogging.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QLocale>
#include <QSystemTrayIcon>

namespace softphone::tray {

namespace {
const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");
} // namespace

DesktopNotifier::DesktopNotifier(QObject *parent)
    : QObject(parent)
{
    QDBusConnection::sessionBus().connect(kService, kPath, kService,
                                          QStringLiteral("ActionInvoked"), this,
                                          SLOT(onActionInvoked(uint, QString)));
    // Asked once, without waiting: until the answer, notifications go without actions.
    QDBusMessage call = QDBusMessage::createMethodCall(kService, kPath, kService,
                                                       QStringLiteral("GetCapabilities"));
    auto *watcher =
        new QDBusPendingCallWatcher(QDBusConnection::sessionBus().asyncCall(call, 5000), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this](auto *w) {
        w->deleteLater();
        QDBusPendingReply<QStringList> reply = *w;
        m_actions = !reply.isError() && reply.value().contains(QStringLiteral("actions"));
    });
}

void DesktopNotifier::notify(const QString &summary, const QString &body,
                             const QStringList &actions)
{
    QDBusConnectionInterface *bus = QDBusConnection::sessionBus().interface();
    if (!bus || !bus->isServiceRegistered(kService)) {
        qCInfo(lcTray) << "no notification service; tray balloon:" << summary;
        if (m_fallback && QSystemTrayIcon::isSystemTrayAvailable())
            m_fallback->showMessage(summary, body);
        return;
    }
    QDBusMessage call =
        QDBusMessage::createMethodCall(kService, kPath, kService, QStringLiteral("Notify"));
    QVariantMap hints{{QStringLiteral("desktop-entry"), QStringLiteral("softphone")},
                      {QStringLiteral("category"), QStringLiteral("im.received")}};
    call << QStringLiteral("Softphone") << uint(0) << QStringLiteral("softphone") << summary << body
         << (m_actions ? actions : QStringList()) << hints << int(-1);
    auto *watcher =
        new QDBusPendingCallWatcher(QDBusConnection::sessionBus().asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, summary](auto *w) {
        w->deleteLater();
        QDBusPendingReply<uint> reply = *w;
        if (reply.isError()) {
            qCWarning(lcTray) << "notification failed:" << reply.error().message();
            if (m_fallback && QSystemTrayIcon::isSystemTrayAvailable())
                m_fallback->showMessage(summary, QString());
            return;
        }
        m_ours.insert(reply.value(), true);
    });
}

void DesktopNotifier::onActionInvoked(uint id, const QString &action)
{
    if (m_ours.contains(id))
        emit actionInvoked(action);
}

void DesktopNotifier::incomingCall(const QString &caller)
{
    notify(tr("Incoming call"), tr("%1 is calling").arg(caller),
           {QStringLiteral("answer"), tr("Answer"), QStringLiteral("decline"), tr("Decline")});
}

void DesktopNotifier::missedCall(const QString &caller, const QDateTime &when)
{
    const QString time = QLocale().toString(when.toLocalTime().time(), QLocale::ShortFormat);
    notify(tr("Missed call"), tr("%1 called at %2").arg(caller, time),
           {QStringLiteral("callback:") + caller, tr("Call back")});
}

void DesktopNotifier::newMessage(const QString &sender)
{
    notify(tr("New message"), tr("New message from %1").arg(sender),
           {QStringLiteral("open"), tr("Open")});
}

} // namespace softphone::tray
