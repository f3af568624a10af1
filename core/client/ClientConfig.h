#pragma once
// What a client is, fixed before start(): the service, the user, the device and
// the capabilities it declares to the service (the seed's client model: changing
// them after start is an error).

#include "common/Version.h"

#include <QString>
#include <QStringList>
#include <QUrl>

namespace softphone::client {

struct ClientCapabilities
{
    bool calling = true;
    bool messaging = false;
    bool push = false;
    // Keep the connection while the app is in the background; without it the app
    // may terminate the client when hidden and rely on push to be reached.
    bool keepInBackground = true;
    bool operator==(const ClientCapabilities &) const = default;
};

// The one transport rule of every client (softphone, softphone-tray,
// softphone-cli): http:// and ws:// carry the password, the tokens and the push
// data in the clear, so they are for this machine only (127.0.0.0/8, ::1,
// localhost) unless the user said --allow-insecure. Empty when `url` may be
// used, else the reason, naming the host and the option.
QString insecureTransportError(const QUrl &url, bool allowInsecure);

// A service address, as the user gives it (--server, the sign-in page's field,
// the settings): one application server URL, or the URLs of several nodes of
// one service separated by commas, tried in that order when one stops
// answering (AccountSession, ServiceFailover). The parts, trimmed, empty ones
// dropped.
QStringList serviceUrls(const QString &address);
// Empty when every URL of `address` is an http(s) URL with a host that may be
// used (insecureTransportError()), else the reason, naming the URL.
QString serviceAddressError(const QString &address, bool allowInsecure);

struct ClientConfig
{
    QUrl serviceUrl; // ws:// or wss:// .../v1/calling
    QString userId;
    QString deviceId;
    ClientCapabilities capabilities;
    QString clientName = softphone::clientName("softphone");
    bool allowInsecure = false; // ws:// to a host other than loopback (--allow-insecure)

    // Empty when usable, else the reason (names the field).
    QString validate() const;
    bool operator==(const ClientConfig &) const = default;
};

} // namespace softphone::client
