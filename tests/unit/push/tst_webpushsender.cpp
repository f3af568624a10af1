// WebPushSender against a real HTTP server in this process (the server's own
// HttpListener on loopback) playing a push service: what the application server is told to do
// next for each answer, how often it tries, and that what it sends is a
// correct, decryptable RFC 8030/8291 request.

#include "crypto/EcKey.h"
#include "crypto/Random.h"
#include "crypto/WebPushEncryption.h"
#include "push/WebPushSender.h"
#include "softphone-server/common/HttpListener.h"
#include "softphone-server/common/HttpResponse.h"

#include <QtTest>

using namespace softphone;
using namespace softphone::push;
using Outcome = WebPushResult::Outcome;
using softphone::server::HttpRequest;
using softphone::server::HttpResponse;
using Status = HttpResponse::Status;

class TestWebPushSender : public QObject
{
    Q_OBJECT

    struct Seen
    {
        QByteArray body;
        QByteArray ttl, encoding, urgency, topic, authorization;
    };

    softphone::server::HttpListener m_http;
    quint16 m_port = 0;
    QHash<QString, int> m_hits;             // path part -> requests seen
    QHash<QString, QList<Seen>> m_requests; // path part -> what came
    crypto::EcKey m_ua = crypto::EcKey::generate();
    QByteArray m_auth = crypto::randomBytes(16);

    PushSubscription subscription(const QString &scenario) const
    {
        PushSubscription sub;
        sub.endpoint =
            QUrl(QStringLiteral("http://127.0.0.1:%1/wpush/%2").arg(m_port).arg(scenario));
        sub.p256dh = m_ua.publicRaw();
        sub.auth = m_auth;
        return sub;
    }

    WebPushResult sendNow(WebPushSender &sender, const QString &scenario,
                          const QByteArray &payload = "hello", WebPushOptions options = {})
    {
        std::optional<WebPushResult> result;
        sender.send(subscription(scenario), payload, options, {}, {},
                    [&](const WebPushResult &r) { result = r; });
        if (!QTest::qWaitFor([&] { return result.has_value(); }, 30000))
            return {};
        return *result;
    }

