#pragma once
// POST /v1/push of the application server (docs/protocol.md "Relaying pushes"):
// a signed-in caller hands over the pairs the calling service gave it; each
// pair's push data names a provider and a subscription, and the relay sends the
// service-signed payload there. The relay only forwards payloads the calling
// service signed (it must not become an open relay), rate-limits each caller,
// reports dead subscriptions back (PushEvents::pushGone) and, when a pushed
// call ends unanswered, sends cancels to the devices it pushed for that call.
//
// Sends run on the relay's own thread pool (a worker waits for its pushes with
// its own event loop) because Qt 6.4's QHttpServer copes only with plain
// QtConcurrent futures; the server's event loop never waits.

#include "AccessToken.h"
#include "EcKey.h"
#include "WebPushSender.h"

#include "HttpRequest.h"
#include <QDateTime>
#include <QFuture>
#include <QHash>
#include <QHttpServerResponse>
#include <QJsonObject>
#include <QObject>
#include <QThreadPool>
#include <functional>

namespace softphone::server::appserver {

class PushRelay : public QObject
{
    Q_OBJECT
public:
    static constexpr int kRequestsPerMinute = 30;
    static constexpr int kMessageTtlSeconds = 30 * 24 * 3600;

    PushRelay(const crypto::EcKey &tokenKey, const crypto::EcKey &payloadKey,
              const crypto::EcKey &vapidKey, const QString &vapidSubject,
              QObject *parent = nullptr);
    ~PushRelay() override;

    QFuture<QHttpServerResponse> handle(const HttpRequest &request);
    // Access tokens this says are revoked (user disabled or removed) get 401.
    void setRevocationCheck(std::function<bool(const AccessToken &)> tokenRevoked)
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
        QString error; // set when the pair cannot be sent (unknown provider, bad data)
    };

    // Topic for a call: 32 base64url chars of SHA-256(call id), so a cancel
    // replaces a ring the push service still holds.
    static QString topicFor(const QString &id);

private:
    void onPushedCallEnded(const QString &callId, const QString &cause,
                           const QString &cancelPayload);
    bool admit(const QString &user);
    void remember(const QString &callId, const QList<Job> &jobs, qint64 expiresAt);

    const crypto::EcKey m_tokenKey;
    const crypto::EcKey m_payloadKey;
    const crypto::EcKey m_vapidKey;
    const QString m_vapidSubject;
    QHash<QString, QList<qint64>> m_requests; // user -> request times (ms) in the last minute
    std::function<bool(const AccessToken &)> m_tokenRevoked;

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
