#pragma once
// The STUN and TURN servers a login reply's `ice` names (docs/protocol.md
// "TURN credentials"), turned into what the call's IceAgent takes. Read
// with bounds: at most a few servers and URLs, credentials of sane length;
// only numeric addresses are used (IceAgent takes no names; a name is
// skipped with a log line).

#include "rtp/IceAgent.h"

#include <QJsonObject>

namespace softphone::client {

// "turn:HOST:PORT?transport=udp|tcp", "turns:HOST:PORT" (TLS), "stun:HOST:PORT";
// nullopt when it is none of them or HOST is not a numeric address.
std::optional<rtp::IceAgent::Server> iceServerFromUrl(const QString &url);

// stun and turn of `ice` into settings (the rest of `base` kept).
rtp::IceAgent::Settings iceSettingsFromLogin(const QJsonObject &ice,
                                             rtp::IceAgent::Settings base = {});

} // namespace softphone::client
