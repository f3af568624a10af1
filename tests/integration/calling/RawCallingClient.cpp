#include "RawCallingClient.h"

#include "crypto/Base64Url.h"
#include "crypto/EcKey.h"
#include "crypto/Jwt.h"
#include "crypto/Random.h"
#include "protocol/Builders.h"
#include "protocol/Limits.h"
#include "support/ServerProcess.h"
#include "support/TestCluster.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocketHandshakeOptions>

namespace softphone::test {

RawCallingClient::RawCallingClient(QObject *parent)
    : QObject(parent)
{
    m_socket.setMaxAllowedIncomingFrameSize(protocol::kMaxControlMessageBytes);
    m_socket.setMaxAllowedIncomingMessageSize(protocol::kMaxControlMessageBytes);
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        m_received.append(QJsonDocument::fromJson(text.toUtf8()).object());
    });
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this,
            [this](const QByteArray &frame) { m_binary.append(frame); });
    connect(&m_socket, &QWebSocket::disconnected, this, [this] { m_closed = true; });
}

bool RawCallingClient::open(const QUrl &url)
{
    QWebSocketHandshakeOptions options;
    options.setSubprotocols({QString::fromLatin1(protocol::kSubprotocol)});
    QSignalSpy connected(&m_socket, &QWebSocket::connected);
    m_socket.open(QNetworkRequest(url), options);
    return connected.wait(10000) || m_socket.state() == QAbstractSocket::ConnectedState;
}

bool RawCallingClient::signIn(const QUrl &url, const QString &token, const QString &device,
                              bool calling)
{
    return signIn(url, token, device, protocol::Capabilities{calling, false, false});
}

bool RawCallingClient::signIn(const QUrl &url, const QString &token, const QString &device,
                              const protocol::Capabilities &capabilities)
{
    if (!open(url))
        return false;
    send(protocol::makeHello(token, device, capabilities, QStringLiteral("raw-test"),
                             QStringLiteral("hello-1")));
    return !waitFor(QStringLiteral("welcome")).isEmpty();
}

std::unique_ptr<RawCallingClient> RawCallingClient::signedIn(const QUrl &url, const QString &token,
                                                             const QString &device)
{
    auto client = std::make_unique<RawCallingClient>();
    if (!client->signIn(url, token, device))
        return nullptr;
    return client;
}

QString RawCallingClient::endCause(const QString &callId, int timeoutMs)
{
    const QJsonObject ended = waitFor(QStringLiteral("ended"), timeoutMs);
    if (ended.value(u"callId").toString() != callId)
        return QStringLiteral("<no ended for this call>");
    return ended.value(u"cause").toString();
}

QString RawCallingClient::errorCode(int timeoutMs)
{
    return waitFor(QStringLiteral("error"), timeoutMs).value(u"code").toString();
}

void RawCallingClient::send(const QJsonObject &message)
{
    sendText(protocol::toText(message));
}

void RawCallingClient::sendText(const QString &text)
{
    m_socket.sendTextMessage(text);
    m_socket.flush();
}

void RawCallingClient::sendBinary(const QByteArray &data)
{
    m_socket.sendBinaryMessage(data);
    m_socket.flush();
}

bool RawCallingClient::hasReceived(const QString &type) const
{
    for (const QJsonObject &message : m_received) {
        if (message.value(QLatin1StringView("type")).toString() == type)
            return true;
    }
    return false;
}

QJsonObject RawCallingClient::waitFor(const QString &type, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (true) {
        for (qsizetype i = 0; i < m_received.size(); ++i) {
            if (m_received[i].value(QLatin1StringView("type")).toString() == type)
                return m_received.takeAt(i);
        }
        if (deadline.hasExpired() || m_closed)
            return {};
        QTest::qWait(10);
    }
}

int RawCallingClient::waitClosed(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!m_closed && !deadline.hasExpired())
        QTest::qWait(10);
    return m_closed ? int(m_socket.closeCode()) : -1;
}

