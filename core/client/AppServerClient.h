#pragma once
// The app's side of the application server's HTTP API (docs/protocol.md
// "The application server"): sign-in, token refresh, sign-out. Asynchronous
// (QNetworkAccessManager); each request ends in exactly one call of its
// callback, made only while the request's context object lives (as connect()
// does), so an answer never reaches a receiver that is gone. AccountSession is
// the one user of it in the apps: the sign-in policy lives there.

#include "RequestTls.h"

#include <QJsonObject>
#include <QMetaType>
#include <QObject>
#include <QSslConfiguration>
#include <QUrl>
#include <functional>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace softphone::client {

struct LoginResult
{
    QString user;
    QString accessToken;
    int expiresInSeconds = 0;
    QString refreshToken;
    QUrl callingUrl; // where SoftphoneClient connects
    QUrl pushWsUrl;  // the desktop push channel (may be empty)
    QJsonObject ice; // STUN/TURN servers with time-limited credentials (may be empty)
};

struct AppServerError
{
    enum class Type {
        BadCredentials,  // wrong user or password (the server does not say which)
        BadRefreshToken, // unknown, used, revoked or expired: sign in again
        RateLimited,     // too many failed sign-ins; try again later
        Unreachable,     // no connection, refused, name not found, timed out
        Tls,             // the TLS handshake failed (message has the reason)
        BadRequest,      // the server refused the request's form
        Server,          // the server failed (5xx) or answered something unusable
        Insecure,        // http:// to another machine without --allow-insecure (not sent)
    };
    Type type = Type::Server;
    int httpStatus = 0; // 0 when no HTTP answer came
    QString code;       // the server's error code when it gave one
    QString message;

    static QString typeName(Type type);
};

// One request's outcome: ok() with the tokens (empty for a logout), or the error.
struct AppServerReply
{
    LoginResult login;
    std::optional<AppServerError> error;
    bool ok() const { return !error.has_value(); }
};

class AppServerClient : public QObject
{
    Q_OBJECT

public:
    explicit AppServerClient(const QUrl &baseUrl, QObject *parent = nullptr);

    QUrl baseUrl() const { return m_baseUrl; }
    // For servers with a private CA; the default trusts the system's CAs.
    void setSslConfiguration(const QSslConfiguration &configuration);
    // Per request, so a silent server cannot hold the app forever.
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }
    // --allow-insecure: http:// to a host other than loopback (insecureTransportError()).
    void setAllowInsecure(bool allow) { m_allowInsecure = allow; }

    using Done = std::function<void(const softphone::client::AppServerReply &reply)>;

    // Each ends in one call of `done`, never before the function returned, and
    // never once `context` is destroyed (nor once this client is).
    void login(const QString &user, const QString &password, const QString &device,
               QObject *context, Done done);
    void refresh(const QString &refreshToken, QObject *context, Done done);
    // requestId: the same for every attempt of one refresh (another node, a later
    // try): a node that rotated the token but whose answer was lost is then
    // answered with the same new token by any node for a minute (docs/protocol.md).
    void refresh(const QString &refreshToken, const QString &requestId, QObject *context,
                 Done done);
    void logout(const QString &refreshToken, QObject *context, Done done);

private:
    enum class Request { Login, Refresh, Logout };
    void post(Request request, const QString &path, const QJsonObject &body, QObject *context,
              Done done);
    static AppServerReply replyOf(Request request, QNetworkReply *reply, const QUrl &where);

    QUrl m_baseUrl;
    QNetworkAccessManager *m_network;
    RequestTls m_tls;
    std::chrono::milliseconds m_timeout{15000};
    bool m_allowInsecure = false;
};

} // namespace softphone::client

Q_DECLARE_METATYPE(softphone::client::LoginResult)
Q_DECLARE_METATYPE(softphone::client::AppServerError)
