// Issue #11 item 13, attacked on a real softphone-server: a user the operator
// removed or disabled (`softphone-server user remove|disable`, a separate
// process on the same data dir) kept calling for up to an hour on the session
// and the access token they already had. See docs/security.md "Calling service".
#include "AttackSetup.h"
#include "protocol/Builders.h"
#include "protocol/Limits.h"

#include <QJsonArray>
#include <QTest>
#include <memory>

using namespace softphone;
using namespace softphone::test;

namespace {

struct Session
{
    QString accessToken;
    QString refreshToken;
};

} // namespace

class TestSecurityCallingRevocation : public CallingAttack
{
    Q_OBJECT
private:
    Session login(const QString &user)
    {
        const HttpReply reply =
            m_server->loginReply(user, kAttackPassword, QStringLiteral("laptop"));
        return {reply.json.value(u"accessToken").toString(),
                reply.json.value(u"refreshToken").toString()};
    }

    int pushStatus(const QString &token)
    {
        QUrl url = m_server->appServerUrl();
        url.setPath(QStringLiteral("/v1/push"));
        const QJsonObject body{{"callId", newCallId()}, {"pairs", QJsonArray()}};
        return m_server->http()
            .postJson(url, body, {{"Authorization", "Bearer " + token.toLatin1()}})
            .status;
    }

    int refreshStatus(const QString &refreshToken)
    {
        QUrl url = m_server->appServerUrl();
        url.setPath(QStringLiteral("/v1/token"));
        return m_server->http().postJson(url, {{"refreshToken", refreshToken}}).status;
    }

    // A hello with this token: the close code the service answers with (-1: welcomed, kept open).
    int helloCloseCode(const QString &token)
    {
        RawCallingClient client;
        if (!client.open(m_server->callingUrl()))
            return -2;
        client.send(protocol::makeHello(token, QStringLiteral("again"), {true, false, false},
                                        QStringLiteral("raw-test"), QStringLiteral("h")));
        const QJsonObject error = client.waitFor(QStringLiteral("error"), 5000);
        if (error.value(u"code").toString() != u"unauthorized")
            return -1;
        return client.waitClosed(5000);
    }

    // The user's softphone and tray agent are connected; `verb` runs as the
    // admin command. Both connections close within 2 s with 4403, and the
    // token and refresh token stop working everywhere.
    void revokeWhileConnected(const QString &verb, const QString &user)
    {
        const Session session = login(user);
        QVERIFY(!session.accessToken.isEmpty());
        auto softphone =
            signedIn(*m_server, session.accessToken, QStringLiteral("laptop"), {true, true, true});
        auto agent = signedIn(*m_server, session.accessToken, QStringLiteral("laptop"),
                              {false, false, true});
        auto bob = signedIn(*m_server, login(QStringLiteral("bob")).accessToken,
                            QStringLiteral("desk"), {true, false, false});
        QVERIFY(softphone && agent && bob);
        // A call in progress ends with the session.
        const QString callId = newCallId();
        softphone->send(protocol::makeCall(callId, QStringLiteral("bob")));
        QCOMPARE(bob->waitFor(QStringLiteral("incoming")).value(u"callId").toString(), callId);

        QByteArray out, err;
        QCOMPARE(m_server->runCommand({QStringLiteral("user"), verb, user}, {}, &out, &err), 0);
        QElapsedTimer sinceCommand;
        sinceCommand.start();
        QCOMPARE(softphone->waitClosed(2000), int(protocol::CloseAccountRevoked));
        QCOMPARE(agent->waitClosed(2000), int(protocol::CloseAccountRevoked));
        qInfo("%s: sessions closed %lld ms after the command returned", qPrintable(verb),
              qlonglong(sinceCommand.elapsed()));
        QCOMPARE(bob->waitFor(QStringLiteral("ended")).value(u"callId").toString(), callId);

        QCOMPARE(helloCloseCode(session.accessToken), int(protocol::CloseUnauthorized));
        QCOMPARE(pushStatus(session.accessToken), 401);
        QCOMPARE(refreshStatus(session.refreshToken), 401);
        QVERIFY(login(user).accessToken.isEmpty());

        // bob is not affected: still connected, and he calls on.
        QVERIFY(bob->isOpen());
        const QString echo = newCallId();
        bob->send(protocol::makeCall(echo, QStringLiteral("echo")));
        QCOMPARE(bob->waitFor(QStringLiteral("established")).value(u"callId").toString(), echo);
        QVERIFY(!login(QStringLiteral("bob")).accessToken.isEmpty());
    }

private Q_SLOTS:
    void init() { QVERIFY(startServer()); }

    void cleanup() { m_server.reset(); }

    void removedUserIsCutOff()
    {
        revokeWhileConnected(QStringLiteral("remove"), QStringLiteral("alice"));
    }

    // A disabled user is cut off the same way; enabled again, they sign in
    // anew, while the token from before the disable stays refused.
    void disabledUserIsCutOffUntilEnabled()
    {
        revokeWhileConnected(QStringLiteral("disable"), QStringLiteral("carol"));
        if (QTest::currentTestFailed())
            return;
        const QString old = login(QStringLiteral("carol")).accessToken; // refused: empty
        QVERIFY(old.isEmpty());
        QCOMPARE(m_server->runCommand(
                     {QStringLiteral("user"), QStringLiteral("enable"), QStringLiteral("carol")}),
                 0);
        QTest::qWait(1100); // a new token's iat must be past the revocation's second
        const Session fresh = login(QStringLiteral("carol"));
        QVERIFY(!fresh.accessToken.isEmpty());
        auto carol =
            signedIn(*m_server, fresh.accessToken, QStringLiteral("laptop"), {true, false, false});
        QVERIFY(carol);
        QVERIFY(pushStatus(fresh.accessToken) != 401);
    }
};

QTEST_MAIN(TestSecurityCallingRevocation)
#include "tst_sec_calling_revocation.moc"
