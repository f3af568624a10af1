// AppServerClient (and ServiceKeysClient) against a real softphone-server:
// what sign-in, refresh and sign-out answer, how each failure is told apart
// (the words the apps choose depend on it), and the context rule: an answer
// never reaches a receiver that is gone.

#include "client/AppServerClient.h"
#include "client/ServiceKeysClient.h"
#include "support/ServerProcess.h"

#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>
#include <memory>
#include <optional>

using namespace softphone::client;
using softphone::test::ServerProcess;

namespace {

const QString kPassword = QStringLiteral("alice-correct-horse-battery");

// One request's reply, waited for (bounded) in a nested event loop.
struct Waiter
{
    std::optional<AppServerReply> reply;
    AppServerClient::Done done()
    {
        return [this](const AppServerReply &r) { reply = r; };
    }
    bool wait(int ms = 15000)
    {
        return QTest::qWaitFor([this] { return reply.has_value(); }, ms);
    }
};

} // namespace

class TestAppServerClient : public QObject
{
    Q_OBJECT

private:
    ServerProcess m_server;
    QObject m_context;

    AppServerReply login(AppServerClient &client, const QString &password)
    {
        Waiter w;
        client.login(QStringLiteral("alice"), password, QStringLiteral("desk-test"), &m_context,
                     w.done());
        return w.wait() ? *w.reply : AppServerReply{{}, AppServerError{}};
    }
    AppServerReply refresh(AppServerClient &client, const QString &token)
    {
        Waiter w;
        client.refresh(token, &m_context, w.done());
        return w.wait() ? *w.reply : AppServerReply{{}, AppServerError{}};
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        QVERIFY(m_server.addUser(QStringLiteral("alice"), kPassword));
    }

    void signInRefreshAndSignOut()
    {
        AppServerClient client(m_server.appServerUrl());
        const AppServerReply first = login(client, kPassword);
        QVERIFY2(first.ok(), first.error ? qPrintable(first.error->message) : "");
        QCOMPARE(first.login.user, QStringLiteral("alice"));
        QVERIFY(!first.login.accessToken.isEmpty());
        QVERIFY(first.login.refreshToken.size() >= 16);
        QCOMPARE(first.login.expiresInSeconds, 3600);
        QCOMPARE(first.login.callingUrl, m_server.callingUrl());

        // The refresh token rotates: the new one works, the used one is refused.
        const AppServerReply second = refresh(client, first.login.refreshToken);
        QVERIFY(second.ok());
        QVERIFY(second.login.refreshToken != first.login.refreshToken);
        QVERIFY(second.login.accessToken != first.login.accessToken);
        const AppServerReply reused = refresh(client, first.login.refreshToken);
        QVERIFY(!reused.ok());
        QCOMPARE(reused.error->type, AppServerError::Type::BadRefreshToken);
        QCOMPARE(reused.error->httpStatus, 401);

        // Sign-out: the server forgets the token.
        Waiter out;
        client.logout(second.login.refreshToken, &m_context, out.done());
        QVERIFY(out.wait());
        QVERIFY(out.reply->ok());
        const AppServerReply afterLogout = refresh(client, second.login.refreshToken);
        QVERIFY(!afterLogout.ok());
        QCOMPARE(afterLogout.error->type, AppServerError::Type::BadRefreshToken);
    }

    void failuresAreToldApart()
    {
        AppServerClient client(m_server.appServerUrl());
        const AppServerReply wrong = login(client, QStringLiteral("wrong"));
        QVERIFY(!wrong.ok());
        QCOMPARE(wrong.error->type, AppServerError::Type::BadCredentials);
        QCOMPARE(wrong.error->httpStatus, 401);
        QVERIFY(!wrong.error->message.isEmpty());

        // Nobody listens on port 9.
        AppServerClient nowhere(QUrl(QStringLiteral("http://127.0.0.1:9")));
        const AppServerReply unreachable = login(nowhere, kPassword);
        QVERIFY(!unreachable.ok());
        QCOMPARE(unreachable.error->type, AppServerError::Type::Unreachable);
        QVERIFY(unreachable.error->message.contains(QStringLiteral("127.0.0.1:9")));

        AppServerClient ftp(QUrl(QStringLiteral("ftp://127.0.0.1/")));
        const AppServerReply badUrl = login(ftp, kPassword);
        QVERIFY(!badUrl.ok());
        QCOMPARE(badUrl.error->type, AppServerError::Type::BadRequest);

        // http:// to another machine: refused before anything is sent, and never
        // answered before login() returned.
        AppServerClient remote(QUrl(QStringLiteral("http://192.0.2.1/")));
        Waiter insecure;
        remote.login(QStringLiteral("alice"), kPassword, QStringLiteral("desk-test"), &m_context,
                     insecure.done());
        QVERIFY(!insecure.reply.has_value());
        QVERIFY(insecure.wait(5000));
        QCOMPARE(insecure.reply->error->type, AppServerError::Type::Insecure);
        QVERIFY(insecure.reply->error->message.contains(QStringLiteral("--allow-insecure")));
    }

    // The context rule, as connect() has it: once the receiver is gone its
    // callback never runs, for answers from the network and refusals alike.
    void noAnswerAfterTheContextIsGone()
    {
        AppServerClient client(m_server.appServerUrl());
        bool called = false;
        auto context = std::make_unique<QObject>();
        client.login(QStringLiteral("alice"), kPassword, QStringLiteral("desk-test"), context.get(),
                     [&called](const AppServerReply &) { called = true; });
        context.reset();
        // The request still ends (and is released), only the callback is skipped.
        QTRY_VERIFY_WITH_TIMEOUT(client.findChildren<QNetworkReply *>().isEmpty(), 15000);
        QTest::qWait(50);
        QVERIFY(!called);

        AppServerClient remote(QUrl(QStringLiteral("http://192.0.2.1/")));
        context = std::make_unique<QObject>();
        remote.refresh(QStringLiteral("token"), context.get(),
                       [&called](const AppServerReply &) { called = true; });
        context.reset();
        QTest::qWait(50);
        QVERIFY(!called);

        // A live context gets its answer from the same client.
        QVERIFY(login(client, kPassword).ok());
    }

    void serviceKeysAndTheirContext()
    {
        ServiceKeysClient keys(m_server.appServerUrl());
        bool done = false;
        ServiceKeys fetched;
        QString error;
        keys.fetch(&m_context, [&](const ServiceKeys &k, const QString &e) {
            fetched = k;
            error = e;
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done, 15000);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(fetched.payloadKeyPem.startsWith("-----BEGIN PUBLIC KEY-----"));
        QCOMPARE(fetched.vapidKey.size(), 65);
        QCOMPARE(fetched.pushDataKey.size(), 65);

        bool called = false;
        auto context = std::make_unique<QObject>();
        keys.fetch(context.get(),
                   [&called](const ServiceKeys &, const QString &) { called = true; });
        context.reset();
        QTRY_VERIFY_WITH_TIMEOUT(keys.findChildren<QNetworkReply *>().isEmpty(), 15000);
        QTest::qWait(50);
        QVERIFY(!called);

        ServiceKeysClient nowhere(QUrl(QStringLiteral("http://127.0.0.1:9")));
        done = false;
        nowhere.fetch(&m_context, [&](const ServiceKeys &, const QString &e) {
            error = e;
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done, 15000);
        QVERIFY(error.startsWith(QStringLiteral("GET /v1/keys failed")));
    }
};

QTEST_GUILESS_MAIN(TestAppServerClient)

#include "tst_appserverclient.moc"
