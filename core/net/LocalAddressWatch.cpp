#include "LocalAddressWatch.h"

#include <QNetworkInformation>
#include <QNetworkInterface>

namespace softphone::net {

LocalAddressWatch::LocalAddressWatch(int pollMs, QObject *parent)
    : QObject(parent)
{
    m_timer.setInterval(std::max(pollMs, 200));
    connect(&m_timer, &QTimer::timeout, this, &LocalAddressWatch::check);
}

QSet<QString> LocalAddressWatch::usableAddresses()
{
    QSet<QString> addresses;
    const auto interfaces = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface &interface : interfaces) {
        const auto flags = interface.flags();
        if (!flags.testFlag(QNetworkInterface::IsUp) ||
            !flags.testFlag(QNetworkInterface::IsRunning) ||
            flags.testFlag(QNetworkInterface::IsLoopBack))
            continue;
        const auto entries = interface.addressEntries();
        for (const QNetworkAddressEntry &entry : entries) {
            const QHostAddress ip = entry.ip();
            if (ip.isLoopback() || ip.isLinkLocal())
                continue;
            addresses.insert(ip.toString());
        }
    }
    return addresses;
}

void LocalAddressWatch::start()
{
    m_addresses = usableAddresses();
    m_timer.start();
    if (m_informationWatched)
        return;
    m_informationWatched = true;
    // Whatever a backend reports (reachability, wifi to wired) means a look now.
    if (!QNetworkInformation::loadDefaultBackend() || !QNetworkInformation::instance())
        return;
    const QNetworkInformation *information = QNetworkInformation::instance();
    connect(information, &QNetworkInformation::reachabilityChanged, this, [this] {
        if (isWatching())
            check();
    });
    connect(information, &QNetworkInformation::transportMediumChanged, this, [this] {
        if (isWatching())
            check();
    });
}

void LocalAddressWatch::stop()
{
    m_timer.stop();
}

void LocalAddressWatch::check()
{
    const QSet<QString> now = usableAddresses();
    if (now == m_addresses)
        return;
    QStringList gone = QSet<QString>(m_addresses).subtract(now).values();
    QStringList added = QSet<QString>(now).subtract(m_addresses).values();
    gone.sort();
    added.sort();
    m_addresses = now;
    QStringList parts;
    if (!gone.isEmpty())
        parts << QStringLiteral("gone %1").arg(gone.join(u", "));
    if (!added.isEmpty())
        parts << QStringLiteral("new %1").arg(added.join(u", "));
    emit changed(parts.join(u"; "));
}

} // namespace softphone::net
