#pragma once
// The push data a device registers with the calling service when it is reached
// by Web Push (docs/protocol.md "Push registration"): whose device it is and its
// subscription, as JSON
//   {"provider":"webpush","user":U,"device":D,"subscription":{W3C JSON}}
// sealed to the application server's push-data key (SealedPushData), so only the
// application server reads the endpoint. Both sides use this one definition.

#include "PushSubscription.h"

#include <QByteArray>
#include <QString>
#include <optional>

namespace softphone::crypto {
class EcKey;
}

namespace softphone::push {

struct WebPushData
{
    QString user;
    QString device;
    PushSubscription subscription;

    QByteArray toJson() const;
    // Reads and validates the JSON above; nullopt and *why otherwise.
    static std::optional<WebPushData> fromJson(const QByteArray &json, QString *why);

    // toJson() sealed to the application server's public push-data key; empty
    // and *why when it does not fit the protocol's 1024 bytes or the key is unusable.
    QByteArray seal(const crypto::EcKey &serverKey, QString *why = nullptr) const;
};

} // namespace softphone::push