    static WebPushSender *fastSender(QObject *parent)
    {
        auto *sender = new WebPushSender(nullptr, parent);
        // Short, but the shape (growing, bounded) is the product's.
        sender->setBackoffPolicy(
            {std::chrono::milliseconds(20), 2.0, 0.0, std::chrono::milliseconds(200)});
        return sender;
    }

private slots:
    void initTestCase()
    {
        m_http.http().route(QStringLiteral("/wpush/<arg>"), HttpRequest::Method::Post,
                            [this](const QString &scenario, const HttpRequest &request) {
                                const int n = ++m_hits[scenario];
                                m_requests[scenario].append(
                                    {request.body(), request.value("TTL"),
                                     request.value("Content-Encoding"), request.value("Urgency"),
                                     request.value("Topic"), request.value("Authorization")});
                                return answer(scenario, n);
                            });
        QString error;
        QVERIFY2(m_http.listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
        m_port = m_http.port();
        QVERIFY(m_port != 0);
    }

    void created()
    {
        QScopedPointer<WebPushSender> sender(fastSender(nullptr));
        WebPushOptions options;
        options.ttl = 120;
        options.urgency = QStringLiteral("high");
        options.topic = QStringLiteral("call-42");
        const WebPushResult result = sendNow(*sender, "ok", "incoming call", options);
        QCOMPARE(result.outcome, Outcome::Delivered);
        QCOMPARE(result.httpStatus, 201);
        QCOMPARE(result.attempts, 1);
        QCOMPARE(result.ttl, 120);
        QCOMPARE(result.location.path(), QStringLiteral("/wpush/m/msg1"));
        // The request is what RFC 8030/8291 ask for, and the device could read it.
        const Seen seen = m_requests.value("ok").first();
        QCOMPARE(seen.ttl, QByteArray("120"));
        QCOMPARE(seen.encoding, QByteArray("aes128gcm"));
        QCOMPARE(seen.urgency, QByteArray("high"));
        QCOMPARE(seen.topic, QByteArray("call-42"));
        QVERIFY(seen.authorization.isEmpty());
        const auto decrypted = crypto::decryptWebPush(seen.body, m_ua, m_auth);
        QVERIFY(decrypted.ok());
        QCOMPARE(decrypted.plaintext, QByteArray("incoming call"));
    }

    void rateLimitedThenCreatedIsRetried()
    {
        QScopedPointer<WebPushSender> sender(fastSender(nullptr));
        const WebPushResult result = sendNow(*sender, "busy-once");
        QCOMPARE(result.outcome, Outcome::Delivered);
        QCOMPARE(result.attempts, 2);
        QCOMPARE(m_hits.value("busy-once"), 2);
        // Encrypted once: the retry carries the very same bytes.
        QCOMPARE(m_requests.value("busy-once").at(1).body,
                 m_requests.value("busy-once").at(0).body);
    }

    void goneIsNotRetried()
    {
        QScopedPointer<WebPushSender> sender(fastSender(nullptr));
        const WebPushResult result = sendNow(*sender, "gone");
        QCOMPARE(result.outcome, Outcome::Gone);
        QCOMPARE(result.httpStatus, 410);
        QCOMPARE(result.attempts, 1);
        QCOMPARE(m_hits.value("gone"), 1);
    }

    void serverErrorsAreBounded()
    {
        QScopedPointer<WebPushSender> sender(fastSender(nullptr));
        sender->setMaxAttempts(3);
        const WebPushResult result = sendNow(*sender, "broken");
        QCOMPARE(result.outcome, Outcome::RetryLater);
        QCOMPARE(result.httpStatus, 500);
        QCOMPARE(result.attempts, 3);
        QCOMPARE(m_hits.value("broken"), 3);
    }

    // A Retry-After longer than the sender will wait ends at once with the hint.
    void longRetryAfterIsHandedBack()
    {
        QScopedPointer<WebPushSender> sender(fastSender(nullptr));
        const WebPushResult result = sendNow(*sender, "busy-long");
        QCOMPARE(result.outcome, Outcome::RetryLater);
        QCOMPARE(result.retryAfterSeconds, 3600);
        QCOMPARE(m_hits.value("busy-long"), 1);
    }

    void badRequestIsRejectedWithReason()
    {
        QScopedPointer<WebPushSender> sender(fastSender(nullptr));
        const WebPushResult result = sendNow(*sender, "bad");
        QCOMPARE(result.outcome, Outcome::Rejected);
        QCOMPARE(result.httpStatus, 400);
        QCOMPARE(result.attempts, 1);
        QVERIFY2(result.reason.contains(QStringLiteral("bad_ttl")), qPrintable(result.reason));
    }

    void badInputIsRejectedWithoutSending()
    {
        QScopedPointer<WebPushSender> sender(fastSender(nullptr));
        const int before = m_hits.value("ok");
        const WebPushResult tooBig =
            sendNow(*sender, "ok", QByteArray(crypto::kWebPushMaxPlaintext + 1, 'x'));
        QCOMPARE(tooBig.outcome, Outcome::Rejected);
        QVERIFY(tooBig.reason.contains(QStringLiteral("3993")));
        WebPushOptions badTopic;
        badTopic.topic = QStringLiteral("no spaces allowed");
        QCOMPARE(sendNow(*sender, "ok", "x", badTopic).outcome, Outcome::Rejected);
        QCOMPARE(m_hits.value("ok"), before);
    }

private:
    static HttpResponse answer(const QString &scenario, int n)
    {
        if (scenario == u"ok" || (scenario == u"busy-once" && n > 1)) {
            HttpResponse created(Status::Created);
            created.setHeader("Location", "/wpush/m/msg" + QByteArray::number(n));
            created.setHeader("TTL", "120");
            return created;
        }
        if (scenario == u"busy-once" || scenario == u"busy-long") {
            HttpResponse busy("text/plain", "rate_limited", Status::TooManyRequests);
            busy.setHeader("Retry-After", scenario == u"busy-once" ? "0" : "3600");
            return busy;
        }
        if (scenario == u"gone")
            return HttpResponse(Status::Gone);
        if (scenario == u"bad")
            return HttpResponse("application/json", "{\"error\":\"bad_ttl\"}", Status::BadRequest);
        return HttpResponse(Status::InternalServerError);
    }
};

QTEST_GUILESS_MAIN(TestWebPushSender)
#include "tst_webpushsender.moc"
