// A token refresh whose answer is lost, on a cluster of two application servers
// (one PostgreSQL, one Redis), as a user notices it: node 1 rotates the refresh
// token, commits, and dies before its answer reaches the client (a proxy in
// front of node 1 passes the request on, takes node 1's answer, SIGKILLs the
// node and closes the client's connection unanswered). The client (AccountSession,
// which the softphone, the tray agent and softphone-cli share) sends the same
// refresh with the same request id to node 2 and is still signed in, holding
// the very token node 1 issued; nobody is asked for a password. Before that,
// over plain HTTP on the shared database: a refresh retried on another node
// with its id gets the same token, and the used token with another id is
// refused.
#include "client/AccountSession.h"
#include "support/TestCluster.h"

#include <QJsonDocument>
#include <QPointer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>
#include <functional>

using namespace softphone;
using namespace softphone::test;
using client::AccountSession;

namespace {
const QString kPassword = QStringLiteral("pw-123456");

// Forwards loopback TCP connections to `target`. Once armed, the next whole
// HTTP answer from the target is kept (answerBody()) instead of forwarded:
// onAnswer runs, then the client's connection is closed without it.
class LosingProxy : public QObject
{
public:
    explicit LosingProxy(quint16 targetPort)
        : m_targetPort(targetPort)
    {
        connect(&m_server, &QTcpServer::newConnection, this, &LosingProxy::accept);
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()); }
    void loseNextAnswer(std::function<void()> onAnswer)
    {
        m_armed = true;
        m_onAnswer = std::move(onAnswer);
    }
    QByteArray answerBody() const { return m_answerBody; }

private:
    void accept()
    {
        while (QTcpSocket *client = m_server.nextPendingConnection()) {
            client->setParent(this);
            auto *upstream = new QTcpSocket(this);
            auto answer = std::make_shared<QByteArray>();
            upstream->connectToHost(QHostAddress::LocalHost, m_targetPort);
            connect(client, &QTcpSocket::readyRead, upstream,
                    [client, upstream] { upstream->write(client->readAll()); });
            connect(upstream, &QTcpSocket::readyRead, client, [this, client, upstream, answer] {
                if (!m_armed) {
                    client->write(upstream->readAll());
                    return;
                }
                *answer += upstream->readAll();
                const qsizetype headerEnd = answer->indexOf("\r\n\r\n");
                if (headerEnd < 0)
                    return;
                qsizetype length = 0;
                for (const QByteArray &line : answer->left(headerEnd).split('\n'))
                    if (line.toLower().startsWith("content-length:"))
                        length = line.mid(15).trimmed().toLongLong();
                if (answer->size() < headerEnd + 4 + length)
                    return;
                m_armed = false;
                m_answerBody = answer->mid(headerEnd + 4, length);
                if (m_onAnswer)
                    m_onAnswer();
                client->abort();
                upstream->abort();
            });
            auto closeBoth = [client, upstream] {
                client->disconnectFromHost();
                upstream->disconnectFromHost();
            };
            connect(client, &QTcpSocket::disconnected, upstream, closeBoth);
            connect(upstream, &QTcpSocket::disconnected, client, closeBoth);
            connect(upstream, &QTcpSocket::errorOccurred, client, closeBoth);
        }
    }

    QTcpServer m_server;
    quint16 m_targetPort = 0;
    bool m_armed = false;
    std::function<void()> m_onAnswer;
    QByteArray m_answerBody;
};

HttpReply refresh(ServerProcess &node, const QString &token, const QString &requestId)
{
    return node.http().postJson(node.appServerUrl().resolved(QUrl(QStringLiteral("/v1/token"))),
                                QJsonObject{{"refreshToken", token}, {"requestId", requestId}});
}
} // namespace

class TestClusterRefresh : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void retryOnAnotherNodeGetsTheSameToken();
    void lostAnswerIsRetriedOnAnotherNodeWithoutAsking(); // last: kills node 1

private:
    TestCluster m_cluster;
};

void TestClusterRefresh::initTestCase()
{
    QVERIFY2(m_cluster.start(2, QStringLiteral("appserver")), qPrintable(m_cluster.lastError()));
    QVERIFY(m_cluster.addUsers({QStringLiteral("alice"), QStringLiteral("bob")}, kPassword));
}

