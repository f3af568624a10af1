#pragma once
// Sends one Web Push (RFC 8030) to a subscription: encrypts the payload
// (RFC 8291), signs VAPID (RFC 8292) for the endpoint's origin, POSTs it and
// says what the application server should do next. 429 and 5xx are retried a
// bounded number of times with backoff, honouring Retry-After. Redirects are
// never followed (a 3xx is Rejected).

#include "PushSubscription.h"
#include "common/Backoff.h"
#include "crypto/EcKey.h"

#include <QObject>
#include <QPointer>
#include <QUrl>
#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

namespace softphone::push {

struct WebPushOptions
{
    int ttl = 60;    // seconds the push service keeps it for an offline device (0 = now or never)
    QString urgency; // very-low | low | normal | high, empty = not sent
    QString topic;   // <= 32 base64url chars, empty = none
};

struct WebPushResult
{
    enum class Outcome {
        Delivered,  // 201: the push service took it
        Gone,       // 404/410: the subscription is dead, forget it
        RetryLater, // 429/5xx/network after the retries; retryAfterSeconds says when if known
        Rejected,   // the request is wrong (3xx/400/401/403/413, bad subscription); reason says why
    };
    Outcome outcome = Outcome::Rejected;
    int httpStatus = 0;
    QString reason;
    QUrl location; // the push message resource on 201
    int ttl = -1;  // the TTL the service used, from its answer
    int retryAfterSeconds = -1;
    int attempts = 0;
};

class WebPushSender : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(const WebPushResult &result)>;

    // nam may be shared; when null the sender makes its own.
    explicit WebPushSender(QNetworkAccessManager *nam = nullptr, QObject *parent = nullptr);

    void setMaxAttempts(int attempts) { m_maxAttempts = attempts; }
    void setBackoffPolicy(Backoff::Policy policy) { m_policy = policy; }
    // A Retry-After longer than this ends the retries with RetryLater at once.
    void setMaxRetryAfterSeconds(int seconds) { m_maxRetryAfter = seconds; }

    // vapidKey may be null (no VAPID: only unrestricted subscriptions accept that).
    // done is called once, on this object's thread, and never after this
    // sender is gone: the sender is the callback's context (as connect()'s
    // receiver is), so make it a child of the object that done uses.
    void send(const PushSubscription &subscription, const QByteArray &payload,
              const WebPushOptions &options, const crypto::EcKey &vapidKey,
              const QString &vapidSubject, Done done);

    static QString outcomeName(WebPushResult::Outcome outcome);

private:
    struct Job;
    void attempt(std::shared_ptr<Job> job);
    void finished(std::shared_ptr<Job> job, QNetworkReply *reply);

    QNetworkAccessManager *m_nam;
    int m_maxAttempts = 4;
    int m_maxRetryAfter = 120;
    Backoff::Policy m_policy{std::chrono::milliseconds(500), 2.0, 0.2,
                             std::chrono::milliseconds(30000)};
};

} // namespace softphone::push
