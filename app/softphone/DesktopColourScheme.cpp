#include "DesktopColourScheme.h"

#include "AppLogging.h"
#include "ui/Theme.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusVariant>

namespace softphone::app {

namespace {
const QString kService = QStringLiteral("org.freedesktop.portal.Desktop");
const QString kPath = QStringLiteral("/org/freedesktop/portal/desktop");
const QString kInterface = QStringLiteral("org.freedesktop.portal.Settings");
const QString kGroup = QStringLiteral("org.freedesktop.appearance");
const QString kKey = QStringLiteral("color-scheme");
constexpr int kReadTimeoutMs = 2000;
} // namespace

DesktopColourScheme::DesktopColourScheme(QObject *parent)
    : QObject(parent)
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected())
        return;
    // QDBusConnection::connect() finds the slot's argument types by name, and
    // Qt 6.4 knows QDBusVariant by name only once it is registered: without
    // this the connection is refused and the signal never heard.
    qRegisterMetaType<QDBusVariant>();
    // Whoever owns the portal's name sends it: matched on its path and
    // interface, so a portal started after us is heard as well.
    if (!bus.connect(QString(), kPath, kInterface, QStringLiteral("SettingChanged"), this,
                     SLOT(settingChanged(QString, QString, QDBusVariant))))
        qCWarning(lcApp) << "cannot follow the desktop's colour scheme:"
                         << bus.lastError().message();
    QDBusMessage read =
        QDBusMessage::createMethodCall(kService, kPath, kInterface, QStringLiteral("Read"));
    read << kGroup << kKey;
    // Not waited for: no portal (or a slow one) must not delay the window.
    auto *watcher = new QDBusPendingCallWatcher(bus.asyncCall(read, kReadTimeoutMs), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [](QDBusPendingCallWatcher *w) {
        w->deleteLater();
        const QDBusMessage reply = w->reply();
        if (reply.type() == QDBusMessage::ReplyMessage && !reply.arguments().isEmpty())
            take(reply.arguments().constFirst());
        else
            qCDebug(lcApp) << "no desktop colour scheme from the portal:" << reply.errorMessage();
    });
}

void DesktopColourScheme::settingChanged(const QString &group, const QString &key,
                                         const QDBusVariant &value)
{
    if (group == kGroup && key == kKey)
        take(value.variant());
}

void DesktopColourScheme::take(const QVariant &value)
{
    // Read answers the value in two variants (v of v of u), the signal in one.
    QVariant inner = value;
    for (int depth = 0; depth < 3 && inner.metaType() == QMetaType::fromType<QDBusVariant>();
         ++depth)
        inner = inner.value<QDBusVariant>().variant();
    using ui::theme::DesktopPreference;
    switch (inner.toUInt()) {
    case 1:
        ui::theme::setDesktopPreference(DesktopPreference::Dark);
        break;
    case 2:
        ui::theme::setDesktopPreference(DesktopPreference::Light);
        break;
    default:
        ui::theme::setDesktopPreference(DesktopPreference::None);
        break;
    }
}

} // namespace softphone::app
