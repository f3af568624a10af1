// The push role's storage thread (docs/push-channel.md "Store and forward"): pushes
// are handed to the device while push.db commits them in groups, the 201 waits for
// the commit, and acks are queued behind their push's insert.

#include "PushTestDevice.h"
#include "crypto/Base64Url.h"
#include "crypto/Random.h"
#include "crypto/WebPushEncryption.h"
#include "support/ServerProcess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTcpSocket>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>
#include <QtTest>

using namespace softphone;
using namespace softphone::test;
using Outcome = push::WebPushResult::Outcome;

namespace {

// Messages push.db still holds, read through a connection of our own (WAL: the
// server's writer is not disturbed), or its PostgreSQL's (the _postgresql run);
// -1 if unreadable.
int storedMessages(const ServerProcess &server)
{
    if (server.postgres()) {
        bool ok = false;
        const int rows = server.postgres()
                             ->query(QStringLiteral("SELECT count(*) FROM push.messages"))
                             .trimmed()
                             .toInt(&ok);
        return ok ? rows : -1;
    }
    const QString dataDir = server.dataDir();
    int count = -1;
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("storage-test"));
        db.setDatabaseName(dataDir + QStringLiteral("/push.db"));
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=2000"));
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(QStringLiteral("SELECT COUNT(*) FROM messages")) && q.next())
                count = q.value(0).toInt();
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("storage-test"));
    return count;
}

// A device in autopush's protocol that acks each notification the moment it arrives
// (PushChannel first records the version in its state file, which is slower than a
// commit): most acks reach the service before the push's insert is committed. It
// reconnects with its uaid when the service goes away.
class QuickAckDevice : public QObject
{
public:
    explicit QuickAckDevice(const QUrl &url)
        : m_url(url)
    {
        connect(&m_socket, &QWebSocket::connected, this, [this] {
            QJsonObject hello{{"messageType", "hello"}, {"use_webpush", true}};
            if (!uaid.isEmpty())
                hello.insert(QStringLiteral("uaid"), uaid);
            send(hello);
        });
        connect(&m_socket, &QWebSocket::textMessageReceived, this, &QuickAckDevice::onText);
        connect(&m_socket, &QWebSocket::disconnected, this,
                [this] { QTimer::singleShot(200, this, &QuickAckDevice::open); });
        open();
    }

    QString uaid;
    QUrl endpoint;
    QStringList payloads; // in arrival order

private:
    void open()
    {
        QWebSocketHandshakeOptions options;
        options.setSubprotocols({QStringLiteral("push-notification")});
        m_socket.open(QNetworkRequest(m_url), options);
    }
    void send(const QJsonObject &msg)
    {
        m_socket.sendTextMessage(
            QString::fromUtf8(QJsonDocument(msg).toJson(QJsonDocument::Compact)));
    }
    void onText(const QString &text)
    {
        const QJsonObject msg = QJsonDocument::fromJson(text.toUtf8()).object();
        const QString type = msg.value(u"messageType").toString();
        if (type == u"notification") {
            send({{"messageType", "ack"},
                  {"updates", QJsonArray{QJsonObject{{"channelID", m_channelId},
                                                     {"version", msg.value(u"version")},
                                                     {"code", 100}}}}});
            payloads.append(QString::fromUtf8(
                fromBase64Url(msg.value(u"data").toString().toLatin1()).value_or("?")));
        } else if (type == u"hello" && uaid.isEmpty()) {
            uaid = msg.value(u"uaid").toString();
            send({{"messageType", "register"}, {"channelID", m_channelId}});
        } else if (type == u"register") {
            endpoint = QUrl(msg.value(u"pushEndpoint").toString());
        }
    }

    QUrl m_url;
    QWebSocket m_socket;
    QString m_channelId = crypto::randomUuid();
};

// POSTs a body (the service does not decrypt; the device above does not either).
QNetworkReply *post(QNetworkAccessManager &nam, const QUrl &endpoint, const QByteArray &body)
{
    QNetworkRequest request(endpoint);
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/octet-stream");
    request.setRawHeader("Content-Encoding", "aes128gcm");
    request.setRawHeader("TTL", "3600");
    return nam.post(request, body);
}

} // namespace

class TestPushStorage : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void ackedPushesAreNotResurrected();
    void senderHangingUpBeforeItsAnswerIsHarmless();
    void deletingAnUndeliveredPushRemovesIt();
};

void TestPushStorage::initTestCase()
{
    QString why;
    if (!keychainReachable(&why))
        QFAIL(qPrintable(why));
}

