// Attacks on the HTTP port's request limits (issue #11 item 5) against a real
// softphone-server: a body announced far over the limit is refused from its
// Content-Length before it is sent, a chunked body is cut at the limit, an
// oversized head or too many headers are refused, and the server's memory does
// not follow the attacker's bytes. Every refusal leaves the port working for
// everyone else. docs/security.md ("listeners") lists the limits.

#include "RawPeer.h"
#include "support/ServerProcess.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>

using namespace softphone::test;

class TestListenersHttp : public QObject
{
    Q_OBJECT

    std::unique_ptr<ServerProcess> m_server;

    // The port still serves an ordinary client.
    void assertOthersServed()
    {
        const HttpReply keys = m_server->http().get(m_server->appServerUrl("/v1/keys"));
        QCOMPARE(keys.status, 200);
        QVERIFY(keys.json.contains("tokenKey"));
        QVERIFY(!m_server->login("alice", "alice-password").isEmpty());
    }

    static QString errorOf(const RawHttpResponse &r)
    {
        return QJsonDocument::fromJson(r.body).object().value("error").toString();
    }

private slots:
    void initTestCase()
    {
        m_server = std::make_unique<ServerProcess>(QStringList{"--roles", "appserver,push"});
        QVERIFY2(m_server->start(), qPrintable(m_server->lastError()));
        QVERIFY(m_server->addUser("alice", "alice-password"));
    }

    void hugeContentLengthRefusedBeforeTheBody()
    {
        const qint64 rssBefore = m_server->rssKiB();
        QVERIFY(rssBefore > 0);
        RawPeer attacker(m_server->appServerUrl());
        QVERIFY(attacker.isConnected());
        const qint64 announced = 192LL * 1024 * 1024;
        attacker.send("POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      "Content-Length: " +
                      QByteArray::number(announced) + "\r\n\r\n");
        // Not one body byte sent yet: the answer comes from the head alone.
        const RawHttpResponse r = attacker.readResponse(10000);
        QCOMPARE(r.status, 413);
        QCOMPARE(errorOf(r), QStringLiteral("too_large"));
        QVERIFY(r.head.contains("Connection: close"));

        // The attacker sends its 192 MiB anyway; the server takes none of it.
        const QByteArray chunk(1024 * 1024, 'x');
        QElapsedTimer clock;
        clock.start();
        qint64 sent = 0;
        for (int i = 0; i < 192 && attacker.isConnected() && clock.elapsed() < 30000; ++i) {
            attacker.socket().write(chunk);
            attacker.socket().waitForBytesWritten(1000);
            sent += chunk.size();
        }
        QVERIFY(attacker.waitClosed(10000));
        const qint64 grown = m_server->rssKiB() - rssBefore;
        qInfo("attacker pushed %lld MiB before the close; server RSS grew %lld KiB",
              sent / (1024 * 1024), grown);
        QVERIFY2(grown < 32 * 1024, qPrintable(QStringLiteral("RSS grew %1 KiB").arg(grown)));
        assertOthersServed();
    }

    void chunkedBodyCutAtTheLimit()
    {
        const qint64 rssBefore = m_server->rssKiB();
        RawPeer attacker(m_server->appServerUrl(), QHostAddress("127.0.0.2"));
        QVERIFY(attacker.isConnected());
        attacker.send("POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n");
        // 16 KiB chunks, never the last one: without a cut the server waits for ever.
        const QByteArray chunk = "4000\r\n" + QByteArray(0x4000, ' ') + "\r\n";
        RawHttpResponse r;
        for (int i = 0; i < 64 && attacker.isConnected() && r.status == 0; ++i) {
            attacker.send(chunk);
            r = attacker.readResponse(i < 4 ? 50 : 2000); // the limit is 4 chunks
        }
        QCOMPARE(r.status, 413);
        QCOMPARE(errorOf(r), QStringLiteral("too_large"));
        QVERIFY(attacker.waitClosed(5000));
        QVERIFY(m_server->rssKiB() - rssBefore < 32 * 1024);
        assertOthersServed();
    }

    void pushEndpointRefusesOverItsOwnLimit()
    {
        // The Web Push resource accepts 4096 bytes: 5000 are refused from the head,
        // whatever the (unknown) subscription.
        RawPeer attacker(m_server->pushHttpUrl());
        attacker.send("POST /wpush/whatever HTTP/1.1\r\nHost: x\r\nTTL: 60\r\n"
                      "Content-Encoding: aes128gcm\r\nContent-Length: 5000\r\n\r\n");
        const RawHttpResponse r = attacker.readResponse(10000);
        QCOMPARE(r.status, 413);
        QVERIFY(attacker.waitClosed(5000));
    }

    void oversizedHeadRefused()
    {
        RawPeer attacker(m_server->appServerUrl());
        attacker.send("GET /v1/keys HTTP/1.1\r\nHost: x\r\nX-Filler: " + QByteArray(20000, 'a') +
                      "\r\n\r\n");
        const RawHttpResponse r = attacker.readResponse(10000);
        QCOMPARE(r.status, 431);
        QCOMPARE(errorOf(r), QStringLiteral("head_too_large"));
        QVERIFY(attacker.waitClosed(5000));
        assertOthersServed();
    }

    void tooManyHeadersRefused()
    {
        RawPeer attacker(m_server->appServerUrl());
        QByteArray head = "GET /v1/keys HTTP/1.1\r\nHost: x\r\n";
        for (int i = 0; i < 150; ++i)
            head += "X-H" + QByteArray::number(i) + ": 1\r\n";
        attacker.send(head + "\r\n");
        const RawHttpResponse r = attacker.readResponse(10000);
        QCOMPARE(r.status, 431);
        QCOMPARE(errorOf(r), QStringLiteral("too_many_headers"));
        assertOthersServed();
    }

    void malformedRequestRefused()
    {
        RawPeer attacker(m_server->appServerUrl());
        attacker.send("GET /v1/keys HTTP/1.1\r\nHost x\r\n\r\n");
        const RawHttpResponse r = attacker.readResponse(10000);
        QCOMPARE(r.status, 400);
        QVERIFY(attacker.waitClosed(5000));
    }

    void pipelinedRequestsAnsweredInOrder()
    {
        RawPeer client(m_server->appServerUrl());
        client.send("GET /v1/keys HTTP/1.1\r\nHost: x\r\n\r\n"
                    "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"
                    "GET /v1/keys HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        QCOMPARE(client.readResponse().status, 200);
        QCOMPARE(client.readResponse().status, 404);
        const RawHttpResponse last = client.readResponse();
        QCOMPARE(last.status, 200);
        QVERIFY(last.head.contains("Connection: close"));
        QVERIFY(client.waitClosed(5000));
    }
};

QTEST_GUILESS_MAIN(TestListenersHttp)
#include "tst_listeners_http.moc"
