#include "WebPushSender.h"

#include "common/Logging.h"
#include "crypto/Vapid.h"
#include "crypto/WebPushEncryption.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QTimer>

namespace softphone::push {

struct WebPushSender::Job
{
    PushSubscription subscription;
    QByteArray body;
    WebPushOptions options;
    crypto::EcKey vapidKey;
    QString vapidSubject;
    Done done;
    Backoff backoff;
    int attempts = 0;
};

namespace {
WebPushResult reject(const QString &reason)
{
    WebPushResult result;
    result.outcome = WebPushResult::Outcome::Rejected;
    result.reason = reason;
    return result;
}

// Retry-After is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
int retryAfterSeconds(const QByteArray &value)
{
    bool ok = false;
    const int seconds = value.trimmed().toInt(&ok);
    if (ok)
        return std::max(0, seconds);
    const QDateTime when =
        QDateTime::fromString(QString::fromLatin1(value.trimmed()), Qt::RFC2822Date);
    if (!when.isValid())
        return -1;
    return int(std::max<qint64>(0, QDateTime::currentDateTimeUtc().secsTo(when)));
}

QString origin(const QUrl &url)
{
    return url
        .adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment |
                  QUrl::RemoveUserInfo)
        .toString(QUrl::FullyEncoded);
}
} // namespace

WebPushSender::WebPushSender(QNetworkAccessManager *nam, QObject *parent)
    : QObject(parent)
    , m_nam(nam ? nam : new QNetworkAccessManager(this))
{}

QString WebPushSender::outcomeName(WebPushResult::Outcome outcome)
{
    switch (outcome) {
    case WebPushResult::Outcome::Delivered:
        return QStringLiteral("delivered");
    case WebPushResult::Outcome::Gone:
        return QStringLiteral("gone");
    case WebPushResult::Outcome::RetryLater:
        return QStringLiteral("retry_later");
    case WebPushResult::Outcome::Rejected:
        return QStringLiteral("rejected");
    }
    return QString();
}

void WebPushSender::send(const PushSubscription &subscription, const QByteArray &payload,
                         const WebPushOptions &options, const crypto::EcKey &vapidKey,
                         const QString &vapidSubject, Done done)
{
    auto later = [this, done](WebPushResult result) {
        QTimer::singleShot(0, this, [done, result] { done(result); });
    };
    if (!subscription.isValid())
        return later(reject(QStringLiteral("the subscription is not valid")));
    if (payload.size() > crypto::kWebPushMaxPlaintext)
        return later(reject(QStringLiteral("payload of %1 bytes is over the %2-byte limit")
                                .arg(payload.size())
                                .arg(crypto::kWebPushMaxPlaintext)));
    if (options.ttl < 0)
        return later(reject(QStringLiteral("TTL must not be negative")));
    static const QRegularExpression topicRe(QStringLiteral("^[A-Za-z0-9_-]{1,32}$"));
    if (!options.topic.isEmpty() && !topicRe.match(options.topic).hasMatch())
        return later(reject(QStringLiteral("Topic must be 1-32 base64url characters")));
    static const QStringList urgencies{QStringLiteral("very-low"), QStringLiteral("low"),
                                       QStringLiteral("normal"), QStringLiteral("high")};
    if (!options.urgency.isEmpty() && !urgencies.contains(options.urgency))
        return later(reject(QStringLiteral("Urgency must be very-low, low, normal or high")));
    auto job = std::make_shared<Job>();
    job->subscription = subscription;
    // Encrypted once: a retry sends the same bytes, so the service may see it as the same push.
    job->body = crypto::encryptWebPush(payload, subscription.p256dh, subscription.auth);
    if (job->body.isEmpty())
        return later(reject(QStringLiteral("encryption failed (bad subscription keys)")));
    job->options = options;
    job->vapidKey = vapidKey;
    job->vapidSubject = vapidSubject;
    job->done = std::move(done);
    job->backoff = Backoff(m_policy);
    attempt(job);
}

void WebPushSender::attempt(std::shared_ptr<Job> job)
{
    ++job->attempts;
    QNetworkRequest request(job->subscription.endpoint);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/octet-stream"));
    request.setRawHeader("Content-Encoding", "aes128gcm");
    request.setRawHeader("TTL", QByteArray::number(job->options.ttl));
    if (!job->options.urgency.isEmpty())
        request.setRawHeader("Urgency", job->options.urgency.toLatin1());
    if (!job->options.topic.isEmpty())
        request.setRawHeader("Topic", job->options.topic.toLatin1());
    if (!job->vapidKey.isNull())
        request.setRawHeader("Authorization",
                             crypto::makeVapidAuthorization(origin(job->subscription.endpoint),
                                                            job->vapidSubject, job->vapidKey)
                                 .toLatin1());
    request.setTransferTimeout(30000);
    // A redirect is the push service's answer, never followed: following one
    // would let a push service point us (and the VAPID token) anywhere.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply *reply = m_nam->post(request, job->body);
    connect(reply, &QNetworkReply::finished, this, [this, job, reply] { finished(job, reply); });
}

void WebPushSender::finished(std::shared_ptr<Job> job, QNetworkReply *reply)
{
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    WebPushResult result;
    result.httpStatus = status;
    result.attempts = job->attempts;
    result.retryAfterSeconds = reply->hasRawHeader("Retry-After")
                                   ? retryAfterSeconds(reply->rawHeader("Retry-After"))
                                   : -1;
    const QByteArray body = reply->readAll().left(512);
    bool retry = false;
    if (status == 201 || status == 200 || status == 202) {
        result.outcome = WebPushResult::Outcome::Delivered;
        result.location =
            reply->url().resolved(QUrl(QString::fromLatin1(reply->rawHeader("Location"))));
        bool ok = false;
        const int ttl = reply->rawHeader("TTL").toInt(&ok);
        result.ttl = ok ? ttl : -1;
    } else if (status == 404 || status == 410) {
        result.outcome = WebPushResult::Outcome::Gone;
        result.reason =
            QStringLiteral("the push service says the subscription is gone (%1)").arg(status);
    } else if (status == 429 || status >= 500 || status == 0) {
        result.outcome = WebPushResult::Outcome::RetryLater;
        result.reason = status == 0 ? reply->errorString()
                                    : QStringLiteral("push service answered %1").arg(status);
        retry = true;
    } else if (status >= 300 && status < 400) {
        result.outcome = WebPushResult::Outcome::Rejected;
        result.reason =
            QStringLiteral("push service answered %1 (redirects are not followed)").arg(status);
    } else {
        result.outcome = WebPushResult::Outcome::Rejected;
        result.reason = QStringLiteral("push service answered %1: %2")
                            .arg(status)
                            .arg(QString::fromUtf8(body).simplified());
    }
    if (retry && job->attempts < m_maxAttempts &&
        (result.retryAfterSeconds < 0 || result.retryAfterSeconds <= m_maxRetryAfter)) {
        auto delay = job->backoff.next();
        if (result.retryAfterSeconds >= 0)
            delay = std::max<std::chrono::milliseconds>(
                delay, std::chrono::seconds(result.retryAfterSeconds));
        qCInfo(lcPush) << "push to" << job->subscription.endpoint.host() << "-" << result.reason
                       << "- retrying in" << delay.count() << "ms";
        QTimer::singleShot(delay, this, [this, job] { attempt(job); });
        return;
    }
    job->done(result);
}

} // namespace softphone::push
