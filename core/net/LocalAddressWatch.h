#pragma once
// Tells when this machine's network changes under a call: an address gone
// (wifi left, a cable pulled) or a new one (wired plugged in), so the call
// restarts ICE at once instead of waiting ~7 s for the old path's consent to
// run out (docs/media.md "UDP media"). Qt 6.4's QNetworkInformation backends
// (NetworkManager, GLib's netlink monitor) report reachability and the
// transport medium, not an address change while online, so the set of
// usable addresses is polled with QNetworkInterface at a bounded rate (one
// netlink dump per pollMs, only while watching), and also at once when
// QNetworkInformation reports anything.

#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>

namespace softphone::net {

class LocalAddressWatch : public QObject
{
    Q_OBJECT
public:
    static constexpr int kDefaultPollMs = 2000;

    explicit LocalAddressWatch(int pollMs = kDefaultPollMs, QObject *parent = nullptr);

    // Takes the current addresses as the reference and watches until stop().
    void start();
    void stop();
    bool isWatching() const { return m_timer.isActive(); }

    // Up, running, not loopback; IPv6 link-local left out (they do not
    // reach a peer beyond the link, and come and go with the link).
    static QSet<QString> usableAddresses();

signals:
    // What changed, for logs: "gone 10.0.0.2; new 10.0.0.12".
    void changed(const QString &what);

private:
    void check();

    QTimer m_timer;
    QSet<QString> m_addresses;
    bool m_informationWatched = false;
};

} // namespace softphone::net
