#include "PushTargets.h"

#include "crypto/SealedPushData.h"
#include "push/WebPushData.h"

#include <QUrl>

namespace softphone::server::appserver {

PushTargets::PushTargets(const QList<crypto::EcKey> &keys, const QStringList &origins)
    : m_keys(keys)
{
    for (const QString &origin : origins) {
        const QString normalized = originOf(QUrl(origin));
        if (!normalized.isEmpty())
            m_origins.insert(normalized);
    }
}

QString PushTargets::originOf(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() || (scheme != u"https" && scheme != u"http"))
        return {};
    const int port = url.port(scheme == u"https" ? 443 : 80);
    return scheme + QStringLiteral("://") + url.host(QUrl::FullyEncoded).toLower() + u':' +
           QString::number(port);
}

PushTargets::Verdict PushTargets::resolve(const QByteArray &pushData, const QString &user,
                                          const QString &device,
                                          push::PushSubscription *subscription, QString *why) const
{
    const auto keyId = crypto::sealedPushDataKeyIdOf(pushData);
    const crypto::EcKey *key = nullptr;
    for (const crypto::EcKey &candidate : m_keys) {
        if (keyId && crypto::sealedPushDataKeyId(candidate) == *keyId)
            key = &candidate;
    }
    if (!key) {
        *why = QStringLiteral("push data not sealed to a push-data key of this server");
        return Verdict::Unreadable;
    }
    const auto opened = crypto::openSealedPushData(*key, pushData, why);
    if (!opened)
        return Verdict::Unreadable;
    const auto data = push::WebPushData::fromJson(*opened, why);
    if (!data)
        return Verdict::Unreadable;
    // Sealed data copied from another user's pair and registered as one's own
    // would make the server push to that user's device.
    if (data->user != user || data->device != device) {
        *why = QStringLiteral("the push data was sealed for %1/%2").arg(data->user, data->device);
        return Verdict::Unreadable;
    }
    if (!m_origins.contains(originOf(data->subscription.endpoint))) {
        *why = QStringLiteral("push service %1 is not trusted")
                   .arg(originOf(data->subscription.endpoint));
        return Verdict::NotAllowed;
    }
    *subscription = data->subscription;
    return Verdict::Ok;
}

} // namespace softphone::server::appserver
