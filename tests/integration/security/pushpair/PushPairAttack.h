#pragma once
// What the push-pair attacks (issue #11 items 1-4) share: a real server with
// users, raw calling clients that register push data and call, the caller's
// POST /v1/push, and a loopback HTTP stand-in that records who reached it and
// answers what the test says. Test code only (nested event loops).
#include "crypto/Base64Url.h"
#include "integration/calling/RawCallingClient.h"
#include "integration/push/PushTestDevice.h"
#include "protocol/Builders.h"
#include "support/ServerProcess.h"

#include <QJsonArray>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <memory>

namespace pushpairtest {

using namespace softphone;
using namespace softphone::test;

inline std::unique_ptr<RawCallingClient> connectDevice(const ServerProcess &server,
                                                       const QString &user, const QString &device)
{
    auto client = std::make_unique<RawCallingClient>();
    if (!client->open(server.callingUrl()))
        return nullptr;
    client->send(protocol::makeHello(serviceToken(server, user), device, {true, true, true},
                                     QStringLiteral("attack-test"), QStringLiteral("hello-1")));
    if (client->waitFor(QStringLiteral("welcome")).isEmpty())
        return nullptr;
    return client;
}

// Registers `data` as user/device's push data and disconnects (the device is offline).
inline bool registerPushData(const ServerProcess &server, const QString &user,
                             const QString &device, const QByteArray &data)
{
    auto client = connectDevice(server, user, device);
    if (!client)
        return false;
    client->send(protocol::makePushRegister(data, QStringLiteral("reg")));
    return client->waitFor(QStringLiteral("ok")).value(u"re").toString() == u"reg";
}

// A subscription whose endpoint is `endpoint` (keys valid, nobody decrypts).
inline push::PushSubscription subscriptionAt(const QUrl &endpoint)
{
    push::PushSubscription s;
    s.endpoint = endpoint;
    s.p256dh = crypto::EcKey::generate().publicRaw();
    s.auth = QByteArray(16, 'a');
    return s;
}

// `from` calls `to`; the push the calling service hands the caller (empty if none).
inline QJsonObject callFor(RawCallingClient &from, const QString &to,
                           const QString &callId = newCallId())
{
    from.send(protocol::makeCall(callId, to));
    return from.waitFor(QStringLiteral("push"), 5000);
}

// `from` messages `to`; the push for it (empty if none).
inline QJsonObject messageFor(RawCallingClient &from, const QString &to, const QString &text)
{
    from.send(protocol::makeMessage(newCallId(), {to}, text));
    return from.waitFor(QStringLiteral("push"), 5000);
}

inline HttpReply postPairs(ServerProcess &server, const QJsonObject &push, const QString &token)
{
    QJsonObject body{{"pairs", push.value(u"pairs")}};
    for (const char *key : {"callId", "messageId"})
        if (push.contains(QLatin1String(key)))
            body.insert(QLatin1String(key), push.value(QLatin1String(key)));
    return server.http().postJson(server.appServerUrl().resolved(QUrl("/v1/push")), body,
                                  {{"Authorization", "Bearer " + token.toLatin1()}});
}

inline QJsonObject resultFor(const HttpReply &reply, const QString &device)
{
    for (const QJsonValue &r : reply.json.value(u"results").toArray())
        if (r.toObject().value(u"device").toString() == device)
            return r.toObject();
    return {};
}

inline QByteArray pushDataOf(const QJsonObject &pair)
{
    return QByteArray::fromBase64(pair.value(u"pushData").toString().toLatin1());
}

// A loopback HTTP stand-in: counts connections and requests, and answers
// every request with `response` (or nothing, when empty).
class HttpStandIn
{
public:
    explicit HttpStandIn(QByteArray response = {})
        : m_response(std::move(response))
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                ++connections;
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    m_buffer[socket] += socket->readAll();
                    if (!m_buffer[socket].contains("\r\n\r\n"))
                        return;
                    ++requests;
                    m_buffer.remove(socket);
                    if (!m_response.isEmpty()) {
                        socket->write(m_response);
                        socket->disconnectFromHost();
                    }
                });
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        m_server.listen(QHostAddress::LocalHost, 0);
    }
    QUrl url(const QString &path = QStringLiteral("/")) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path));
    }
    QString origin() const
    {
        return QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort());
    }

    int connections = 0;
    int requests = 0;

private:
    QTcpServer m_server;
    QByteArray m_response;
    QHash<QTcpSocket *, QByteArray> m_buffer;
};

} // namespace pushpairtest
