#include "AppServerRole.h"

#include "DemoUsers.h"
#include "PushFanout.h"
#include "SqlAccountStore.h"
#include "crypto/PasswordHash.h"
#include "crypto/Random.h"
#include "protocol/FieldValidators.h"
#include "softphone-server/common/AccessToken.h"
#include "softphone-server/common/HttpJson.h"
#include "softphone-server/common/HttpListener.h"
#include "softphone-server/common/KeyStore.h"
#include "softphone-server/common/ServerLogging.h"
#include "softphone-server/common/WebSocketListener.h"

#include "crypto/Base64Url.h"
#include "crypto/SealedPushData.h"

#include <QDir>
#include <QSysInfo>
#include <QtConcurrent/QtConcurrentRun>

namespace softphone::server::appserver {

namespace {
using Status = HttpResponse::Status;

HttpResponse withRetryAfter(HttpResponse response, int seconds)
{
    response.setHeader(QByteArrayLiteral("Retry-After"), QByteArray::number(seconds));
    return response;
}

// Its own push role's Web Push origin (when this process runs it), the origin
// behind --public-push-url, and every --push-allow.
QStringList trustedPushOrigins(const ServerContext &context)
{
    QStringList origins = context.options.pushAllow;
    if (context.options.hasRole(QStringLiteral("push")))
        origins << context.http.url().toString();
    QUrl pushWs(context.options.publicPushUrl);
    if (pushWs.isValid() && (pushWs.scheme() == u"ws" || pushWs.scheme() == u"wss")) {
        pushWs.setScheme(pushWs.scheme() == u"wss" ? QStringLiteral("https")
                                                   : QStringLiteral("http"));
        origins << pushWs.toString();
    }
    return origins;
}

// The account database (PostgreSQL) is down or unreachable: the client may retry.
HttpResponse storeUnavailable(const QString &why)
{
    qCWarning(lcServerApp) << why;
    return withRetryAfter(
        jsonError(Status::ServiceUnavailable, QStringLiteral("storage_unavailable"),
                  QStringLiteral("the account database is unavailable; try again shortly")),
        5);
}

HttpResponse badCredentials()
{
    return jsonError(Status::Unauthorized, QStringLiteral("bad_credentials"),
                     QStringLiteral("unknown user or wrong password"));
}
} // namespace

AppServerRole::AppServerRole(QObject *parent)
    : Role(parent)
{
    m_pool.setMaxThreadCount(kHashThreads);
}

AppServerRole::~AppServerRole()
{
    m_pool.waitForDone();
}

bool AppServerRole::start(ServerContext &context, QString *error)
{
    m_tokenKey = context.keys.tokenKey();
    if (context.bus)
        m_clusterLoginAttempts = std::make_unique<bus::SharedWindowLimiter>(
            *context.bus, QStringLiteral("login"), kLoginAttemptsPerMinute,
            std::chrono::seconds(60), context.options.nodeId);
    m_payloadKey = context.keys.payloadKey();
    m_vapidKey = context.keys.vapidKey();
    const auto where = SqlDatabase::forStore(context.options, QStringLiteral("accounts"), error);
    auto store = std::make_unique<SqlAccountStore>();
    if (!where || !store->open(*where, error))
        return false;
    m_store = std::move(store);
    bool weakCost = false;
    m_cost = passwordCost(context.options, &weakCost);
    if (weakCost)
        qCWarning(lcServerApp) << "appserver.scrypt_log2n: scrypt N =" << m_cost.n
                               << "is below the minimum of 2^17; for test suites only";
    m_dummyHash = crypto::unmatchableHash(m_cost);
    m_pool.setMaxThreadCount(
        context.options.count(QStringLiteral("appserver.hash_threads"), kHashThreads, 1, 64));
    m_maxLoginsAdmitted =
        context.options.count(QStringLiteral("appserver.hash_queue"), kHashQueue, 1, 10000);
    // Shorter only for tests of the refresh (a minimum of 5 s, at most a day).
    m_tokenLifetime = context.options.count(QStringLiteral("appserver.access_token_lifetime"),
                                            AccessToken::kLifetimeSeconds, 5, 86400);
    m_refreshRetryWindow = context.options.count(QStringLiteral("appserver.refresh_retry_window"),
                                                 kRefreshRetryWindow, 1, 600);
    m_demo = context.options.demo;
    if (m_demo) {
        const auto demo = DemoUsers::ensure(*m_store, context.options.dataDir, m_cost, error);
        if (!demo)
            return false;
        m_demoUsers = *demo;
    }
    QString turnProblem;
    m_turn = TurnGrant::fromOptions(context.options, &turnProblem);
    if (!turnProblem.isEmpty()) {
        if (error)
            *error = turnProblem;
        return false;
    }
    m_callingUrl = context.options.publicCallingUrl.isEmpty()
                       ? context.ws.url(QStringLiteral("/v1/calling")).toString()
                       : context.options.publicCallingUrl;
    m_pushWsUrl = context.options.publicPushUrl.isEmpty()
                      ? context.ws.url(QStringLiteral("/v1/push")).toString()
                      : context.options.publicPushUrl;

    HttpServer &http = context.http.http();
    using Method = HttpRequest::Method;
    http.route(QStringLiteral("/v1/login"), Method::Post,
               [this](const HttpRequest &r) { return login(r); });
    http.route(QStringLiteral("/v1/token"), Method::Post,
               [this](const HttpRequest &r) { return refresh(r); });
    http.route(QStringLiteral("/v1/logout"), Method::Post,
               [this](const HttpRequest &r) { return logout(r); });
    http.route(QStringLiteral("/v1/keys"), Method::Get, [this] { return keys(); });
    const QString vapidSubject =
        context.options.settings.value(QStringLiteral("appserver.vapid_subject"),
                                       QStringLiteral("mailto:ops@") + QSysInfo::machineHostName());
    m_pushDataKey = context.keys.pushDataKey();
    QList<crypto::EcKey> pushDataKeys{m_pushDataKey};
    if (!context.keys.previousPushDataKey().isNull())
        pushDataKeys.append(context.keys.previousPushDataKey());
    auto *fanout = new PushFanout({m_tokenKey, m_payloadKey, m_vapidKey}, vapidSubject,
                                  PushTargets(pushDataKeys, trustedPushOrigins(context)), this);
    fanout->setRevocationCheck([this](const AccessToken &token, QString *error) {
        return m_store->tokenRevoked(token.user, token.issuedAt.toSecsSinceEpoch(), error);
    });
    if (context.bus)
        fanout->shareLimitsThrough(*context.bus, context.options.nodeId);
    bool held = false;
    const int heldCalls =
        context.options.settings.value(QStringLiteral("appserver.held_calls_per_device"))
            .toInt(&held);
    if (held)
        fanout->setMaxHeldCallsPerDevice(heldCalls);
    http.route(QStringLiteral("/v1/push"), Method::Post,
               [fanout](const HttpRequest &r) { return fanout->handle(r); });
    // Same paths with another method: say so rather than 404.
    for (const char *path : {"/v1/login", "/v1/token", "/v1/logout", "/v1/keys", "/v1/push"}) {
        http.route(QString::fromLatin1(path), [] {
            return jsonError(Status::MethodNotAllowed, QStringLiteral("method_not_allowed"),
                             QStringLiteral("wrong HTTP method for this resource"));
        });
    }
    return true;
}

QJsonObject AppServerRole::urls() const
{
    if (!m_demo)
        return {};
    return QJsonObject{{"demo_users", m_demoUsers}};
}

QFuture<HttpResponse> AppServerRole::login(const HttpRequest &request)
{
    const JsonBody body = readJsonBody(request);
    if (!body.ok())
        return readyAnswer(body.errorResponse());
    QString problem;
    const QString user = requireString(body.object, QStringLiteral("user"), 255, &problem);
    const QString password =
        user.isEmpty() ? QString()
                       : requireString(body.object, QStringLiteral("password"), 1024, &problem);
    QString device = body.object.value("device").toString(QStringLiteral("default"));
    if (problem.isEmpty() && !protocol::isValidDeviceId(device))
        problem = QStringLiteral("field 'device' must be 1-64 characters of A-Z a-z 0-9 . _ ~ -");
    if (!problem.isEmpty())
        return readyAnswer(jsonError(Status::BadRequest, QStringLiteral("bad_request"), problem));

    // Counted before the hash, so parallel guesses cannot all pass; a good one is taken back.
    if (!m_loginAttempts.tryAdd(user)) {
        qCInfo(lcServerApp) << "login for" << user << "rate limited";
        return readyAnswer(withRetryAfter(
            jsonError(Status::TooManyRequests, QStringLiteral("rate_limited"),
                      QStringLiteral("too many login attempts for this user; try again later")),
            m_loginAttempts.retryAfterSeconds(user)));
    }
    if (!m_clusterLoginAttempts)
        return verifyLogin(user, password, device, {});
    // The cluster's count too (one Redis round trip); the reply follows it.
    return m_clusterLoginAttempts->gate(
        user, this,
        [this, user, password, device](const QByteArray &ticket) {
            return verifyLogin(user, password, device, ticket);
        },
        [this, user](int retryAfter) {
            m_loginAttempts.takeBack(user); // refused: not an attempt on the password
            qCInfo(lcServerApp) << "login for" << user << "rate limited across the nodes";
            return withRetryAfter(jsonError(Status::TooManyRequests, QStringLiteral("rate_limited"),
                                            QStringLiteral("too many login attempts for this "
                                                           "user; try again later")),
                                  retryAfter);
        });
}

void AppServerRole::forgiveAttempt(const QString &user, const QByteArray &sharedTicket)
{
    m_loginAttempts.takeBack(user);
    if (m_clusterLoginAttempts && !sharedTicket.isEmpty())
        m_clusterLoginAttempts->takeBack(user, sharedTicket);
}

QFuture<HttpResponse> AppServerRole::verifyLogin(const QString &user, const QString &password,
                                                 const QString &device,
                                                 const QByteArray &sharedTicket)
{
    // Each admitted login holds 128 MiB while it hashes: bounded, the rest are told to retry.
    if (m_loginsAdmitted.fetch_add(1) >= m_maxLoginsAdmitted) {
        m_loginsAdmitted.fetch_sub(1);
        forgiveAttempt(user, sharedTicket); // not this user's doing
        qCInfo(lcServerApp) << "login for" << user << "refused: too many logins in progress";
        return readyAnswer(withRetryAfter(
            jsonError(Status::ServiceUnavailable, QStringLiteral("busy"),
                      QStringLiteral("too many logins in progress; try again shortly")),
            2));
    }
    // Unknown users are checked against a dummy hash: same work, same answer.
    QString storeError;
    const std::optional<QString> stored = m_store->passwordHash(user, &storeError);
    if (!storeError.isEmpty()) {
        m_loginsAdmitted.fetch_sub(1);
        forgiveAttempt(user, sharedTicket); // not this user's doing
        return readyAnswer(storeUnavailable(storeError));
    }
    const QString hash = stored.value_or(m_dummyHash);
    const bool known = stored.has_value();
    const QByteArray secret = password.toUtf8();
    // scrypt (and a rehash at today's cost) runs on the bounded hash pool; the store
    // and the tokens come back to the event loop, whose one connection is the
    // store's (SqlAccountStore): a login's write never races a refresh's in this
    // process. The HTTP front answers when the future finishes; the loop never waits.
    struct Checked
    {
        bool good = false;
        QString rehash; // non-empty: the password's hash at today's cost, to store
    };
    return QtConcurrent::run(&m_pool,
                             [this, secret, hash, known] {
                                 Checked checked;
                                 checked.good = crypto::verifyPassword(secret, hash) && known;
                                 if (checked.good && crypto::needsRehash(hash, m_cost))
                                     checked.rehash = crypto::hashPassword(secret, m_cost);
                                 m_loginsAdmitted.fetch_sub(1); // its scrypt memory is freed
                                 return checked;
                             })
        .then(this, [this, hash, user, device, sharedTicket](const Checked &checked) {
            if (!checked.good) {
                qCInfo(lcServerApp) << "failed login for" << user;
                return badCredentials();
            }
            forgiveAttempt(user, sharedTicket);
            // A hash from an older, cheaper cost: store the one at today's cost (once).
            if (!checked.rehash.isEmpty() &&
                m_store->replacePasswordHash(user, hash, checked.rehash))
                qCInfo(lcServerApp) << "password hash of" << user << "moved to the new cost";
            qCInfo(lcServerApp) << "login" << user << "device" << device;
            return tokenReply(user, device, QString());
        });
}

HttpResponse AppServerRole::tokenReply(const QString &user, const QString &device,
                                       const QString &refreshToken)
{
    QString token = refreshToken;
    if (token.isEmpty()) {
        token = crypto::randomToken(32);
        QString error;
        const RefreshTokenRecord record{user, device,
                                        QDateTime::currentDateTimeUtc().addDays(kRefreshTokenDays)};
        if (!m_store->addRefreshToken(hashRefreshToken(token), record, &error))
            return storeUnavailable(QStringLiteral("cannot store a refresh token: ") + error);
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QJsonObject reply{
        {"user", user},
        {"accessToken", AccessToken::issue(user, device, m_tokenKey, now, m_tokenLifetime)},
        {"expiresIn", m_tokenLifetime},
        {"refreshToken", token},
        {"calling", m_callingUrl},
        {"pushWs", m_pushWsUrl},
    };
    if (m_turn)
        reply.insert(QLatin1StringView("ice"), m_turn->iceFor(user, now));
    return HttpResponse::json(reply);
}

HttpResponse AppServerRole::refresh(const HttpRequest &request)
{
    const JsonBody body = readJsonBody(request);
    if (!body.ok())
        return body.errorResponse();
    QString problem;
    const QString old = requireString(body.object, QStringLiteral("refreshToken"), 256, &problem);
    if (old.isEmpty())
        return jsonError(Status::BadRequest, QStringLiteral("bad_request"), problem);
    // Optional: the id of this refresh, the same on each retry of it (docs/protocol.md).
    const QJsonValue idValue = body.object.value(QLatin1StringView("requestId"));
    const QString requestId = idValue.toString();
    if (!idValue.isUndefined() && !isValidRefreshRequestId(requestId))
        return jsonError(Status::BadRequest, QStringLiteral("bad_request"),
                         QStringLiteral("field 'requestId' must be 16-64 characters of "
                                        "A-Z a-z 0-9 _ -"));
    const QString fresh = crypto::randomToken(32);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    RefreshRetry retry;
    if (!requestId.isEmpty()) {
        retry.requestHash = hashRefreshRequestId(requestId);
        retry.sealedToken = sealRefreshRetry(old, requestId, fresh);
        retry.keptUntil = now.addSecs(m_refreshRetryWindow);
        // No copy, no rotation: a rotation whose retry could not be answered
        // would sign the user out if this reply were lost. The old token stays
        // good, and the client tries again.
        if (retry.sealedToken.isEmpty())
            return storeUnavailable(QStringLiteral("cannot seal the refresh's retry copy"));
    }
    QString storeError;
    const auto rotated =
        m_store->rotateRefreshToken(hashRefreshToken(old), hashRefreshToken(fresh),
                                    now.addDays(kRefreshTokenDays), now, retry, &storeError);
    if (!storeError.isEmpty())
        return storeUnavailable(storeError);
    std::optional<QString> token;
    if (rotated && rotated->retriedSealedToken.isEmpty())
        token = fresh;
    else if (rotated)
        token = openRefreshRetry(old, requestId, rotated->retriedSealedToken);
    if (!token)
        return jsonError(Status::Unauthorized, QStringLiteral("bad_refresh_token"),
                         QStringLiteral("the refresh token is unknown, used, revoked or expired; "
                                        "sign in again"));
    if (token != fresh)
        qCInfo(lcServerApp) << "refresh of" << rotated->record.user << "device"
                            << rotated->record.device << "retried: its token again";
    return tokenReply(rotated->record.user, rotated->record.device, *token);
}

HttpResponse AppServerRole::logout(const HttpRequest &request)
{
    const JsonBody body = readJsonBody(request);
    if (!body.ok())
        return body.errorResponse();
    QString problem;
    const QString token = requireString(body.object, QStringLiteral("refreshToken"), 256, &problem);
    if (token.isEmpty())
        return jsonError(Status::BadRequest, QStringLiteral("bad_request"), problem);
    // 204 also for a token that was already gone: the caller's goal is reached.
    m_store->revokeRefreshToken(hashRefreshToken(token));
    return HttpResponse(Status::NoContent);
}

HttpResponse AppServerRole::keys() const
{
    return HttpResponse::json(QJsonObject{
        {"tokenKey", QString::fromLatin1(m_tokenKey.publicPem())},
        {"payloadKey", QString::fromLatin1(m_payloadKey.publicPem())},
        {"vapidKey", QString::fromLatin1(toBase64Url(m_vapidKey.publicRaw()))},
        // Devices seal their push data to this key (docs/protocol.md "Push registration").
        {"pushDataKey", QString::fromLatin1(toBase64Url(m_pushDataKey.publicRaw()))},
        {"pushDataKeyId",
         QString::fromLatin1(toBase64Url(crypto::sealedPushDataKeyId(m_pushDataKey)))},
    });
}

} // namespace softphone::server::appserver
