#pragma once
// POST /v1/push of the application server (docs/protocol.md "POST /v1/push"):
// the Web Push fan-out. A signed-in caller hands over the pairs the calling
// service gave it; each pair's push data is the callee device's subscription
// sealed to this server (PushTargets opens it), and the fan-out sends the
// service-signed payload there, one Web Push per pair. It must not become an
// open forwarder (an "open relay" in mail terms): it sends only payloads the calling
// service signed for this caller, this device and exactly this push data, each
// at most once (ReplayGuard), only to trusted push services, and answers with
// outcome codes, never a push service's text (docs/security.md). It
// rate-limits each caller, reports dead subscriptions back
// (PushEvents::pushGone) and, when a pushed call ends unanswered, sends cancels
// to the devices it pushed for that call.
//
// Sends run on the fan-out's own thread pool (a worker waits for its pushes with
// its own event loop) and answer through a future the HTTP front waits on; the
// server's event loop never waits.

#include "PushTargets.h"
#include "ReplayGuard.h"
#include "crypto/EcKey.h"
#include "push/WebPushSender.h"
#include "softphone-server/bus/SharedWindowLimiter.h"
#include "softphone-server/common/AccessToken.h"
#include "softphone-server/common/WindowLimiter.h"

#include "softphone-server/common/HttpRequest.h"
#include "softphone-server/common/HttpResponse.h"
#include <QDateTime>
#include <QFuture>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QThreadPool>
#include <deque>
#include <functional>
#include <optional>

namespace softphone::server::appserver {

class PushFanout : public QObject
{
    Q_OBJECT
public:
    static constexpr int kRequestsPerMinute = 30;
    static constexpr int kMessageTtlSeconds = 30 * 24 * 3600;
    // Call pushes one caller may have held at the push service for one device
    // (a message push of hers replaces her previous one: one at most). Far below
    // the push role's backlog cap of 150, so no caller can evict others' pushes.
    // `--set appserver.held_calls_per_device=N` changes it.
    static constexpr int kMaxHeldCallsPerDevice = 10;
    void setMaxHeldCallsPerDevice(int count) { m_maxHeldCalls = qMax(1, count); }

    struct Keys
    {
        crypto::EcKey token;
        crypto::EcKey payload;
        crypto::EcKey vapid;
    };
    PushFanout(const Keys &keys, const QString &vapidSubject, const PushTargets &targets,
               QObject *parent = nullptr);
    ~PushFanout() override;

    QFuture<HttpResponse> handle(const HttpRequest &request);
    // --bus: the per-user request limit also counts across the nodes.
    void shareLimitsThrough(bus::RedisClient &redis, const QString &node);
    // Access tokens this says are revoked (user disabled or removed) get 401; when
    // it cannot tell (it sets *error: the account database is down), 503.
    using RevocationCheck = std::function<bool(const AccessToken &, QString *error)>;
    void setRevocationCheck(RevocationCheck tokenRevoked)
    {
        m_tokenRevoked = std::move(tokenRevoked);
    }

    // One push to send: where, what, how.
    struct Job
    {
        QString device;
        QString user; // the payload's "to"
        QByteArray pushData;
        push::PushSubscription subscription;
        QByteArray body;
        push::WebPushOptions options;
        QString outcome; // set when the pair is not sent (duplicate, not_allowed, ...)
    };

    // A Topic: 32 base64url chars of SHA-256(key). Calls use the call id, so a
    // cancel replaces a ring the push service still holds; messages use the
    // caller, so one caller holds at most one queued message push per device.
    static QString topicFor(const QString &key);

private:
    // The request after the limits: checks the pairs and sends the pushes.
    QFuture<HttpResponse> handleAdmitted(const HttpRequest &request, const QString &user);

    void onPushedCallEnded(const QString &callId, const QString &cause,
                           const QString &cancelPayload);
    // The checks that bind a pair to its callee; an error reply or nothing.
    std::optional<HttpResponse> checkPair(const QJsonObject &pair, const QString &at,
                                          const QString &caller, const QString &id, bool isCall,
                                          QJsonObject *claims) const;
    void remember(const QString &callId, const QList<Job> &jobs, qint64 expiresAt);
    // Why a checked pair is not sent (an outcome code: expired, rejected,
    // not_allowed, duplicate, retry_later), or empty to send it; *why for the log.
    QString holdBack(Job &job, const QJsonObject &claims, const QString &caller, qint64 now,
                     QString *why);

    const Keys m_keys;
    const QString m_vapidSubject;
    const PushTargets m_targets;
    ReplayGuard m_sent;
    QHash<QByteArray, std::deque<qint64>> m_heldCalls; // caller/user/device -> ring expiries
    int m_maxHeldCalls = kMaxHeldCallsPerDevice;
    WindowLimiter m_callerRequests{kRequestsPerMinute, std::chrono::seconds(60)}; // per user
    std::unique_ptr<bus::SharedWindowLimiter> m_clusterRequests; // the same, per cluster
    RevocationCheck m_tokenRevoked;

    // The pairs pushed per call, until the call's payload expires: the cancel goes there.
    struct Pushed
    {
        QList<Job> jobs;
        qint64 expiresAt = 0; // seconds
    };
    QHash<QString, Pushed> m_pushedCalls;
    push::WebPushSender *m_cancelSender;
    QThreadPool m_pool; // declared last: destroyed (and waited for) first
};

} // namespace softphone::server::appserver
