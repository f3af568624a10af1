// Attacks on the push role by anonymous clients (issue #11 item 10) against a
// real softphone-server: many new devices (uaids) from one address, many
// subscriptions on one device (and register/unregister churn), and a sender who
// rotates VAPID keys to escape the rate limit. Clients bind to 127.0.0.2,
// 127.0.0.3, ... so each quota hits the attacker's address and not another's.
// docs/security.md "Accounts and the push role" says what each attack now gets.

#include "LoopbackClients.h"
#include "crypto/EcKey.h"
#include "crypto/Vapid.h"
#include "support/ServerProcess.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QUuid>

using namespace softphone;
using namespace softphone::test;

namespace {

const QHostAddress kAttacker(QStringLiteral("127.0.0.2"));
const QHostAddress kOther(QStringLiteral("127.0.0.3"));
constexpr int kBackOff = 4774;

QJsonObject parse(const QByteArray &text)
{
    return QJsonDocument::fromJson(text).object();
}

// A raw autopush device from a chosen address.
struct Device
{
    explicit Device(const QHostAddress &from)
        : socket(from)
    {}
    // hello (resuming `uaid` if given); the reply, or empty if the socket was closed.
    QJsonObject hello(const QUrl &url, const QString &resume = {})
    {
        if (!socket.open(url, "push-notification"))
            return {};
        QJsonObject msg{{"messageType", "hello"}, {"use_webpush", true}};
        if (!resume.isEmpty())
            msg.insert(QStringLiteral("uaid"), resume);
        socket.sendText(QJsonDocument(msg).toJson(QJsonDocument::Compact));
        const QJsonObject reply = parse(socket.nextText());
        uaid = reply.value("uaid").toString();
        return reply;
    }
    QJsonObject request(const QString &type, const QString &channelId)
    {
        socket.sendText(QJsonDocument(QJsonObject{{"messageType", type}, {"channelID", channelId}})
                            .toJson(QJsonDocument::Compact));
        return parse(socket.nextText());
    }
    QJsonObject subscribe(QString *channelId = nullptr)
    {
        const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        if (channelId)
            *channelId = id;
        return request(QStringLiteral("register"), id);
    }

    BoundWebSocket socket;
    QString uaid;
};

QList<QPair<QByteArray, QByteArray>> pushHeaders(const QUrl &endpoint, const crypto::EcKey *vapid)
{
    QList<QPair<QByteArray, QByteArray>> headers{{"TTL", "60"}, {"Content-Encoding", "aes128gcm"}};
    if (vapid) {
        const QString audience =
            endpoint.adjusted(QUrl::RemovePath | QUrl::StripTrailingSlash).toString();
        headers.append(
            {"Authorization", crypto::makeVapidAuthorization(
                                  audience, QStringLiteral("mailto:x@example.org"), *vapid)
                                  .toLatin1()});
    }
    return headers;
}

int subscriptionRows(const ServerProcess &server, const QString &uaid)
{
    return sqlValue(QDir(server.dataDir()).filePath(QStringLiteral("push.db")),
                    QStringLiteral("SELECT COUNT(*) FROM subscriptions WHERE uaid = ?"), {uaid})
        .toInt();
}

} // namespace

