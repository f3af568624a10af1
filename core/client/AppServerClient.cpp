#include "AppServerClient.h"

#include "ClientConfig.h"
#include "common/Logging.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QSslError>

namespace softphone::client {

namespace {
constexpr qint64 kMaxReplyBytes = 65536; // our replies are a few hundred bytes

AppServerError error(AppServerError::Type type, int status, const QString &code,
                     const QString &message)
{
    return AppServerError{type, status, code, message};
}

QUrl socketUrl(const QJsonObject &object, QLatin1StringView field)
{
    const QUrl url(object.value(field).toString());
    if (!url.isValid() ||
        (url.scheme() != QLatin1StringView("ws") && url.scheme() != QLatin1StringView("wss")))
        return {};
    return url;
}
} // namespace

QString AppServerError::typeName(Type type)
{
    switch (type) {
    case Type::BadCredentials:
        return QStringLiteral("bad_credentials");
    case Type::BadRefreshToken:
        return QStringLiteral("bad_refresh_token");
    case Type::RateLimited:
        return QStringLiteral("rate_limited");
    case Type::Unreachable:
        return QStringLiteral("unreachable");
    case Type::Tls:
        return QStringLiteral("tls");
    case Type::BadRequest:
        return QStringLiteral("bad_request");
    case Type::Server:
        return QStringLiteral("server");
    case Type::Insecure:
        return QStringLiteral("insecure");
    }
    return {};
}

AppServerClient::AppServerClient(const QUrl &baseUrl, QObject *parent)
    : QObject(parent)
    , m_baseUrl(baseUrl)
    , m_network(new QNetworkAccessManager(this))
{
    qRegisterMetaType<LoginResult>();
    qRegisterMetaType<AppServerError>();
}

void AppServerClient::setSslConfiguration(const QSslConfiguration &configuration)
{
    m_tls.set(configuration);
}

void AppServerClient::login(const QString &user, const QString &password, const QString &device,
                            QObject *context, Done done)
{
    post(Request::Login, QStringLiteral("/v1/login"),
         QJsonObject{{"user", user}, {"password", password}, {"device", device}}, context,
         std::move(done));
}

void AppServerClient::refresh(const QString &refreshToken, QObject *context, Done done)
{
    refresh(refreshToken, QString(), context, std::move(done));
}

void AppServerClient::refresh(const QString &refreshToken, const QString &requestId,
                              QObject *context, Done done)
{
    QJsonObject body{{"refreshToken", refreshToken}};
    if (!requestId.isEmpty())
        body.insert(QLatin1StringView("requestId"), requestId);
    post(Request::Refresh, QStringLiteral("/v1/token"), body, context, std::move(done));
}

void AppServerClient::logout(const QString &refreshToken, QObject *context, Done done)
{
    post(Request::Logout, QStringLiteral("/v1/logout"), QJsonObject{{"refreshToken", refreshToken}},
         context, std::move(done));
}

void AppServerClient::post(Request request, const QString &path, const QJsonObject &body,
                           QObject *context, Done done)
{
    Q_ASSERT(context);
    const QString scheme = m_baseUrl.scheme();
    // Queued on the context, so every request answers after it returns, like a
    // network one, and not at all once the context is gone.
    auto refuse = [context, &done](AppServerError::Type type, const QString &text) {
        QMetaObject::invokeMethod(
            context,
            [done = std::move(done), type, text] {
                if (done)
                    done(AppServerReply{{}, error(type, 0, {}, text)});
            },
            Qt::QueuedConnection);
    };
    if (!m_baseUrl.isValid() || m_baseUrl.host().isEmpty() ||
        (scheme != QLatin1StringView("http") && scheme != QLatin1StringView("https"))) {
        refuse(AppServerError::Type::BadRequest,
               QStringLiteral("the application server URL must be http:// or https://, got '%1'")
                   .arg(m_baseUrl.toString()));
        return;
    }
    // Nothing (no password, no refresh token) goes out in the clear to another machine.
    if (const QString insecure = insecureTransportError(m_baseUrl, m_allowInsecure);
        !insecure.isEmpty()) {
        refuse(AppServerError::Type::Insecure, insecure);
        return;
    }
    QUrl url = m_baseUrl;
    url.setPath(url.path().chopped(url.path().endsWith(QLatin1Char('/')) ? 1 : 0) + path);
    QNetworkRequest networkRequest(url);
    networkRequest.setHeader(QNetworkRequest::ContentTypeHeader,
                             QStringLiteral("application/json"));
    networkRequest.setTransferTimeout(int(m_timeout.count()));
    m_tls.applyTo(networkRequest);
    QNetworkReply *reply =
        m_network->post(networkRequest, QJsonDocument(body).toJson(QJsonDocument::Compact));
    // Finished on this object, so the reply is always released; the callback only
    // while its context lives.
    connect(reply, &QNetworkReply::finished, this,
            [request, reply, where = m_baseUrl, guard = QPointer<QObject>(context),
             done = std::move(done)] {
                reply->deleteLater();
                if (!guard || !done)
                    return;
                done(replyOf(request, reply, where));
            });
}

AppServerReply AppServerClient::replyOf(Request request, QNetworkReply *reply, const QUrl &url)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QString where = url.toString();
    auto failure = [](AppServerError e) { return AppServerReply{{}, std::move(e)}; };

    if (status == 0) {
        if (reply->error() == QNetworkReply::SslHandshakeFailedError)
            return failure(
                error(AppServerError::Type::Tls, 0, {},
                      QStringLiteral("TLS with %1 failed: %2").arg(where, reply->errorString())));
        return failure(error(AppServerError::Type::Unreachable, 0, {},
                             QStringLiteral("cannot reach the application server at %1: %2")
                                 .arg(where, reply->errorString())));
    }

    const QByteArray bytes = reply->read(kMaxReplyBytes);
    const QJsonObject body = QJsonDocument::fromJson(bytes).object();
    if (status >= 200 && status < 300) {
        if (request == Request::Logout)
            return {};
        LoginResult result;
        result.user = body.value(QLatin1StringView("user")).toString();
        result.accessToken = body.value(QLatin1StringView("accessToken")).toString();
        result.expiresInSeconds = body.value(QLatin1StringView("expiresIn")).toInt();
        result.refreshToken = body.value(QLatin1StringView("refreshToken")).toString();
        result.callingUrl = socketUrl(body, QLatin1StringView("calling"));
        result.pushWsUrl = socketUrl(body, QLatin1StringView("pushWs"));
        result.ice = body.value(QLatin1StringView("ice")).toObject();
        if (result.accessToken.isEmpty() || result.refreshToken.isEmpty() ||
            !result.callingUrl.isValid())
            return failure(error(AppServerError::Type::Server, status, {},
                                 QStringLiteral("the application server's reply lacks a token or "
                                                "a ws:// calling URL")));
        return AppServerReply{result, std::nullopt};
    }

    const QString code = body.value(QLatin1StringView("error")).toString();
    QString message = body.value(QLatin1StringView("message")).toString();
    if (message.isEmpty())
        message = QStringLiteral("HTTP %1 %2")
                      .arg(status)
                      .arg(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString());
    AppServerError::Type type = AppServerError::Type::Server;
    if (status == 401)
        type = request == Request::Login ? AppServerError::Type::BadCredentials
                                         : AppServerError::Type::BadRefreshToken;
    else if (status == 429)
        type = AppServerError::Type::RateLimited;
    else if (status >= 400 && status < 500)
        type = AppServerError::Type::BadRequest;
    qCInfo(lcClient) << "application server answered" << status << code;
    return failure(error(type, status, code, message));
}

} // namespace softphone::client
