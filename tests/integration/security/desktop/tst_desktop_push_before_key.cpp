// Issue #11 item 17, the agent's relay before it holds the service key: a
// registered softphone-tray restarts while the application server's keys
// (GET /v1/keys) fail, and the calling service that would also bring the
// payload key is out of reach. A push arriving then was handed to the softphone unverified
// (it started the softphone with whatever payload it carried). Now it waits,
// unacknowledged; once the keys come it is verified and handed over: the call rings.
//
// The agent talks to the real server through a small HTTP gate of this test on
// loopback: it forwards sign-in, and until opened answers /v1/keys 503 and
// points the sign-in's calling URL at a closed loopback port.
#include "support/TrayTestSupport.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpServer>
#include <QTcpSocket>

using namespace traytest;

namespace {

class KeysGate : public QObject
{
public:
    explicit KeysGate(const QUrl &upstream)
        : m_upstream(upstream)
    {
        // A port nothing listens on: bind one, then close it.
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost);
        m_deadPort = probe.serverPort();
        probe.close();
        m_server.listen(QHostAddress::LocalHost);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onData(socket); });
            }
        });
    }
    QUrl url() const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()));
    }
    void open() { m_open = true; }
    int keysRefused = 0;

private:
    void onData(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
        if (headEnd < 0 || buffer.size() > 1 << 20)
            return;
        const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
        const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
        qsizetype length = 0;
        QByteArray contentType;
        for (const QByteArray &line : lines.mid(1)) {
            const qsizetype colon = line.indexOf(':');
            if (colon < 0)
                continue;
            const QByteArray name = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            if (name == "content-length")
                length = value.toLongLong();
            else if (name == "content-type")
                contentType = value;
        }
        if (requestLine.size() < 2 || buffer.size() < headEnd + 4 + length)
            return;
        const QByteArray method = requestLine.at(0);
        const QByteArray path = requestLine.at(1);
        const QByteArray body = buffer.mid(headEnd + 4, length);
        m_buffers.remove(socket);
        if (path.startsWith("/v1/keys") && !m_open) {
            ++keysRefused;
            reply(socket, 503, "application/json", R"({"error":"closed by the test"})");
            return;
        }
        QUrl target = m_upstream;
        target.setPath(QString::fromLatin1(
            path.left(path.indexOf('?') < 0 ? path.size() : path.indexOf('?'))));
        QNetworkRequest request(target);
        if (!contentType.isEmpty())
            request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
        QNetworkReply *upstream = m_network.sendCustomRequest(request, method, body);
        connect(upstream, &QNetworkReply::finished, this, [this, upstream, socket, path] {
            upstream->deleteLater();
            QByteArray answer = upstream->readAll();
            // While closed, the agent's calling service is out of reach too (it
            // would bring the payload key); a softphone signing in later gets the real one.
            if (!m_open && (path.startsWith("/v1/login") || path.startsWith("/v1/token"))) {
                QJsonObject json = QJsonDocument::fromJson(answer).object();
                json.insert(QStringLiteral("calling"),
                            QStringLiteral("ws://127.0.0.1:%1/v1/calling").arg(m_deadPort));
                answer = QJsonDocument(json).toJson(QJsonDocument::Compact);
            }
            reply(socket, upstream->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                  upstream->header(QNetworkRequest::ContentTypeHeader).toByteArray(), answer);
        });
    }
    static void reply(QTcpSocket *socket, int status, const QByteArray &type,
                      const QByteArray &body)
    {
        socket->write("HTTP/1.1 " + QByteArray::number(status) + " X\r\nContent-Type: " + type +
                      "\r\nContent-Length: " + QByteArray::number(body.size()) +
                      "\r\nConnection: close\r\n\r\n" + body);
        socket->disconnectFromHost();
    }

    QUrl m_upstream;
    quint16 m_deadPort = 0;
    bool m_open = false;
    QTcpServer m_server;
    QNetworkAccessManager m_network;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

} // namespace

class TstDesktopPushBeforeKey : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(!softphoneBinary().isEmpty(), "SOFTPHONE_BIN not set");
        QVERIFY2(QDBusConnection::sessionBus().isConnected(),
                 "no session bus: run under tests/desktop-session");
    }

    void pushBeforeTheKeyIsHeldThenVerified()
    {
        // First run: registered for pushes, then stopped (registration kept).
        BobOnline bob;
        QVERIFY2(bob.start(), qPrintable(bob.problem));
        QTRY_VERIFY_WITH_TIMEOUT(!registeredEndpoint(bob.server, QStringLiteral("bob")).isEmpty(),
                                 30000);
        bob.tray.stop();

        KeysGate gate(bob.server.appServerUrl());
        Tray tray(bob.home);
        tray.start({QStringLiteral("--server"), gate.url().toString(), QStringLiteral("--user"),
                    QStringLiteral("bob"), QStringLiteral("--password-stdin")},
                   "password-bob\n");
        QTRY_VERIFY_WITH_TIMEOUT(gate.keysRefused >= 1, 30000);

        Caller alice(bob.server, QStringLiteral("alice"));
        QVERIFY(alice.start());
        Call *call = alice.client->callUser(QStringLiteral("bob"));
        // The push reaches the agent, which holds it: nothing is handed over.
        QByteArray log;
        const bool held = QTest::qWaitFor(
            [&] {
                log += tray.process.readAllStandardError();
                return log.contains("held: not handed over") ||
                       !softphonesOf(bob.home.path()).isEmpty();
            },
            30000);
        QVERIFY2(softphonesOf(bob.home.path()).isEmpty(),
                 "the push was handed over (the softphone started) before the key verified it");
        QVERIFY2(held, log.constData());
        QTest::qWait(3000);
        QVERIFY(softphonesOf(bob.home.path()).isEmpty());
        QCOMPARE(call->state(), CallState::Initiating);

        // The keys come: the held push is verified and handed over, bob rings.
        gate.open();
        QTRY_VERIFY2_WITH_TIMEOUT(call->state() != CallState::Initiating,
                                  "the held push never reached the softphone", kSlowMs);
        QCOMPARE(call->state(), CallState::Progressing);
        QCOMPARE(softphonesOf(bob.home.path()).size(), 1);
        call->hangup();
        QTRY_COMPARE_WITH_TIMEOUT(call->state(), CallState::Ended, 20000);
    }
};

QTEST_GUILESS_MAIN(TstDesktopPushBeforeKey)
#include "tst_desktop_push_before_key.moc"
