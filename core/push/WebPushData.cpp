#include "WebPushData.h"

#include "crypto/SealedPushData.h"
#include "protocol/FieldValidators.h"
#include "protocol/Limits.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace softphone::push {

QByteArray WebPushData::toJson() const
{
    return QJsonDocument(QJsonObject{{"provider", "webpush"},
                                     {"user", user},
                                     {"device", device},
                                     {"subscription", subscription.toJson()}})
        .toJson(QJsonDocument::Compact);
}

std::optional<WebPushData> WebPushData::fromJson(const QByteArray &json, QString *whyOut)
{
    QString ignored;
    QString *why = whyOut ? whyOut : &ignored;
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    if (!doc.isObject()) {
        *why = QStringLiteral("the push data is not a JSON object");
        return std::nullopt;
    }
    const QJsonObject object = doc.object();
    const QString provider = object.value(u"provider").toString();
    if (provider != QLatin1String("webpush")) {
        *why = QStringLiteral("unknown push provider '%1' (this server knows: webpush)")
                   .arg(provider.left(32));
        return std::nullopt;
    }
    WebPushData data;
    data.user = object.value(u"user").toString();
    data.device = object.value(u"device").toString();
    if (!protocol::isValidUserId(data.user) || !protocol::isValidDeviceId(data.device)) {
        *why = QStringLiteral("the push data names no valid user and device");
        return std::nullopt;
    }
    QString problem;
    const auto subscription =
        PushSubscription::fromJson(object.value(u"subscription").toObject(), &problem);
    if (!subscription) {
        *why = QStringLiteral("the push data's subscription is unusable: %1").arg(problem);
        return std::nullopt;
    }
    data.subscription = *subscription;
    return data;
}

QByteArray WebPushData::seal(const crypto::EcKey &serverKey, QString *why) const
{
    return crypto::sealPushData(serverKey, toJson(), protocol::kMaxPushDataBytes, why);
}

} // namespace softphone::push
