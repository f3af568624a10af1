#pragma once
// What an application server needs to push to one device: the W3C PushSubscription
// JSON {"endpoint":..., "keys":{"p256dh":..., "auth":...}}.

#include <QByteArray>
#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <QUrl>
#include <optional>

namespace softphone::push {

struct PushSubscription
{
    QUrl endpoint;
    QByteArray p256dh; // 65-byte uncompressed P-256 point
    QByteArray auth;   // 16-byte auth secret
    QString channelId; // the push service's channel (device side only; not in the JSON)

    bool isValid() const;
    QJsonObject toJson() const;
    QByteArray toJsonBytes() const;
    // Validates every field; on failure returns nullopt and says why in *error.
    static std::optional<PushSubscription> fromJson(const QJsonObject &json,
                                                    QString *error = nullptr);
    static std::optional<PushSubscription> fromJsonBytes(const QByteArray &json,
                                                         QString *error = nullptr);

    friend bool operator==(const PushSubscription &, const PushSubscription &) = default;
};

} // namespace softphone::push

Q_DECLARE_METATYPE(softphone::push::PushSubscription)
