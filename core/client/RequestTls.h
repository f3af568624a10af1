#pragma once
// The TLS settings of a client's HTTP requests (AppServerClient,
// PushPairSender, ServiceKeysClient), in one place. Unset: Qt's default, read
// only when an https:// request is made — reading it loads Qt's TLS backend
// and the system's CAs, which an http:// service never needs.
#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QUrl>

#include <optional>

namespace softphone::client {

class RequestTls
{
public:
    void set(const QSslConfiguration &configuration) { m_configuration = configuration; }
    // Gives an https:// request the configuration that was set, if any.
    void applyTo(QNetworkRequest &request) const
    {
        if (m_configuration && request.url().scheme() == QLatin1StringView("https"))
            request.setSslConfiguration(*m_configuration);
    }

private:
    std::optional<QSslConfiguration> m_configuration;
};

} // namespace softphone::client
