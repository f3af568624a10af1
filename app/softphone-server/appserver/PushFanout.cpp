#include "PushFanout.h"

#include "crypto/Base64Url.h"
#include "crypto/Jwt.h"
#include "crypto/SymmetricCrypto.h"
#include "protocol/FieldValidators.h"
#include "protocol/Limits.h"
#include "softphone-server/common/AccessToken.h"
#include "softphone-server/common/HttpJson.h"
#include "softphone-server/common/HttpServer.h"
#include "softphone-server/common/PushEvents.h"
#include "softphone-server/common/ServerLogging.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtConcurrent/QtConcurrentRun>

namespace softphone::server::appserver {

namespace {

using Status = HttpResponse::Status;

QFuture<HttpResponse> badRequest(const QString &message)
{
    return readyAnswer(jsonError(Status::BadRequest, QStringLiteral("bad_request"), message));
}

// The only thing a caller learns of a send: an outcome code, never the push
// service's text (which could carry anything the remote chose).
QString outcomeCode(const push::WebPushResult &result)
{
    return push::WebPushSender::outcomeName(result.outcome);
}

// Sends every job and waits for all of them (on a worker thread, never the server's loop).
QList<push::WebPushResult> sendAll(const QList<PushFanout::Job> &jobs, const crypto::EcKey &vapid,
                                   const QString &subject)
{
    QList<push::WebPushResult> results(jobs.size());
    QEventLoop loop;
    push::WebPushSender sender;
    // A caller is waiting for the answer: a few quick retries, not minutes.
    sender.setMaxAttempts(2);
    sender.setMaxRetryAfterSeconds(5);
    int pending = 0;
    for (qsizetype i = 0; i < jobs.size(); ++i) {
        if (!jobs[i].outcome.isEmpty())
            continue;
        ++pending;
        sender.send(jobs[i].subscription, jobs[i].body, jobs[i].options, vapid, subject,
                    [&, i](const push::WebPushResult &result) {
                        results[i] = result;
                        if (--pending == 0)
                            loop.quit();
                    });
    }
    if (pending > 0)
        loop.exec();
    return results;
}

} // namespace

PushFanout::PushFanout(const Keys &keys, const QString &vapidSubject, const PushTargets &targets,
                       QObject *parent)
    : QObject(parent)
    , m_keys(keys)
    , m_vapidSubject(vapidSubject)
    , m_targets(targets)
    , m_cancelSender(new push::WebPushSender(nullptr, this))
{
    m_pool.setMaxThreadCount(4);
    connect(&PushEvents::instance(), &PushEvents::pushedCallEnded, this,
            &PushFanout::onPushedCallEnded);
}

PushFanout::~PushFanout()
{
    m_pool.waitForDone();
}

QString PushFanout::topicFor(const QString &key)
{
    return QString::fromLatin1(toBase64Url(crypto::sha256(key.toUtf8())).left(32));
}

std::optional<HttpResponse> PushFanout::checkPair(const QJsonObject &pair, const QString &at,
                                                  const QString &caller, const QString &id,
                                                  bool isCall, QJsonObject *claims) const
{
    auto bad = [](const QString &message) {
        return jsonError(Status::BadRequest, QStringLiteral("bad_request"), message);
    };
    auto refuse = [](const QString &message) {
        return jsonError(Status::Forbidden, QStringLiteral("forbidden"), message);
    };
    const QString device = pair.value(u"device").toString();
    const QString payload = pair.value(u"payload").toString();
    const auto data = protocol::decodePushData(pair.value(u"pushData").toString());
    if (!protocol::isValidDeviceId(device) || payload.isEmpty() || !data)
        return bad(at + QStringLiteral(" needs 'device', 'payload' and base64 'pushData' of "
                                       "1-1024 bytes"));
    // Only payloads the calling service signed, for this caller's own call or message,
    // are forwarded.
    crypto::JwtVerifyOptions options;
    options.requireSubject = false;
    const crypto::JwtResult verified = crypto::verifyJwt(payload, m_keys.payload, options);
    if (!verified.ok() || verified.header.value(u"typ").toString() != QLatin1String("sp-push"))
        return bad(at + QStringLiteral(".payload is not a valid payload of the calling service: %1")
                            .arg(verified.ok() ? QStringLiteral("wrong typ")
                                               : crypto::jwtErrorText(verified.error)));
    *claims = verified.claims;
    const QString kind = claims->value(u"t").toString();
    if (claims->value(u"id").toString() != id ||
        kind != (isCall ? QLatin1String("call") : QLatin1String("message")))
        return bad(at + QStringLiteral(".payload is for another call or message"));
    if (claims->value(u"from").toString() != caller)
        return refuse(at + QStringLiteral(".payload was issued to another caller"));
    // The payload names the device and the hash of the push data it was issued
    // for: a pair cannot be pointed at other push data or another device.
    if (claims->value(u"dev").toString() != device)
        return refuse(at + QStringLiteral(".device is not the device its payload was issued for"));
    if (claims->value(u"pdh").toString() != QString::fromLatin1(toBase64Url(crypto::sha256(*data))))
        return refuse(at +
                      QStringLiteral(".pushData is not the push data its payload was issued for"));
    return std::nullopt;
}

void PushFanout::shareLimitsThrough(bus::RedisClient &redis, const QString &node)
{
    m_clusterRequests = std::make_unique<bus::SharedWindowLimiter>(
        redis, QStringLiteral("push"), kRequestsPerMinute, std::chrono::seconds(60), node, this);
}

QFuture<HttpResponse> PushFanout::handle(const HttpRequest &request)
{
    const QByteArray authorization = request.value(QByteArrayLiteral("Authorization"));
    if (!authorization.startsWith("Bearer "))
        return readyAnswer(jsonError(Status::Unauthorized, QStringLiteral("unauthorized"),
                                     QStringLiteral("an access token is required (Authorization: "
                                                    "Bearer ...)")));
    QString why;
    const auto token = AccessToken::verify(QString::fromLatin1(authorization.mid(7).trimmed()),
                                           m_keys.token, &why);
    if (!token)
        return readyAnswer(jsonError(Status::Unauthorized, QStringLiteral("unauthorized"),
                                     QStringLiteral("invalid access token: %1").arg(why)));
    QString storeError;
    const bool revoked = m_tokenRevoked && m_tokenRevoked(*token, &storeError);
    if (revoked && !storeError.isEmpty()) {
        qCWarning(lcServerApp) << "push request of" << token->user << "refused:" << storeError;
        HttpResponse response =
            jsonError(Status::ServiceUnavailable, QStringLiteral("storage_unavailable"),
                      QStringLiteral("the account database is unavailable; try again shortly"));
        response.setHeader(QByteArrayLiteral("Retry-After"), QByteArrayLiteral("5"));
        return readyAnswer(std::move(response));
    }
    if (revoked)
        return readyAnswer(
            jsonError(Status::Unauthorized, QStringLiteral("unauthorized"),
                      QStringLiteral("invalid access token: the account was disabled "
                                     "or removed after it was issued")));
    if (!m_callerRequests.tryAdd(token->user)) {
        HttpResponse response = jsonError(
            Status::TooManyRequests, QStringLiteral("rate_limited"),
            QStringLiteral("more than %1 push requests a minute").arg(kRequestsPerMinute));
        response.setHeader(QByteArrayLiteral("Retry-After"), QByteArrayLiteral("60"));
        return readyAnswer(std::move(response));
    }
    if (!m_clusterRequests)
        return handleAdmitted(request, token->user);
    // The same count across the nodes (one Redis round trip).
    return m_clusterRequests->gate(
        token->user, this,
        [this, request, user = token->user](const QByteArray &) {
            return handleAdmitted(request, user);
        },
        [](int retryAfter) {
            HttpResponse response = jsonError(
                Status::TooManyRequests, QStringLiteral("rate_limited"),
                QStringLiteral("more than %1 push requests a minute").arg(kRequestsPerMinute));
            response.setHeader(QByteArrayLiteral("Retry-After"), QByteArray::number(retryAfter));
            return response;
        });
}

QFuture<HttpResponse> PushFanout::handleAdmitted(const HttpRequest &request, const QString &user)
{
    const JsonBody body = readJsonBody(request);
    if (!body.ok())
        return readyAnswer(body.errorResponse());
    const bool isCall = body.object.contains(u"callId");
    const QString id = body.object.value(isCall ? u"callId" : u"messageId").toString();
    if (isCall == body.object.contains(u"messageId") || !protocol::isValidUuid(id))
        return badRequest(QStringLiteral("exactly one of 'callId' and 'messageId', a UUID"));
    const QJsonArray pairs = body.object.value(u"pairs").toArray();
    if (pairs.isEmpty() || pairs.size() > protocol::kMaxPushPairs)
        return badRequest(
            QStringLiteral("'pairs' must be an array of 1-%1 pairs").arg(protocol::kMaxPushPairs));

    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QList<QJsonObject> checked;
    for (qsizetype i = 0; i < pairs.size(); ++i) {
        QJsonObject claims;
        if (auto refused = checkPair(pairs[i].toObject(), QStringLiteral("pairs[%1]").arg(i), user,
                                     id, isCall, &claims))
            return readyAnswer(std::move(*refused));
        checked.append(claims);
    }

    QList<Job> jobs;
    qint64 callExpiry = 0;
    for (qsizetype i = 0; i < pairs.size(); ++i) {
        const QJsonObject pair = pairs[i].toObject();
        const QJsonObject &claims = checked[i];
        Job job;
        job.device = pair.value(u"device").toString();
        job.user = claims.value(u"to").toString();
        job.pushData = *protocol::decodePushData(pair.value(u"pushData").toString());
        const QString payload = pair.value(u"payload").toString();
        job.body =
            QJsonDocument(QJsonObject{{"softphone", payload}}).toJson(QJsonDocument::Compact);
        const qint64 exp = static_cast<qint64>(claims.value(u"exp").toDouble());
        if (isCall) {
            job.options.urgency = QStringLiteral("high");
            job.options.ttl = static_cast<int>(qMax<qint64>(1, exp - now));
            job.options.topic = topicFor(id);
        } else {
            job.options.urgency = QStringLiteral("normal");
            job.options.ttl = kMessageTtlSeconds;
            job.options.topic = topicFor(QStringLiteral("message from ") + user);
        }
        QString why;
        job.outcome = holdBack(job, claims, user, now, &why);
        if (!job.outcome.isEmpty())
            qCInfo(lcServerApp) << "not pushing" << id << "to" << job.user << job.device << "-"
                                << job.outcome << why;
        else if (isCall)
            callExpiry = qMax(callExpiry, exp);
        jobs.append(job);
    }
    if (isCall)
        remember(id, jobs, callExpiry);
    qCInfo(lcServerApp) << "fanning out" << jobs.size() << "push(es) for" << user << id;

    const crypto::EcKey vapid = m_keys.vapid;
    const QString subject = m_vapidSubject;
    return QtConcurrent::run(&m_pool, [jobs, vapid, subject] {
        const QList<push::WebPushResult> sent = sendAll(jobs, vapid, subject);
        QJsonArray results;
        for (qsizetype i = 0; i < jobs.size(); ++i) {
            QJsonObject result{{"device", jobs[i].device}};
            if (!jobs[i].outcome.isEmpty()) {
                result.insert(QStringLiteral("outcome"), jobs[i].outcome);
                results.append(result);
                continue;
            }
            const push::WebPushResult &r = sent[i];
            if (r.outcome != push::WebPushResult::Outcome::Delivered)
                qCInfo(lcServerApp)
                    << "push to" << jobs[i].user << jobs[i].device << "-" << r.reason;
            if (r.outcome == push::WebPushResult::Outcome::Gone) {
                // The calling service forgets this registration (on its own thread).
                QMetaObject::invokeMethod(
                    &PushEvents::instance(),
                    [user = jobs[i].user, device = jobs[i].device, data = jobs[i].pushData] {
                        Q_EMIT PushEvents::instance().pushGone(user, device, data);
                    },
                    Qt::QueuedConnection);
            }
            if (r.outcome == push::WebPushResult::Outcome::RetryLater && r.retryAfterSeconds >= 0)
                result.insert(QStringLiteral("retryAfter"), r.retryAfterSeconds);
            result.insert(QStringLiteral("outcome"), outcomeCode(r));
            results.append(result);
        }
        return HttpResponse::json(QJsonObject{{"results", results}});
    });
}

QString PushFanout::holdBack(Job &job, const QJsonObject &claims, const QString &caller, qint64 now,
                             QString *why)
{
    const qint64 issued = static_cast<qint64>(claims.value(u"iat").toDouble());
    if (now - issued > ReplayGuard::kWindowSeconds)
        return QStringLiteral("expired"); // too old to tell from a replay
    switch (m_targets.resolve(job.pushData, job.user, job.device, &job.subscription, why)) {
    case PushTargets::Verdict::Ok:
        break;
    case PushTargets::Verdict::Unreadable:
        return QStringLiteral("rejected");
    case PushTargets::Verdict::NotAllowed:
        return QStringLiteral("not_allowed");
    }
    const QString kind = claims.value(u"t").toString();
    const QByteArray pair = (job.user + u'\n' + job.device).toUtf8();
    // Rings a caller holds at the push service for one device, until their TTL
    // ends: bounded, so one caller never fills a device's backlog.
    std::deque<qint64> *held = nullptr;
    if (kind == QLatin1String("call")) {
        held = &m_heldCalls[caller.toUtf8() + '\n' + pair];
        while (!held->empty() && held->front() <= now)
            held->pop_front();
        if (held->size() >= size_t(m_maxHeldCalls)) {
            *why =
                QStringLiteral("%1 rings of this caller are held for the device").arg(held->size());
            return QStringLiteral("retry_later");
        }
    }
    switch (m_sent.admit(
        kind.toUtf8() + '\n' + claims.value(u"id").toString().toUtf8() + '\n' + pair, now)) {
    case ReplayGuard::Result::Fresh:
        break;
    case ReplayGuard::Result::Duplicate:
        return QStringLiteral("duplicate");
    case ReplayGuard::Result::Full:
        *why = QStringLiteral("the replay table is full");
        return QStringLiteral("retry_later");
    }
    if (held) {
        // Its cancel, sent on the same Topic, lives up to a minute longer.
        held->push_back(now + job.options.ttl + 60);
        if (m_heldCalls.size() > 10000)
            m_heldCalls.removeIf([now](const QHash<QByteArray, std::deque<qint64>>::iterator &it) {
                return it.value().empty() || it.value().back() <= now;
            });
    }
    return {};
}

void PushFanout::remember(const QString &callId, const QList<Job> &jobs, qint64 expiresAt)
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    for (auto it = m_pushedCalls.begin(); it != m_pushedCalls.end();) {
        if (it->expiresAt < now)
            it = m_pushedCalls.erase(it);
        else
            ++it;
    }
    Pushed &pushed = m_pushedCalls[callId];
    pushed.expiresAt = qMax(pushed.expiresAt, expiresAt);
    for (const Job &job : jobs) {
        if (job.outcome.isEmpty())
            pushed.jobs.append(job);
    }
}

