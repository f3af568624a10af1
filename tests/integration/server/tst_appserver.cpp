// The application server as a user meets it: a real softphone-server process,
// `user add`, then sign-in, token refresh, logout and the limits, over real HTTP.

#include "support/ServerProcess.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

using namespace softphone::test;

class TestAppServer : public QObject
{
    Q_OBJECT

    std::unique_ptr<ServerProcess> m_server;

private slots:
    void initTestCase()
    {
        m_server = std::make_unique<ServerProcess>(QStringList{"--roles", "appserver"});
        QVERIFY2(m_server->start(), qPrintable(m_server->lastError()));
        QVERIFY(m_server->addUser("alice", "alice-password"));
        QVERIFY(m_server->addUser("bob", "bob-password"));
    }

    void startLineHasEveryUrl()
    {
        ServerProcess all; // every role built in
        QVERIFY2(all.start(), qPrintable(all.lastError()));
        const QJsonObject line = all.startLine();
        QCOMPARE(line.value("event").toString(), QStringLiteral("listening"));
        QCOMPARE(all.callingUrl().scheme(), QStringLiteral("ws"));
        QCOMPARE(all.callingUrl().path(), QStringLiteral("/v1/calling"));
        QCOMPARE(all.pushWsUrl().path(), QStringLiteral("/v1/push"));
        QCOMPARE(all.appServerUrl().scheme(), QStringLiteral("http"));
        QCOMPARE(all.pushHttpUrl().path(), QStringLiteral("/wpush"));
        QVERIFY(all.callingUrl().port() > 0);
        QVERIFY(all.appServerUrl().port() > 0);
        QVERIFY(line.value("roles").toArray().contains(QStringLiteral("appserver")));
        all.stop();
        QCOMPARE(all.exitCode(), 0); // SIGTERM is a clean shutdown
    }

    void userCommands()
    {
        QByteArray out, err;
        QCOMPARE(m_server->runCommand({"user", "list"}, {}, &out), 0);
        QCOMPARE(out, QByteArray("alice\nbob\n"));
        QVERIFY(m_server->runCommand({"user", "add", "alice"}, "again-and-again\n", nullptr,
                                     &err) != 0);
        QVERIFY2(err.contains("already exists"), err.constData());
        QVERIFY(m_server->runCommand({"user", "add", "bad name"}, "pw\n", nullptr, &err) != 0);
        QVERIFY(m_server->runCommand({"user", "add", "dora"}, "", nullptr, &err) != 0);
        QVERIFY2(err.contains("password"), err.constData());
        QVERIFY(m_server->addUser("erin", "erin-password"));
        QVERIFY(!m_server->login("erin", "erin-password").isEmpty());
        QCOMPARE(m_server->runCommand({"user", "remove", "erin"}), 0);
        QVERIFY(m_server->login("erin", "erin-password").isEmpty());
    }