QString signAccessToken(const QByteArray &privatePem, const QString &user, qint64 iat, qint64 exp)
{
    const auto key = crypto::EcKey::fromPem(privatePem);
    if (!key)
        return {};
    const QJsonObject claims{{QStringLiteral("iss"), QStringLiteral("softphone-appserver")},
                             {QStringLiteral("aud"), QStringLiteral("softphone-calling")},
                             {QStringLiteral("sub"), user},
                             {QStringLiteral("iat"), iat},
                             {QStringLiteral("exp"), exp},
                             {QStringLiteral("jti"), crypto::randomUuid()}};
    return crypto::signJwt(claims, *key);
}

QString unsignedAccessToken(const QString &user)
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QJsonObject header{{QStringLiteral("alg"), QStringLiteral("none")},
                             {QStringLiteral("typ"), QStringLiteral("JWT")}};
    const QJsonObject claims{{QStringLiteral("iss"), QStringLiteral("softphone-appserver")},
                             {QStringLiteral("aud"), QStringLiteral("softphone-calling")},
                             {QStringLiteral("sub"), user},
                             {QStringLiteral("iat"), now},
                             {QStringLiteral("exp"), now + 3600}};
    return QString::fromLatin1(
        toBase64Url(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.' +
        toBase64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact)) + '.');
}

QByteArray readTokenKey(const QString &dataDir)
{
    QFile file(QDir(dataDir).filePath(QStringLiteral("keys/token.pem")));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString newCallId()
{
    return crypto::randomUuid();
}

QString serviceToken(const ServerProcess &server, const QString &user)
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    return signAccessToken(readTokenKey(server.dataDir()), user, now, now + 3600);
}

QString establishCall(RawCallingClient &caller, RawCallingClient &callee, const QString &calleeUser)
{
    const QString callId = newCallId();
    caller.send(protocol::makeCall(callId, calleeUser));
    if (callee.waitFor(QStringLiteral("incoming")).isEmpty())
        return {};
    callee.send(protocol::makeAnswer(callId));
    if (caller.waitFor(QStringLiteral("established")).isEmpty())
        return {};
    return callId;
}

std::unique_ptr<RawCallingClient> signedInAs(const ServerProcess &server, const QString &user,
                                             const QString &device)
{
    return RawCallingClient::signedIn(server.callingUrl(), serviceToken(server, user), device);
}

std::unique_ptr<RawCallingClient> signedInOn(TestCluster &cluster, int node, const QString &user,
                                             const QString &device)
{
    auto client = RawCallingClient::signedIn(cluster.node(node).callingUrl(),
                                             serviceToken(cluster.node(1), user), device);
    if (client && !cluster.located(user, device, TestCluster::nodeId(node)))
        return nullptr;
    return client;
}

bool caughtUp(RawCallingClient &client)
{
    static int n = 0;
    const QString id = QStringLiteral("sync-%1").arg(++n);
    client.send(protocol::makeHangup(newCallId(), id));
    return client.waitFor(QStringLiteral("error")).value(u"re").toString() == id;
}

bool presenceSubscribed(RawCallingClient &client, const QStringList &users)
{
    static int n = 0;
    const QString id = QStringLiteral("sub-%1").arg(++n);
    client.send(protocol::makePresenceSubscribe(users, id));
    return client.waitFor(QStringLiteral("ok")).value(u"re").toString() == id;
}

QString nextPresence(RawCallingClient &client, int timeoutMs)
{
    const QJsonObject event = client.waitFor(QStringLiteral("presence"), timeoutMs);
    if (event.isEmpty())
        return QStringLiteral("<none>");
    return event.value(u"user").toString() + QLatin1Char(' ') + event.value(u"status").toString();
}

int presenceEvents(const RawCallingClient &client)
{
    int n = 0;
    for (const QJsonObject &message : client.received())
        n += message.value(u"type").toString() == QStringLiteral("presence");
    return n;
}

QByteArray srtpLikeFrame(const char *text)
{
    return QByteArray("\x80\x6f") + QByteArray(text).leftJustified(20, '.');
}

} // namespace softphone::test
