#pragma once
// "The network is back", for the desktop's long-lived connections
// (KeptAliveSocket) and the tray agent: one watch per process.
// - With NetworkManager on the system bus: its StateChanged signal over QtDBus,
//   online() when it enters NM_STATE_CONNECTED_GLOBAL (what Qt's networkmanager
//   backend calls Online).
// - Else QNetworkInformation's reachability, loaded only once something waits
//   for the network (waitForReturn(): a connection was lost). Its first use
//   loads every network-information plugin, the GLib one with GIO, GObject and
//   libmount among them, and they stay mapped: about 3 MB of the tray agent's
//   resident memory at rest, which NetworkManager's signal does not cost
//   (docs/benchmarks.md "Tray agent").

#include <QObject>

namespace softphone::net {

class NetworkWatch : public QObject
{
    Q_OBJECT
public:
    // The process's watch (made on first use, a child of the application object).
    static NetworkWatch *instance();

    // Something waits for the network to come back: without NetworkManager,
    // QNetworkInformation is loaded now (and kept).
    void waitForReturn();
    // Which source tells: "NetworkManager", "QNetworkInformation" or "" (none yet).
    QString source() const { return m_source; }

signals:
    // Reachable again (globally), after not being so.
    void online();

private slots:
    void onNetworkManagerState(uint state);

private:
    explicit NetworkWatch(QObject *parent);
    void useNetworkInformation();

    QString m_source;
    uint m_networkManagerState = 0;
};

} // namespace softphone::net