// Many pushes at once to a connected device: each goes out before its insert is
// committed and the device acks most of them before that commit. Every 201'd push
// arrives once, none stays stored after its ack, and none comes back after a restart.
void TestPushStorage::ackedPushesAreNotResurrected()
{
    ServerProcess server({QStringLiteral("--roles"), QStringLiteral("push")});
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    QuickAckDevice device(server.pushWsUrl());
    QTRY_VERIFY_WITH_TIMEOUT(device.endpoint.isValid(), 20000);

    constexpr int kTotal = 300;
    QNetworkAccessManager nam;
    int created = 0;
    int answered = 0;
    for (int i = 0; i < kTotal; ++i) {
        QNetworkReply *reply = post(nam, device.endpoint, "push " + QByteArray::number(i));
        connect(reply, &QNetworkReply::finished, this, [&, reply] {
            reply->deleteLater();
            ++answered;
            if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 201)
                ++created;
        });
    }
    QTRY_COMPARE_WITH_TIMEOUT(answered, kTotal, 60000);
    QCOMPARE(created, kTotal);
    QTRY_COMPARE_WITH_TIMEOUT(device.payloads.size(), kTotal, 60000);
    // Every ack's delete lands after its push's insert, whatever the timing.
    QTRY_COMPARE_WITH_TIMEOUT(storedMessages(server), 0, 30000);

    QVERIFY2(server.restart(), qPrintable(server.lastError()));
    // The device reconnects with its uaid. Stored pushes go out in acceptance order, so
    // once a new one arrived, anything brought back would have arrived before it.
    QNetworkReply *after = post(nam, device.endpoint, "after the restart");
    QSignalSpy afterFinished(after, &QNetworkReply::finished);
    QVERIFY(afterFinished.wait(20000));
    QCOMPARE(after->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 201);
    after->deleteLater();
    QTRY_VERIFY_WITH_TIMEOUT(device.payloads.contains(QStringLiteral("after the restart")), 30000);
    QCOMPARE(device.payloads.size(), kTotal + 1);
    QCOMPARE(QSet<QString>(device.payloads.cbegin(), device.payloads.cend()).size(), kTotal + 1);
}

// Senders that send a whole POST and hang up at once, before the commit their 201
// waits for: the service keeps running and answers the next sender.
void TestPushStorage::senderHangingUpBeforeItsAnswerIsHarmless()
{
    ServerProcess server({QStringLiteral("--roles"), QStringLiteral("push")});
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    PushTestDevice device(server.pushWsUrl());
    QVERIFY(device.startAndSubscribe());
    const push::PushSubscription sub = device.subscription();
    const QByteArray body = crypto::encryptWebPush("gone sender", sub.p256dh, sub.auth);

    for (int i = 0; i < 50; ++i) {
        QTcpSocket socket;
        socket.connectToHost(sub.endpoint.host(), quint16(sub.endpoint.port()));
        QVERIFY(socket.waitForConnected(5000));
        socket.write("POST " + sub.endpoint.path(QUrl::FullyEncoded).toLatin1() +
                     " HTTP/1.1\r\nHost: " + sub.endpoint.authority().toLatin1() +
                     "\r\nTTL: 60\r\nContent-Encoding: aes128gcm\r\nContent-Length: " +
                     QByteArray::number(body.size()) + "\r\n\r\n" + body);
        QVERIFY(socket.waitForBytesWritten(5000));
        socket.abort();
    }
    QCOMPARE(sendPush(sub, "still here").outcome, Outcome::Delivered);
    QTRY_VERIFY_WITH_TIMEOUT(device.payloads().contains(QStringLiteral("still here")), 30000);
    QVERIFY(server.isRunning());
}

// RFC 8030 §6.3: the sender deletes a push the device has not received; the answer
// waits for the delete's commit like the 201 waits for the insert's.
void TestPushStorage::deletingAnUndeliveredPushRemovesIt()
{
    ServerProcess server({QStringLiteral("--roles"), QStringLiteral("push")});
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    PushTestDevice device(server.pushWsUrl());
    QVERIFY(device.startAndSubscribe());
    device.channel().stop();

    const auto withdrawn = sendPush(device.subscription(), "withdrawn", {3600});
    QCOMPARE(withdrawn.outcome, Outcome::Delivered);
    QVERIFY(withdrawn.location.isValid());
    QNetworkAccessManager nam;
    auto deleteStatus = [&nam](const QUrl &url) {
        QNetworkReply *reply = nam.deleteResource(QNetworkRequest(url));
        QSignalSpy finished(reply, &QNetworkReply::finished);
        finished.wait(20000);
        reply->deleteLater();
        return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    };
    QCOMPARE(deleteStatus(withdrawn.location), 204);
    QCOMPARE(deleteStatus(withdrawn.location), 404);
    QCOMPARE(sendPush(device.subscription(), "kept", {3600}).outcome, Outcome::Delivered);

    device.channel().start();
    QTRY_COMPARE_WITH_TIMEOUT(device.payloads(), QStringList{QStringLiteral("kept")}, 30000);
}

QTEST_GUILESS_MAIN(TestPushStorage)
#include "tst_push_storage.moc"
