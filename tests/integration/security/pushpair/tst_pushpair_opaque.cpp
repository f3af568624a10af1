// Item 1 of issue #11, attacked on a real server and a real softphone-cli:
// a caller handed the callee's push pair cannot read the callee's endpoint or
// keys from the pushData bytes, and cannot make the application server send to
// a push service of the caller's own making (plain push data, or push data
// sealed correctly to the published key but naming the caller's endpoint).
// Meanwhile an honest call still pushes. Last, the operator rotates the
// push-data key and `softphone-cli offline` registers bob's push data again,
// sealed to the new key.
#include "PushPairAttack.h"

#include "crypto/SealedPushData.h"

#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>

using namespace pushpairtest;

class TestPushPairOpaque : public QObject
{
    Q_OBJECT

private:
    ServerProcess m_server;
    QTemporaryDir m_cliState;

    // softphone-cli as bob's "desk" with this machine's push state.
    void startBobCli(QProcess &cli, const QStringList &command)
    {
        cli.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        cli.start(qEnvironmentVariable("SOFTPHONE_CLI_BIN"),
                  QStringList{QStringLiteral("--server"), m_server.appServerUrl().toString(),
                              QStringLiteral("--user"), QStringLiteral("bob"),
                              QStringLiteral("--device"), QStringLiteral("desk"),
                              QStringLiteral("--password-stdin")} +
                      command + QStringList{QStringLiteral("--state-dir"), m_cliState.path()});
        cli.write("password-123\n");
        cli.closeWriteChannel();
    }

    // The key id (base64url) the pair alice gets for bob's desk is sealed to;
    // *outcome: what posting that pair gave.
    QByteArray keyIdOfBobsPair(QString *outcome = nullptr)
    {
        auto alice = connectDevice(m_server, QStringLiteral("alice"), QStringLiteral("laptop"));
        if (!alice)
            return {};
        const QJsonObject push = callFor(*alice, QStringLiteral("bob"));
        const auto id = crypto::sealedPushDataKeyIdOf(
            pushDataOf(push.value(u"pairs").toArray().at(0).toObject()));
        if (outcome)
            *outcome = resultFor(postPairs(m_server, push, serviceToken(m_server, "alice")),
                                 QStringLiteral("desk"))
                           .value(u"outcome")
                           .toString();
        alice->send(protocol::makeHangup(push.value(u"callId").toString()));
        alice->waitFor(QStringLiteral("ended"));
        return id ? toBase64Url(*id) : QByteArray();
    }

private slots:
    void initTestCase()
    {
        QString why;
        QVERIFY2(keychainReachable(&why), qPrintable(why));
        QVERIFY(!qEnvironmentVariableIsEmpty("SOFTPHONE_CLI_BIN"));
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        for (const char *user : {"alice", "bob", "mallory"})
            QVERIFY(m_server.addUser(QLatin1String(user), QStringLiteral("password-123")));
        // bob's device registers the way a user does it: softphone-cli push register.
        QProcess cli;
        startBobCli(cli, {QStringLiteral("push"), QStringLiteral("register")});
        QVERIFY(cli.waitForFinished(60000));
        QCOMPARE(cli.exitCode(), 0);
        QVERIFY(cli.readAllStandardOutput().contains("push_registered"));
    }

    // The pair alice gets for bob's device carries no endpoint, no key and no
    // JSON: only the application server can open it, and it still rings bob.
    void callerCannotReadTheEndpoint()
    {
        auto alice = connectDevice(m_server, QStringLiteral("alice"), QStringLiteral("laptop"));
        QVERIFY(alice);
        const QJsonObject push = callFor(*alice, QStringLiteral("bob"));
        QCOMPARE(push.value(u"pairs").toArray().size(), 1);
        const QByteArray data = pushDataOf(push.value(u"pairs").toArray().at(0).toObject());
        QVERIFY(!data.isEmpty());
        QVERIFY(data.size() <= 1024);
        QVERIFY2(!QJsonDocument::fromJson(data).isObject(), data.constData());
        const QByteArray pushHost = m_server.pushHttpUrl().authority().toLatin1();
        QVERIFY(!data.contains("wpush"));
        QVERIFY(!data.contains(pushHost));
        QVERIFY(!data.contains("p256dh"));
        QVERIFY(!data.contains("endpoint"));
        // Still a working pair: the application server opens it and pushes.
        const HttpReply reply =
            postPairs(m_server, push, serviceToken(m_server, QStringLiteral("alice")));
        QCOMPARE(reply.status, 200);
        QCOMPARE(resultFor(reply, QStringLiteral("desk")).value(u"outcome").toString(),
                 QStringLiteral("delivered"));
    }