    void loginGivesTokensAndServiceUrls()
    {
        const HttpReply reply = m_server->loginReply("alice", "alice-password", "laptop-1");
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json.value("user").toString(), QStringLiteral("alice"));
        QCOMPARE(reply.json.value("expiresIn").toInt(), 3600);
        QVERIFY(!reply.json.value("refreshToken").toString().isEmpty());
        QCOMPARE(reply.json.value("calling").toString(), m_server->callingUrl().toString());
        QCOMPARE(reply.json.value("pushWs").toString(), m_server->pushWsUrl().toString());
        // The token names the user and is an ES256 JWT with a key id.
        const QStringList parts = reply.json.value("accessToken").toString().split('.');
        QCOMPARE(parts.size(), 3);
        const QJsonObject header =
            QJsonDocument::fromJson(
                QByteArray::fromBase64(parts[0].toLatin1(), QByteArray::Base64UrlEncoding))
                .object();
        const QJsonObject claims =
            QJsonDocument::fromJson(
                QByteArray::fromBase64(parts[1].toLatin1(), QByteArray::Base64UrlEncoding))
                .object();
        QCOMPARE(header.value("alg").toString(), QStringLiteral("ES256"));
        QVERIFY(!header.value("kid").toString().isEmpty());
        QCOMPARE(claims.value("sub").toString(), QStringLiteral("alice"));
        QCOMPARE(claims.value("aud").toString(), QStringLiteral("softphone-calling"));
        QCOMPARE(claims.value("iss").toString(), QStringLiteral("softphone-appserver"));
    }

    // TURN configured: every token reply carries coturn REST credentials
    // (use-auth-secret) for the user, checked against openssl; without the
    // settings there is no `ice`; half a configuration does not start.
    void turnCredentialsAtLogin()
    {
        QCOMPARE(m_server->loginReply("alice", "alice-password").json.contains("ice"), false);

        QTemporaryDir dir;
        const QString secretFile = dir.filePath("turn-secret");
        QFile file(secretFile);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        file.write("north-wind-turn-secret\n");
        file.close();
        ServerProcess turn({"--roles", "appserver", "--set", "appserver.turn_server=10.9.8.7:3478",
                            "--set", "appserver.turn_secret_file=" + secretFile});
        QVERIFY2(turn.start(), qPrintable(turn.lastError()));
        QVERIFY(turn.addUser("alice", "alice-password"));
        const qint64 before = QDateTime::currentSecsSinceEpoch();
        const HttpReply login = turn.loginReply("alice", "alice-password");
        QCOMPARE(login.status, 200);
        const QJsonObject ice = login.json.value("ice").toObject();
        QCOMPARE(ice.value("stun").toArray(), QJsonArray{"stun:10.9.8.7:3478"});
        const QJsonObject server = ice.value("turn").toArray().first().toObject();
        QCOMPARE(server.value("urls").toArray(), (QJsonArray{"turn:10.9.8.7:3478?transport=udp",
                                                             "turn:10.9.8.7:3478?transport=tcp"}));
        QCOMPARE(server.value("ttl").toInt(), 86400);
        const QString username = server.value("username").toString();
        const QStringList parts = username.split(':');
        QCOMPARE(parts.size(), 2);
        QCOMPARE(parts[1], QStringLiteral("alice"));
        QVERIFY(parts[0].toLongLong() >= before + 86400 &&
                parts[0].toLongLong() <= before + 86400 + 60);
        QProcess openssl;
        openssl.start("sh", {"-c",
                             "printf %s \"$1\" | openssl dgst -sha1 -hmac "
                             "north-wind-turn-secret -binary | base64",
                             "sh", username});
        QVERIFY(openssl.waitForFinished(10000));
        QCOMPARE(server.value("credential").toString(),
                 QString::fromLatin1(openssl.readAllStandardOutput().trimmed()));
        // The refresh brings fresh ones.
        QUrl token = turn.appServerUrl();
        token.setPath("/v1/token");
        const HttpReply refreshed = turn.http().postJson(
            token, {{"refreshToken", login.json.value("refreshToken").toString()}});
        QCOMPARE(refreshed.status, 200);
        QVERIFY(refreshed.json.value("ice").toObject().contains("turn"));

        ServerProcess half(
            {"--roles", "appserver", "--set", "appserver.turn_server=10.9.8.7:3478"});
        QVERIFY(!half.start(10000));
    }

    void wrongPasswordAndUnknownUserLookTheSame()
    {
        const HttpReply wrong = m_server->loginReply("bob", "not-bobs-password");
        const HttpReply unknown = m_server->loginReply("nobody", "whatever");
        QCOMPARE(wrong.status, 401);
        QCOMPARE(unknown.status, 401);
        QCOMPARE(wrong.body, unknown.body);
        QCOMPARE(wrong.json.value("error").toString(), QStringLiteral("bad_credentials"));
    }

    void refreshRotatesTheRefreshToken()
    {
        const HttpReply login = m_server->loginReply("bob", "bob-password");
        QCOMPARE(login.status, 200);
        const QString first = login.json.value("refreshToken").toString();

        const HttpReply refreshed = m_server->http().postJson(m_server->appServerUrl("/v1/token"),
                                                              {{"refreshToken", first}});
        QCOMPARE(refreshed.status, 200);
        const QString second = refreshed.json.value("refreshToken").toString();
        QVERIFY(!second.isEmpty());
        QVERIFY(second != first);
        QCOMPARE(refreshed.json.value("user").toString(), QStringLiteral("bob"));
        QVERIFY(!refreshed.json.value("accessToken").toString().isEmpty());

        const HttpReply reused = m_server->http().postJson(m_server->appServerUrl("/v1/token"),
                                                           {{"refreshToken", first}});
        QCOMPARE(reused.status, 401);
        QCOMPARE(reused.json.value("error").toString(), QStringLiteral("bad_refresh_token"));
        QCOMPARE(m_server->http()
                     .postJson(m_server->appServerUrl("/v1/token"), {{"refreshToken", second}})
                     .status,
                 200);
    }

    // A refresh whose answer was lost is sent again with the same request id:
    // it gets the same new token (and a new access token); the old token with
    // another id, or none, is still refused at once.
    void refreshRetriedWithItsIdGetsTheSameToken()
    {
        const HttpReply login = m_server->loginReply("bob", "bob-password");
        QCOMPARE(login.status, 200);
        const QString first = login.json.value("refreshToken").toString();
        const QString id = QStringLiteral("Xq3-retry_id-000000001");
        auto refresh = [&](const QString &token, const QString &requestId) {
            QJsonObject body{{"refreshToken", token}};
            if (!requestId.isEmpty())
                body.insert("requestId", requestId);
            return m_server->http().postJson(m_server->appServerUrl("/v1/token"), body);
        };

        const HttpReply lost = refresh(first, id);
        QCOMPARE(lost.status, 200);
        const QString second = lost.json.value("refreshToken").toString();
        QVERIFY(!second.isEmpty() && second != first);

        const HttpReply retried = refresh(first, id);
        QCOMPARE(retried.status, 200);
        QCOMPARE(retried.json.value("refreshToken").toString(), second);
        QCOMPARE(retried.json.value("user").toString(), QStringLiteral("bob"));
        QVERIFY(!retried.json.value("accessToken").toString().isEmpty());

        for (const QString &other : {QStringLiteral("Xq3-retry_id-000000002"), QString()}) {
            const HttpReply refused = refresh(first, other);
            QCOMPARE(refused.status, 401);
            QCOMPARE(refused.json.value("error").toString(), QStringLiteral("bad_refresh_token"));
        }
        // A malformed id is a bad request, not a refusal of the token.
        const HttpReply malformed = refresh(second, QStringLiteral("short"));
        QCOMPARE(malformed.status, 400);
        QVERIFY(malformed.json.value("message").toString().contains("requestId"));

        // Once the new token is used, the retry is worth nothing.
        const HttpReply third = refresh(second, QStringLiteral("Xq3-retry_id-000000003"));
        QCOMPARE(third.status, 200);
        QCOMPARE(refresh(first, id).status, 401);
        QCOMPARE(refresh(third.json.value("refreshToken").toString(), {}).status, 200);
    }

    // Past the window (`--set appserver.refresh_retry_window`, here 3 s) the retry is refused.
    void refreshRetryEndsWithItsWindow()
    {
        ServerProcess server({"--roles", "appserver", "--set", "appserver.refresh_retry_window=3"});
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        QVERIFY(server.addUser("carol", "carol-password"));
        const QString first =
            server.loginReply("carol", "carol-password").json.value("refreshToken").toString();
        QUrl token = server.appServerUrl();
        token.setPath("/v1/token");
        const QJsonObject body{{"refreshToken", first}, {"requestId", "carol-retry-id-0000001"}};
        const HttpReply lost = server.http().postJson(token, body);
        QCOMPARE(lost.status, 200);
        const HttpReply retried = server.http().postJson(token, body);
        QCOMPARE(retried.status, 200);
        QCOMPARE(retried.json.value("refreshToken"), lost.json.value("refreshToken"));
        QTest::qWait(3500);
        QCOMPARE(server.http().postJson(token, body).status, 401);
    }

    void logoutRevokesTheRefreshToken()
    {
        const HttpReply login = m_server->loginReply("alice", "alice-password");
        const QString token = login.json.value("refreshToken").toString();
        QCOMPARE(m_server->http()
                     .postJson(m_server->appServerUrl("/v1/logout"), {{"refreshToken", token}})
                     .status,
                 204);
        QCOMPARE(m_server->http()
                     .postJson(m_server->appServerUrl("/v1/token"), {{"refreshToken", token}})
                     .status,
                 401);
    }

    void tokensSurviveARestart()
    {
        const HttpReply login = m_server->loginReply("alice", "alice-password");
        const QString refresh = login.json.value("refreshToken").toString();
        const HttpReply keysBefore = m_server->http().get(m_server->appServerUrl("/v1/keys"));
        QVERIFY(m_server->restart());
        QCOMPARE(m_server->http().get(m_server->appServerUrl("/v1/keys")).json, keysBefore.json);
        QCOMPARE(m_server->http()
                     .postJson(m_server->appServerUrl("/v1/token"), {{"refreshToken", refresh}})
                     .status,
                 200);
    }

    void keysArePublished()
    {
        const HttpReply keys = m_server->http().get(m_server->appServerUrl("/v1/keys"));
        QCOMPARE(keys.status, 200);
        QVERIFY(keys.json.value("tokenKey").toString().startsWith("-----BEGIN PUBLIC KEY-----"));
        QVERIFY(keys.json.value("payloadKey").toString().startsWith("-----BEGIN PUBLIC KEY-----"));
        QCOMPARE(QByteArray::fromBase64(keys.json.value("vapidKey").toString().toLatin1(),
                                        QByteArray::Base64UrlEncoding)
                     .size(),
                 65);
        QVERIFY(!keys.body.contains("PRIVATE"));
    }

    void badBodiesGetClearErrors()
    {
        HttpReply r = m_server->http().post(m_server->appServerUrl("/v1/login"), "{\"user\":", {});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json.value("error").toString(), QStringLiteral("bad_request"));
        QVERIFY(r.json.value("message").toString().contains("JSON"));
        r = m_server->http().postJson(m_server->appServerUrl("/v1/login"),
                                      {{"user", 5}, {"password", "x"}});
        QCOMPARE(r.status, 400);
        QVERIFY(r.json.value("message").toString().contains("user"));
        r = m_server->http().post(m_server->appServerUrl("/v1/login"), QByteArray(70 * 1024, ' '),
                                  {});
        QCOMPARE(r.status, 413);
        r = m_server->http().get(m_server->appServerUrl("/v1/login"));
        QCOMPARE(r.status, 405);
        // None of that disturbed anyone: a good login still works.
        QVERIFY(!m_server->login("alice", "alice-password").isEmpty());
    }

    void loginFloodIsRateLimitedPerUser()
    {
        QVERIFY(m_server->addUser("frank", "frank-password"));
        for (int i = 0; i < 10; ++i)
            QCOMPARE(m_server->loginReply("frank", "guess").status, 401);
        const HttpReply limited = m_server->loginReply("frank", "frank-password");
        QCOMPARE(limited.status, 429);
        QCOMPARE(limited.json.value("error").toString(), QStringLiteral("rate_limited"));
        QVERIFY(!limited.header("Retry-After").isEmpty());
        // Another user is not affected.
        QVERIFY(!m_server->login("bob", "bob-password").isEmpty());
    }

    void unknownWebSocketPathIsRefused()
    {
        QWebSocket socket;
        QSignalSpy disconnected(&socket, &QWebSocket::disconnected);
        QUrl url = m_server->callingUrl();
        url.setPath("/v1/nothing-here");
        socket.open(url);
        QVERIFY(disconnected.wait(10000));
        QCOMPARE(socket.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
    }

    void demoUsersKeepTheirPasswordsAcrossRestarts()
    {
        ServerProcess demo({"--roles", "appserver", "--demo"});
        QVERIFY2(demo.start(), qPrintable(demo.lastError()));
        const QJsonObject users = demo.startLine().value("demo_users").toObject();
        QCOMPARE(users.keys(), QStringList({"alice", "bob", "carol"}));
        QVERIFY(!demo.login("carol", users.value("carol").toString()).isEmpty());
        QVERIFY(demo.restart());
        QCOMPARE(demo.startLine().value("demo_users").toObject(), users);
        QFile file(demo.dataDir() + "/demo-users.json");
        QCOMPARE(file.permissions() & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
    }
};

QTEST_GUILESS_MAIN(TestAppServer)
#include "tst_appserver.moc"
