#pragma once
// The push payload of docs/protocol.md "The push payload": a compact ES256 JWT
// with header typ "sp-push", signed with the calling service's payload key, so
// a device (and the application server relaying it) can tell a real ring from a
// forged one, and names the device and push data it was issued for. No message text or other
// content goes in: the device fetches that over its own authenticated connection.

#include "protocol/FieldValidators.h"

#include "crypto/EcKey.h"

#include <QString>

namespace softphone::server::calling {

struct PushPayload
{
    static inline const QString kType = QStringLiteral("sp-push");
    static constexpr qint64 kMessageLifetimeSeconds = 30LL * 24 * 3600;

    QString kind; // "call" | "message" | "cancel"
    QString id;   // call or message id
    QString from;
    QString to;
    // The pair's device and the SHA-256 of its push data (claims "dev", "pdh"):
    // the application server relays the pair only with exactly that device and data.
    QString device;
    QByteArray pushData;
    qint64 issuedAt = 0;  // seconds since the epoch
    qint64 expiresAt = 0; // seconds: the ring deadline for calls, 30 days for messages
    bool video = false;
    protocol::Headers headers; // calls only

    // header.claims.signature, base64url; empty if the key cannot sign.
    QString sign(const crypto::EcKey &key) const;
    // The "pdh" claim for push data: base64url SHA-256.
    static QString pushDataHash(const QByteArray &pushData);
};

} // namespace softphone::server::calling