void PushFanout::onPushedCallEnded(const QString &callId, const QString &cause,
                                   const QString &cancelPayload)
{
    const Pushed pushed = m_pushedCalls.take(callId);
    if (pushed.jobs.isEmpty() || cancelPayload.isEmpty())
        return;
    qCInfo(lcServerApp) << "call" << callId << "ended" << cause << "- cancelling"
                        << pushed.jobs.size() << "push(es)";
    const QByteArray body =
        QJsonDocument(QJsonObject{{"softphone", cancelPayload}}).toJson(QJsonDocument::Compact);
    push::WebPushOptions options;
    options.urgency = QStringLiteral("high");
    options.topic = topicFor(callId);
    // Long enough to replace a ring the push service may still hold.
    options.ttl = static_cast<int>(
        qMax<qint64>(60, pushed.expiresAt - QDateTime::currentSecsSinceEpoch() + 60));
    for (const Job &job : pushed.jobs) {
        m_cancelSender->send(job.subscription, body, options, m_keys.vapid, m_vapidSubject,
                             [device = job.device, callId](const push::WebPushResult &r) {
                                 qCInfo(lcServerApp)
                                     << "cancel push for" << callId << "to" << device
                                     << push::WebPushSender::outcomeName(r.outcome);
                             });
    }
}

} // namespace softphone::server::appserver
