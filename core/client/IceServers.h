#pragma once
// The STUN and TURN servers a login reply's `ice` names (docs/protocol.md
// "TURN credentials"), turned into what the call's IceAgent takes. Read
// with bounds: at most a few servers and URLs, credentials of sane length;
// only numeric addresses are used (IceAgent takes no names: IceServerNames
// resolves them first, and a name left is skipped with a log line). No
// `turns:` (TLS): libnice 0.1.21 in RFC 5245 mode speaks plain TCP to such a
// server (it has no TLS for TURN), so those URLs are skipped too.

#include "rtp/IceAgent.h"

#include <QJsonObject>

namespace softphone::client {

// The parts of "turn:HOST:PORT?transport=udp|tcp", "turns:HOST:PORT" (TLS)
// or "stun:HOST:PORT" (HOST a name, an IPv4 address or a bracketed IPv6 one);
// nullopt when it is none of them.
struct IceUrl
{
    QString scheme; // stun, turn, turns
    QString host;   // without brackets
    quint16 port = 3478;
    QString query; // "transport=..." or empty
    // The same URL with `address` (numeric) for the host.
    QString withHost(const QString &address) const;
};
std::optional<IceUrl> parseIceUrl(const QString &url);

// A STUN or TURN (UDP, TCP) server of a URL; nullopt when it does not parse,
// is `turns:`, or HOST is not a numeric address.
std::optional<rtp::IceAgent::Server> iceServerFromUrl(const QString &url);

// stun and turn of `ice` into settings (the rest of `base` kept).
rtp::IceAgent::Settings iceSettingsFromLogin(const QJsonObject &ice,
                                             rtp::IceAgent::Settings base = {});

} // namespace softphone::client
