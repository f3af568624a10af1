#include "ClientConfig.h"

#include "protocol/FieldValidators.h"

#include <QHostAddress>

namespace softphone::client {

QString insecureTransportError(const QUrl &url, bool allowInsecure)
{
    const QString scheme = url.scheme().toLower();
    if (allowInsecure || (scheme != u"http" && scheme != u"ws"))
        return {};
    const QString host = url.host();
    if (host.compare(u"localhost", Qt::CaseInsensitive) == 0 || QHostAddress(host).isLoopback())
        return {};
    return QStringLiteral("refusing %1://%2: an unencrypted connection to another machine would "
                          "show the password and tokens to the network; use %3:// or pass "
                          "--allow-insecure")
        .arg(scheme, host, scheme == u"ws" ? QStringLiteral("wss") : QStringLiteral("https"));
}

QStringList serviceUrls(const QString &address)
{
    QStringList urls;
    for (const QString &part : address.split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (const QString url = part.trimmed(); !url.isEmpty())
            urls << url;
    return urls;
}

QString serviceAddressError(const QString &address, bool allowInsecure)
{
    const QStringList urls = serviceUrls(address);
    if (urls.isEmpty())
        return QStringLiteral("no application server URL given");
    for (const QString &text : urls) {
        const QUrl url(text);
        if (!url.isValid() || url.host().isEmpty() ||
            (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
            return QStringLiteral("not an http(s) URL: %1").arg(text);
        if (const QString insecure = insecureTransportError(url, allowInsecure);
            !insecure.isEmpty())
            return insecure;
    }
    return {};
}

QString ClientConfig::validate() const
{
    if (!serviceUrl.isValid() || serviceUrl.host().isEmpty())
        return QStringLiteral("the service URL is missing or invalid");
    if (serviceUrl.scheme() != QLatin1StringView("ws") &&
        serviceUrl.scheme() != QLatin1StringView("wss"))
        return QStringLiteral("the service URL must be ws:// or wss://, not %1://")
            .arg(serviceUrl.scheme());
    if (!protocol::isValidUserId(userId))
        return QStringLiteral("the user id must be 1-255 characters of A-Z a-z 0-9 . _ ~ -");
    if (!protocol::isValidDeviceId(deviceId))
        return QStringLiteral("the device id must be 1-64 characters of A-Z a-z 0-9 . _ ~ -");
    if (clientName.size() > 1024)
        return QStringLiteral("the client name is longer than 1024 characters");
    return insecureTransportError(serviceUrl, allowInsecure);
}

} // namespace softphone::client