class TestAccountsPush : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // 127.0.0.2 and .3 must be usable source addresses (Linux routes all of 127/8).
        QTcpSocket probe;
        QVERIFY2(probe.bind(kAttacker, 0), qPrintable(probe.errorString()));
    }

    // One address asks for more new uaids than its quota: the one past it is told
    // to back off (4774), without a uaid; another address and a known device are
    // not affected.
    void newDevicesAreLimitedPerAddress()
    {
        ServerProcess server({QStringLiteral("--roles"), QStringLiteral("push"),
                              QStringLiteral("--set"),
                              QStringLiteral("push.new_uaids_per_address=3")});
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        std::vector<std::unique_ptr<Device>> devices;
        for (int i = 0; i < 3; ++i) {
            devices.push_back(std::make_unique<Device>(kAttacker));
            QCOMPARE(devices.back()->hello(server.pushWsUrl()).value("status").toInt(), 200);
            QVERIFY(!devices.back()->uaid.isEmpty());
        }
        Device refused(kAttacker);
        QVERIFY(refused.hello(server.pushWsUrl()).isEmpty());
        QCOMPARE(refused.socket.waitClosed(), kBackOff);
        QVERIFY2(refused.socket.closeReason().contains("too many new devices"),
                 refused.socket.closeReason().constData());
        // A uaid made up by the attacker is a new device too.
        Device madeUp(kAttacker);
        QVERIFY(madeUp.hello(server.pushWsUrl(), QStringLiteral("0123456789abcdef0123456789abcdef"))
                    .isEmpty());
        QCOMPARE(madeUp.socket.waitClosed(), kBackOff);

        // Someone else's address still gets a device...
        Device other(kOther);
        QCOMPARE(other.hello(server.pushWsUrl()).value("status").toInt(), 200);
        // ...and a known device from the attacker's address still resumes.
        const QString known = devices.front()->uaid;
        devices.clear();
        Device resumed(kAttacker);
        QCOMPARE(resumed.hello(server.pushWsUrl(), known).value("uaid").toString(), known);
    }

    // One device registers more channels than the cap: the one past it gets 403 with
    // the reason; unregistering frees a place; other devices are not affected.
    void subscriptionsPerDeviceAreCapped()
    {
        ServerProcess server({QStringLiteral("--roles"), QStringLiteral("push")});
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        Device greedy(kAttacker);
        QCOMPARE(greedy.hello(server.pushWsUrl()).value("status").toInt(), 200);
        QString first;
        for (int i = 0; i < 32; ++i) {
            const QJsonObject reply = greedy.subscribe(i == 0 ? &first : nullptr);
            QCOMPARE(reply.value("status").toInt(), 200);
        }
        const QJsonObject refused = greedy.subscribe();
        QCOMPARE(refused.value("status").toInt(), 403);
        QVERIFY2(refused.value("error").toString().contains("32 subscriptions"),
                 qPrintable(refused.value("error").toString()));
        QVERIFY(refused.value("pushEndpoint").toString().isEmpty());
        QCOMPARE(subscriptionRows(server, greedy.uaid), 32);

        QCOMPARE(greedy.request(QStringLiteral("unregister"), first).value("status").toInt(), 200);
        QCOMPARE(greedy.subscribe().value("status").toInt(), 200);

        Device other(kOther);
        QCOMPARE(other.hello(server.pushWsUrl()).value("status").toInt(), 200);
        QCOMPARE(other.subscribe().value("status").toInt(), 200);
    }

    // Register/unregister churn: unregistered endpoints are kept as tombstones
    // (410) only up to the cap; older ones are forgotten (404), so churn cannot
    // grow push.db.
    void unregisterChurnIsBounded()
    {
        ServerProcess server({QStringLiteral("--roles"), QStringLiteral("push"),
                              QStringLiteral("--set"), QStringLiteral("push.max_subscriptions=4")});
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        Device churner(kAttacker);
        QCOMPARE(churner.hello(server.pushWsUrl()).value("status").toInt(), 200);
        QList<QUrl> endpoints;
        for (int i = 0; i < 40; ++i) {
            QString channel;
            const QJsonObject reply = churner.subscribe(&channel);
            QCOMPARE(reply.value("status").toInt(), 200);
            endpoints << QUrl(reply.value("pushEndpoint").toString());
            QCOMPARE(churner.request(QStringLiteral("unregister"), channel).value("status").toInt(),
                     200);
        }
        const int rows = subscriptionRows(server, churner.uaid);
        qInfo("40 register/unregister cycles left %d subscription rows", rows);
        QVERIFY(rows <= 4);
        QCOMPARE(
            postFrom(kOther, endpoints.last(), "x", pushHeaders(endpoints.last(), nullptr)).status,
            410);
        QCOMPARE(postFrom(kOther, endpoints.first(), "x", pushHeaders(endpoints.first(), nullptr))
                     .status,
                 404);
    }

    // A sender past its rate on a subscription gets 429; a fresh VAPID key (or none)
    // does not reset it, while another sender address is not affected.
    void senderRateIsNotResetByNewVapidKeys()
    {
        ServerProcess server({QStringLiteral("--roles"), QStringLiteral("push"),
                              QStringLiteral("--set"), QStringLiteral("push.sender_rate=0.01"),
                              QStringLiteral("--set"), QStringLiteral("push.sender_burst=3")});
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        Device device(QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(device.hello(server.pushWsUrl()).value("status").toInt(), 200);
        const QUrl endpoint(device.subscribe().value("pushEndpoint").toString());
        QVERIFY(endpoint.isValid());

        const crypto::EcKey first = crypto::EcKey::generate();
        for (int i = 0; i < 3; ++i)
            QCOMPARE(postFrom(kAttacker, endpoint, "body", pushHeaders(endpoint, &first)).status,
                     201);
        HttpReply limited = postFrom(kAttacker, endpoint, "body", pushHeaders(endpoint, &first));
        QCOMPARE(limited.status, 429);
        QVERIFY(limited.header("Retry-After").toInt() > 0);
        for (int i = 0; i < 3; ++i) {
            const crypto::EcKey fresh = crypto::EcKey::generate();
            limited = postFrom(kAttacker, endpoint, "body", pushHeaders(endpoint, &fresh));
            QCOMPARE(limited.status, 429);
            QCOMPARE(parse(limited.body).value("error").toString(), QStringLiteral("rate_limited"));
        }
        QCOMPARE(postFrom(kAttacker, endpoint, "body", pushHeaders(endpoint, nullptr)).status, 429);

        const crypto::EcKey honest = crypto::EcKey::generate();
        QCOMPARE(postFrom(kOther, endpoint, "body", pushHeaders(endpoint, &honest)).status, 201);
    }
};

QTEST_GUILESS_MAIN(TestAccountsPush)
#include "tst_accounts_push.moc"
