#pragma once
// Time-limited TURN credentials in coturn's REST scheme (use-auth-secret,
// draft-uberti-behave-turn-rest): username = "<expiry unix seconds>:<user>",
// password = base64(HMAC-SHA1(shared secret, username)). The application
// server hands these out at login; coturn checks them with the same secret,
// so no per-user state is needed on the TURN server.

#include <QByteArray>
#include <QString>

namespace softphone::rtp {

struct TurnCredentials
{
    QString username;
    QString password;
    qint64 expiresAt = 0; // Unix seconds
};

TurnCredentials turnRestCredentials(const QByteArray &sharedSecret, const QString &user,
                                    qint64 expiresAtUnixSeconds);

} // namespace softphone::rtp