void TestClusterRefresh::retryOnAnotherNodeGetsTheSameToken()
{
    const QString first = m_cluster.node(1)
                              .loginReply(QStringLiteral("alice"), kPassword)
                              .json.value(u"refreshToken")
                              .toString();
    QVERIFY(!first.isEmpty());
    const QString id = QStringLiteral("alice-refresh-0000000001");
    const HttpReply rotated = refresh(m_cluster.node(1), first, id);
    QCOMPARE(rotated.status, 200);
    const QString second = rotated.json.value(u"refreshToken").toString();
    // Node 2 reads the copy node 1 kept in the shared database.
    const HttpReply retried = refresh(m_cluster.node(2), first, id);
    QCOMPARE(retried.status, 200);
    QCOMPARE(retried.json.value(u"refreshToken").toString(), second);
    const HttpReply refused =
        refresh(m_cluster.node(2), first, QStringLiteral("another-id-00000001"));
    QCOMPARE(refused.status, 401);
    QCOMPARE(refused.json.value(u"error").toString(), QStringLiteral("bad_refresh_token"));
    QCOMPARE(refresh(m_cluster.node(1), second, QStringLiteral("alice-refresh-0000000002")).status,
             200);
}

void TestClusterRefresh::lostAnswerIsRetriedOnAnotherNodeWithoutAsking()
{
    LosingProxy proxy(quint16(m_cluster.node(1).appServerUrl().port()));
    QVERIFY(proxy.listen());
    // bob's client lists node 1 (behind the proxy) first, then node 2; no keychain
    // (as softphone-cli): only the token in memory can keep him signed in.
    AccountSession::Options options;
    options.deviceId = QStringLiteral("bob-laptop");
    AccountSession session(options);
    QSignalSpy signedIn(&session, &AccountSession::signedIn);
    QSignalSpy refreshed(&session, &AccountSession::refreshed);
    QSignalSpy signedOut(&session, &AccountSession::signedOut);
    QSignalSpy failed(&session, &AccountSession::signInFailed);
    QSignalSpy unreachable(&session, &AccountSession::unreachable);
    session.signIn(proxy.url() + u',' + m_cluster.node(2).appServerUrl().toString(),
                   QStringLiteral("bob"), kPassword, false);
    QVERIFY(signedIn.wait(20000));
    QCOMPARE(session.serverUrl().port(), QUrl(proxy.url()).port());
    const QString before = session.login().refreshToken;

    // Node 1 takes the refresh, commits the new token and dies before answering.
    proxy.loseNextAnswer([this] { m_cluster.node(1).kill(); });
    session.refreshNow();
    QVERIFY2(refreshed.wait(30000), qPrintable(QStringLiteral("signed out %1, failed %2, "
                                                              "unreachable %3")
                                                   .arg(signedOut.size())
                                                   .arg(failed.size())
                                                   .arg(unreachable.size())));
    QVERIFY(!m_cluster.node(1).isRunning());
    const QJsonObject lost = QJsonDocument::fromJson(proxy.answerBody()).object();
    const QString issuedByNode1 = lost.value(u"refreshToken").toString();
    QVERIFY2(!issuedByNode1.isEmpty(), proxy.answerBody().constData());
    // Signed in on node 2 with the token node 1 issued: nobody was asked.
    QCOMPARE(session.serverUrl().port(), m_cluster.node(2).appServerUrl().port());
    QVERIFY(session.isSignedIn());
    QCOMPARE(session.login().refreshToken, issuedByNode1);
    QVERIFY(issuedByNode1 != before);
    QCOMPARE(signedOut.size(), 0);
    QCOMPARE(failed.size(), 0);
    // That token is the live one: the next refresh works.
    session.refreshNow();
    QVERIFY(refreshed.wait(20000));
    QCOMPARE(refreshed.size(), 2);
    QVERIFY(session.login().refreshToken != issuedByNode1);
}

QTEST_GUILESS_MAIN(TestClusterRefresh)
#include "tst_cluster_refresh.moc"
