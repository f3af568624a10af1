#pragma once
// The TURN server the application server hands time-limited credentials for
// with every access token (docs/protocol.md "TURN credentials"): coturn with
// `use-auth-secret`, whose `static-auth-secret` the operator also gives this
// server in a file. Configured with `--set appserver.turn_server=HOST:PORT`
// and `--set appserver.turn_secret_file=PATH` (both or neither; without them
// clients get no `ice` and reach each other peer to peer or over the
// WebSocket relay), `appserver.turn_ttl=SECONDS` (default a day). HOST may
// be a name (the clients resolve it) or a numeric address.

#include "softphone-server/common/ServerOptions.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <optional>

namespace softphone::server::appserver {

class TurnGrant
{
public:
    static constexpr int kDefaultTtlSeconds = 86400;

    // nullopt and no *error when TURN is not configured; nullopt with *error
    // when it is configured wrongly (one setting without the other, a secret
    // file that cannot be read or is empty).
    static std::optional<TurnGrant> fromOptions(const ServerOptions &options, QString *error);

    // {"stun":[...],"turn":[{"urls":[...],"username","credential","ttl"}]}
    QJsonObject iceFor(const QString &user, const QDateTime &now) const;

private:
    QString m_server; // HOST:PORT as given (HOST a name or numeric)
    QByteArray m_secret;
    int m_ttlSeconds = kDefaultTtlSeconds;
};

} // namespace softphone::server::appserver
