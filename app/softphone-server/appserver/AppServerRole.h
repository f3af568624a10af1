#pragma once
// The application server role: accounts, sign-in and tokens over HTTP
// (docs/protocol.md, "The application server"). A login's scrypt check runs on
// the role's small thread pool so it never stalls the event loop; the store and
// the tokens are then done on the event loop, the store's thread. Each scrypt takes
// 128 MiB, so the logins admitted at once (running or queued) are bounded and the
// rest get 503 at once; attempts per user are counted before the hash (429),
// on this node and, with --bus, across the cluster (bus/SharedWindowLimiter).

#include "AccountStore.h"
#include "TurnGrant.h"
#include "softphone-server/bus/SharedWindowLimiter.h"
#include "softphone-server/common/Role.h"
#include "softphone-server/common/WindowLimiter.h"

#include "crypto/EcKey.h"

#include "softphone-server/common/HttpRequest.h"
#include "softphone-server/common/HttpResponse.h"
#include <QFuture>
#include <QThreadPool>
#include <atomic>
#include <memory>
#include <optional>

namespace softphone::server::appserver {

class AppServerRole : public Role
{
    Q_OBJECT
public:
    static constexpr int kRefreshTokenDays = 30;
    // Login attempts per user name per minute, counted before the password check
    // (a good one is taken back): the 11th gets 429.
    static constexpr int kLoginAttemptsPerMinute = 10;
    // Defaults of --set appserver.hash_threads / appserver.hash_queue: scrypt runs
    // on this many threads (128 MiB each), and at most this many logins are
    // admitted at once (running or waiting); more get 503 + Retry-After.
    static constexpr int kHashThreads = 2;
    static constexpr int kHashQueue = 16;
    // Default of --set appserver.refresh_retry_window (seconds): how long a refresh
    // retried with the same request id gets the same new token (AccountStore::RefreshRetry).
    static constexpr int kRefreshRetryWindow = 60;

    explicit AppServerRole(QObject *parent = nullptr);
    ~AppServerRole() override;

    QString name() const override { return QStringLiteral("appserver"); }
    bool start(ServerContext &context, QString *error) override;
    QJsonObject urls() const override;

    AccountStore &accounts() { return *m_store; }

private:
    QFuture<HttpResponse> login(const HttpRequest &request);
    // The login once admitted by the limiters: scrypt on the pool, then the tokens.
    // sharedTicket: the attempt's count in the cluster's limiter (taken back if good).
    QFuture<HttpResponse> verifyLogin(const QString &user, const QString &password,
                                      const QString &device, const QByteArray &sharedTicket);
    // The attempt does not count against the user (a good login, or not its doing).
    void forgiveAttempt(const QString &user, const QByteArray &sharedTicket);
    HttpResponse refresh(const HttpRequest &request);
    HttpResponse logout(const HttpRequest &request);
    HttpResponse keys() const;
    // Access + refresh token reply for a signed-in user/device; 500 if the store fails.
    HttpResponse tokenReply(const QString &user, const QString &device,
                            const QString &refreshToken);

    std::unique_ptr<AccountStore> m_store;
    WindowLimiter m_loginAttempts{kLoginAttemptsPerMinute, std::chrono::seconds(60)};
    std::unique_ptr<bus::SharedWindowLimiter> m_clusterLoginAttempts; // --bus only
    std::atomic<int> m_loginsAdmitted{0};                             // running or queued on m_pool
    int m_maxLoginsAdmitted = kHashQueue;
    int m_tokenLifetime = 3600; // seconds; AccessToken::kLifetimeSeconds unless --set
    int m_refreshRetryWindow = kRefreshRetryWindow; // seconds
    crypto::EcKey m_tokenKey;
    crypto::EcKey m_payloadKey;
    crypto::EcKey m_vapidKey;
    crypto::EcKey m_pushDataKey;                       // the current one, published in /v1/keys
    crypto::ScryptCost m_cost = crypto::kPasswordCost; // of new hashes (passwordCost())
    QString m_dummyHash; // checked for unknown users, so they cost the same time
    QString m_callingUrl;
    QString m_pushWsUrl;
    QJsonObject m_demoUsers;
    bool m_demo = false;
    std::optional<TurnGrant> m_turn; // none: no `ice` in token replies
    // Password checks run here (scrypt takes a few hundred milliseconds); the destructor
    // waits for them, so a worker never outlives the role. Declared last: destroyed first.
    QThreadPool m_pool;
};

} // namespace softphone::server::appserver