    // mallory registers push data for her own second device that points at a
    // push service she runs, calls herself from her first device and posts the
    // pair: the application server never connects there.
    void callerCannotAimTheServerAtHerOwnService()
    {
        HttpStandIn evil("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
        const push::PushSubscription mine = subscriptionAt(evil.url(QStringLiteral("/push/1")));
        const QString token = serviceToken(m_server, QStringLiteral("mallory"));
        auto laptop = connectDevice(m_server, QStringLiteral("mallory"), QStringLiteral("laptop"));
        QVERIFY(laptop);

        // (a) the seed's plain push data naming her endpoint.
        const QByteArray plain =
            QJsonDocument(QJsonObject{{"provider", "webpush"}, {"subscription", mine.toJson()}})
                .toJson(QJsonDocument::Compact);
        QVERIFY(
            registerPushData(m_server, QStringLiteral("mallory"), QStringLiteral("evil"), plain));
        HttpReply reply = postPairs(m_server, callFor(*laptop, QStringLiteral("mallory")), token);
        QCOMPARE(reply.status, 200);
        QCOMPARE(resultFor(reply, QStringLiteral("evil")).value(u"outcome").toString(),
                 QStringLiteral("rejected"));

        // (b) sealed correctly to the published key, for her own device.
        const QByteArray sealed = sealedPushData(m_server.http(), m_server.appServerUrl(), mine,
                                                 QStringLiteral("mallory"), QStringLiteral("evil"));
        QVERIFY(!sealed.isEmpty());
        QVERIFY(
            registerPushData(m_server, QStringLiteral("mallory"), QStringLiteral("evil"), sealed));
        reply = postPairs(m_server, callFor(*laptop, QStringLiteral("mallory")), token);
        QCOMPARE(reply.status, 200);
        QCOMPARE(resultFor(reply, QStringLiteral("evil")).value(u"outcome").toString(),
                 QStringLiteral("not_allowed"));

        // The server had every chance to connect by now: the fan-out answered.
        QCOMPARE(evil.connections, 0);
    }

    // mallory copies bob's sealed push data (from a pair she got calling him)
    // and registers it as her own device's: the server will not push it for her.
    void copiedPushDataIsNotSentForTheCopier()
    {
        auto laptop = connectDevice(m_server, QStringLiteral("mallory"), QStringLiteral("laptop"));
        QVERIFY(laptop);
        const QJsonObject bobPush = callFor(*laptop, QStringLiteral("bob"));
        const QByteArray bobData = pushDataOf(bobPush.value(u"pairs").toArray().at(0).toObject());
        QVERIFY(
            registerPushData(m_server, QStringLiteral("mallory"), QStringLiteral("copy"), bobData));
        const HttpReply reply = postPairs(m_server, callFor(*laptop, QStringLiteral("mallory")),
                                          serviceToken(m_server, QStringLiteral("mallory")));
        QCOMPARE(reply.status, 200);
        QCOMPARE(resultFor(reply, QStringLiteral("copy")).value(u"outcome").toString(),
                 QStringLiteral("rejected"));
    }

    // The operator rotates the push-data key (server stopped, command, start):
    // bob's `softphone-cli offline` notices at its start and registers again.
    void cliOfflineRegistersAgainAfterARotation()
    {
        const QByteArray before = keyIdOfBobsPair();
        QVERIFY(!before.isEmpty());
        m_server.stop();
        QCOMPARE(
            m_server.runCommand({QStringLiteral("keys"), QStringLiteral("rotate-push-data-key")}),
            0);
        QVERIFY2(m_server.restart(), qPrintable(m_server.lastError()));
        const QByteArray after =
            m_server.http()
                .get(m_server.appServerUrl().resolved(QUrl(QStringLiteral("/v1/keys"))))
                .json.value(u"pushDataKeyId")
                .toString()
                .toLatin1();
        QVERIFY(!after.isEmpty() && after != before);
        // Until bob's device registers again, the pair is still sealed to the
        // old key, which the server keeps: bob is not stranded meanwhile.
        QString outcome;
        QCOMPARE(keyIdOfBobsPair(&outcome), before);
        QCOMPARE(outcome, QStringLiteral("delivered"));

        QProcess offline;
        startBobCli(offline, {QStringLiteral("offline")});
        QByteArray out;
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         out += offline.readAllStandardOutput();
                         return out.contains("push_registered") ||
                                offline.state() == QProcess::NotRunning;
                     },
                     60000),
                 out.constData());
        QVERIFY2(out.contains("push_data_key_changed"), out.constData());
        QVERIFY2(out.contains("push_registered"), out.constData());
        offline.terminate();
        QVERIFY(offline.waitForFinished(20000));
        QCOMPARE(keyIdOfBobsPair(), after);
    }
};

QTEST_GUILESS_MAIN(TestPushPairOpaque)
#include "tst_pushpair_opaque.moc"
