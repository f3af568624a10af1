#include "NetworkWatch.h"

#include <QCoreApplication>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QNetworkInformation>
#include <QPointer>

namespace softphone::net {

namespace {
const QString kNetworkManager = QStringLiteral("org.freedesktop.NetworkManager");
constexpr uint kConnectedGlobal = 70; // NM_STATE_CONNECTED_GLOBAL
} // namespace

NetworkWatch *NetworkWatch::instance()
{
    static QPointer<NetworkWatch> watch;
    if (!watch)
        watch = new NetworkWatch(QCoreApplication::instance());
    return watch;
}

NetworkWatch::NetworkWatch(QObject *parent)
    : QObject(parent)
{
    QDBusConnection system = QDBusConnection::systemBus();
    if (system.isConnected() && system.interface() &&
        system.interface()->isServiceRegistered(kNetworkManager).value() &&
        system.connect(kNetworkManager, QStringLiteral("/org/freedesktop/NetworkManager"),
                       kNetworkManager, QStringLiteral("StateChanged"), this,
                       SLOT(onNetworkManagerState(uint))))
        m_source = QStringLiteral("NetworkManager");
}

void NetworkWatch::waitForReturn()
{
    if (m_source.isEmpty())
        useNetworkInformation();
}

void NetworkWatch::onNetworkManagerState(uint state)
{
    const bool back = state == kConnectedGlobal && m_networkManagerState != kConnectedGlobal;
    m_networkManagerState = state;
    if (back)
        emit online();
}

void NetworkWatch::useNetworkInformation()
{
    if (!QNetworkInformation::loadBackendByFeatures(QNetworkInformation::Feature::Reachability))
        return; // nothing tells: the connections' keepalives and backoff still do
    m_source = QStringLiteral("QNetworkInformation");
    connect(QNetworkInformation::instance(), &QNetworkInformation::reachabilityChanged, this,
            [this](QNetworkInformation::Reachability reachability) {
                if (reachability == QNetworkInformation::Reachability::Online)
                    emit online();
            });
}

} // namespace softphone::net
