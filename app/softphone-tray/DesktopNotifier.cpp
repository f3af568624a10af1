#include "DesktopNotifier.h"

#include "TrayLogging.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QLocale>

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
    QDBusConnection::sessionBus().connect(kService, kPath, kService,
                                          QStringLiteral("NotificationClosed"), this,
                                          SLOT(onClosed(uint, uint)));
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
                             const QStringList &actions, const QString &callId)
{
    QDBusConnectionInterface *bus = QDBusConnection::sessionBus().interface();
    if (!bus || !bus->isServiceRegistered(kService)) {
        qCInfo(lcTray) << "no notification service; tray balloon:" << summary;
        if (m_fallback)
            m_fallback(summary, body);
        return;
    }
    QDBusMessage call =
        QDBusMessage::createMethodCall(kService, kPath, kService, QStringLiteral("Notify"));
    QVariantMap hints{{QStringLiteral("desktop-entry"), QStringLiteral("softphone")},
                      {QStringLiteral("category"), callId.isEmpty()
                                                       ? QStringLiteral("im.received")
                                                       : QStringLiteral("call.incoming")}};
    if (!callId.isEmpty())
        hints.insert(QStringLiteral("urgency"), QVariant::fromValue(uchar(2))); // critical
    call << QStringLiteral("Softphone") << uint(0) << QStringLiteral("softphone") << summary << body
         << (m_actions ? actions : QStringList()) << hints << int(-1);
    auto *watcher =
        new QDBusPendingCallWatcher(QDBusConnection::sessionBus().asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, summary, callId](auto *w) {
        w->deleteLater();
        QDBusPendingReply<uint> reply = *w;
        if (reply.isError()) {
            qCWarning(lcTray) << "notification failed:" << reply.error().message();
            if (m_fallback)
                m_fallback(summary, QString());
            return;
        }
        if (!callId.isEmpty() && m_closeWhenShown.removeAll(callId) > 0) {
            close(reply.value());
            return;
        }
        m_ours.insert(reply.value(), callId);
    });
}

void DesktopNotifier::close(uint id)
{
    QDBusMessage call = QDBusMessage::createMethodCall(kService, kPath, kService,
                                                       QStringLiteral("CloseNotification"));
    call << id;
    QDBusConnection::sessionBus().asyncCall(call);
}

void DesktopNotifier::onActionInvoked(uint id, const QString &action)
{
    if (m_ours.contains(id))
        emit actionInvoked(action);
}

void DesktopNotifier::onClosed(uint id, uint)
{
    m_ours.remove(id);
}

void DesktopNotifier::incomingCall(const QString &caller, const QString &callId)
{
    notify(tr("Incoming call"), tr("%1 is calling").arg(caller),
           {QStringLiteral("answer:") + callId, tr("Answer"), QStringLiteral("decline:") + callId,
            tr("Decline")},
           callId);
}

void DesktopNotifier::closeIncoming(const QString &callId)
{
    if (callId.isEmpty())
        return;
    for (auto it = m_ours.begin(); it != m_ours.end(); ++it) {
        if (it.value() == callId) {
            const uint id = it.key();
            m_ours.erase(it);
            close(id);
            return;
        }
    }
    // Notify may still be on its way: close it when its id comes back.
    m_closeWhenShown.append(callId);
    while (m_closeWhenShown.size() > 16)
        m_closeWhenShown.removeFirst();
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
