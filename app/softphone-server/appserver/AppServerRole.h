#pragma once
// The application server role: accounts, sign-in and tokens over HTTP
// (docs/protocol.md, "The application server"). A login (scrypt check, token
// issue) runs on the role's thread pool so it never stalls the event loop; the
// store and the rate limiter are thread-safe for that.

#include "AccountStore.h"
#include "LoginRateLimiter.h"
#include "Role.h"

#include "EcKey.h"

#include <QFuture>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QThreadPool>
#include <memory>

namespace softphone::server::appserver {

class AppServerRole : public Role
{
    Q_OBJECT
public:
    static constexpr int kRefreshTokenDays = 30;

    explicit AppServerRole(QObject *parent = nullptr);
    ~AppServerRole() override;

    QString name() const override { return QStringLiteral("appserver"); }
    bool start(ServerContext &context, QString *error) override;
    QJsonObject urls() const override;

    AccountStore &accounts() { return *m_store; }

private:
    QFuture<QHttpServerResponse> login(const QHttpServerRequest &request);
    QHttpServerResponse refresh(const QHttpServerRequest &request);
    QHttpServerResponse logout(const QHttpServerRequest &request);
    QHttpServerResponse keys() const;
    // Access + refresh token reply for a signed-in user/device; 500 if the store fails.
    QHttpServerResponse tokenReply(const QString &user, const QString &device,
                                   const QString &refreshToken);

    std::unique_ptr<AccountStore> m_store;
    LoginRateLimiter m_rateLimiter;
    crypto::EcKey m_tokenKey;
    crypto::EcKey m_payloadKey;
    crypto::EcKey m_vapidKey;
    crypto::EcKey m_pushDataKey; // the current one, published in /v1/keys
    QString m_dummyHash;         // checked for unknown users, so they cost the same time
    QString m_callingUrl;
    QString m_pushWsUrl;
    QJsonObject m_demoUsers;
    bool m_demo = false;
    // Logins run here (scrypt takes tens of milliseconds); the destructor waits for
    // them, so a worker never outlives the store it uses. Declared last: destroyed first.
    QThreadPool m_pool;
};

} // namespace softphone::server::appserver
