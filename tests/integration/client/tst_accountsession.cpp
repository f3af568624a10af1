// AccountSession against a real softphone-server and the real keychain
// (gnome-keyring under tests/desktop-session): a session stays signed in by
// refreshing before its access token expires, the softphone and the tray agent
// sharing one keychain entry both stay signed in although each use rotates the
// token, sign-out forgets the account here, in the keychain and at the server,
// and a server that is down is reported and the session comes back with it.

#include "client/AccountSession.h"
#include "keychain/InProcessKeychain.h"
#include "storage/CredentialStore.h"
#include "storage/Settings.h"
#include "support/ServerProcess.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace softphone;
using client::AccountSession;
using client::AppServerError;
using softphone::test::ServerProcess;
using storage::CredentialResult;

namespace {

const QString kUser = QStringLiteral("alice");
const QString kPassword = QStringLiteral("alice-correct-horse-battery");
constexpr int kWaitMs = 20000;
// Short enough that a refresh is seen within the test, long enough for a loaded machine.
constexpr int kLifetimeSeconds = 10;

// The access token's expiry (its "exp" claim), in seconds since the epoch.
qint64 expiryOf(const QString &jwt)
{
    const QList<QByteArray> parts = jwt.toLatin1().split('.');
    if (parts.size() != 3)
        return 0;
    const QByteArray payload = QByteArray::fromBase64(parts[1], QByteArray::Base64UrlEncoding);
    return QJsonDocument::fromJson(payload).object().value(QLatin1String("exp")).toInteger();
}

// One app's view of the account (the softphone's or the tray agent's): its own
// settings file, the shared keychain entry.
struct App
{
    std::unique_ptr<storage::Settings> settings;
    std::unique_ptr<AccountSession> session;
    std::unique_ptr<QSignalSpy> signedIn, refreshed, signedOut, failed, unreachable, noSaved;
};

} // namespace

class TestAccountSession : public QObject
{
    Q_OBJECT

private:
    ServerProcess m_server;
    QTemporaryDir m_dir;
    // The tests' own keychain service, so they never touch a real sign-in.
    keychain::InProcessKeychain m_keychainJobs;
    storage::CredentialStore m_keychain{m_keychainJobs,
                                        QStringLiteral("softphone-test-accountsession")};
    int m_apps = 0;

    QString m_serverUrl; // of the server the current test signs in to

    QString server() const { return m_serverUrl; }

    std::unique_ptr<App> makeApp(std::chrono::milliseconds retryDelay = std::chrono::seconds(30))
    {
        auto app = std::make_unique<App>();
        app->settings = std::make_unique<storage::Settings>(
            m_dir.filePath(QStringLiteral("app%1.conf").arg(++m_apps)));
        AccountSession::Options options;
        options.keychain = &m_keychain;
        options.settings = app->settings.get();
        options.retryDelay = retryDelay;
        app->session = std::make_unique<AccountSession>(options);
        AccountSession *s = app->session.get();
        app->signedIn = std::make_unique<QSignalSpy>(s, &AccountSession::signedIn);
        app->refreshed = std::make_unique<QSignalSpy>(s, &AccountSession::refreshed);
        app->signedOut = std::make_unique<QSignalSpy>(s, &AccountSession::signedOut);
        app->failed = std::make_unique<QSignalSpy>(s, &AccountSession::signInFailed);
        app->unreachable = std::make_unique<QSignalSpy>(s, &AccountSession::unreachable);
        app->noSaved = std::make_unique<QSignalSpy>(s, &AccountSession::noSavedSignIn);
        return app;
    }

    std::unique_ptr<App> signedInApp()
    {
        auto app = makeApp();
        app->session->signIn(server(), kUser, kPassword, true);
        if (!app->signedIn->wait(kWaitMs))
            return nullptr;
        return app;
    }

    // The other app of the user, continuing the saved sign-in.
    std::unique_ptr<App> resumedApp()
    {
        auto app = makeApp();
        app->session->resume(server(), kUser);
        if (!app->signedIn->wait(kWaitMs))
            return nullptr;
        return app;
    }

    CredentialResult keychainEntry(const QString &user = kUser)
    {
        CredentialResult result;
        bool done = false;
        m_keychain.read(server(), user, this, [&](const CredentialResult &r) {
            result = r;
            done = true;
        });
        QTest::qWaitFor([&] { return done; }, 10000);
        return result;
    }

    // What the server says about a refresh token (it rotates it if valid).
    bool serverAccepts(const QString &refreshToken)
    {
        QUrl url = m_server.appServerUrl();
        url.setPath(QStringLiteral("/v1/token"));
        return m_server.http().postJson(url, {{"refreshToken", refreshToken}}).status == 200;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        QVERIFY(m_server.addUser(kUser, kPassword));
        QVERIFY(m_server.addUser(QStringLiteral("bob"), kPassword));
    }

    void init() { m_serverUrl = m_server.appServerUrl().toString(); }

    void cleanup()
    {
        for (const QString &user : {kUser, QStringLiteral("bob")}) {
            bool done = false;
            m_keychain.remove(server(), user, this, [&](const CredentialResult &) { done = true; });
            QTest::qWaitFor([&] { return done; }, 10000);
        }
    }

    void signInKeepsTheAccountAndRefreshesBeforeExpiry()
    {
        // A server of its own, whose access tokens live only a few seconds.
        ServerProcess shortLived(
            {QStringLiteral("--set"),
             QStringLiteral("appserver.access_token_lifetime=%1").arg(kLifetimeSeconds)});
        QVERIFY2(shortLived.start(), qPrintable(shortLived.lastError()));
        QVERIFY(shortLived.addUser(kUser, kPassword));
        m_serverUrl = shortLived.appServerUrl().toString();
        auto app = signedInApp();
        QVERIFY(app);
        AccountSession &session = *app->session;
        QVERIFY(session.isSignedIn());
        QCOMPARE(session.user(), kUser);
        const client::LoginResult first =
            app->signedIn->first().first().value<client::LoginResult>();
        QCOMPARE(first.expiresInSeconds, kLifetimeSeconds);
        // "Remember me": the keychain holds the refresh token, the settings the account.
        QCOMPARE(keychainEntry().secret, first.refreshToken);
        QCOMPARE(app->settings->string(storage::Settings::Key::ServerUrl), server());
        QCOMPARE(app->settings->string(storage::Settings::Key::UserName), kUser);
        QVERIFY(app->settings->flag(storage::Settings::Key::RememberMe));
        QVERIFY(app->settings->string(storage::Settings::Key::DeviceId).startsWith("desk-"));

        // Nobody asks: a new access token comes while the first one is still valid.
        const qint64 expiry = expiryOf(first.accessToken);
        QVERIFY(expiry > 0);
        QVERIFY(app->refreshed->wait(kLifetimeSeconds * 1000 + kWaitMs));
        QVERIFY2(QDateTime::currentSecsSinceEpoch() < expiry,
                 "the access token expired before the session refreshed it");
        const client::LoginResult second =
            app->refreshed->first().first().value<client::LoginResult>();
        QVERIFY(second.accessToken != first.accessToken);
        QCOMPARE(session.login().accessToken, second.accessToken);
        // The rotated refresh token is what the keychain holds now.
        QCOMPARE(keychainEntry().secret, second.refreshToken);
        QCOMPARE(app->signedOut->count(), 0);
    }

    // The softphone and the tray agent share the entry; each refresh rotates the
    // token, so the other one's is refused, and it takes the keychain's newer one.
    void bothAppsStaySignedInWhileTheTokenRotates()
    {
        auto softphone = signedInApp();
        QVERIFY(softphone);
        auto tray = resumedApp(); // rotated the softphone's token
        QVERIFY(tray);

        softphone->session->refreshNow();
        QVERIFY(softphone->refreshed->wait(kWaitMs));
        tray->session->refreshNow();
        QVERIFY(tray->refreshed->wait(kWaitMs));
        QVERIFY(softphone->session->isSignedIn() && tray->session->isSignedIn());
        QCOMPARE(softphone->signedOut->count() + tray->signedOut->count(), 0);
        QCOMPARE(keychainEntry().secret, tray->session->login().refreshToken);
    }

    void signOutForgetsTheAccountEverywhere()
    {
        auto app = signedInApp();
        QVERIFY(app);
        const QString token = app->session->login().refreshToken;
        app->session->signOut();
        QCOMPARE(app->signedOut->count(), 1);
        QCOMPARE(app->signedOut->first().first().value<AccountSession::SignOutCause>(),
                 AccountSession::SignOutCause::User);
        QVERIFY(!app->session->isSignedIn());
        QVERIFY(!app->settings->flag(storage::Settings::Key::RememberMe));
        QTRY_COMPARE_WITH_TIMEOUT(keychainEntry().status, CredentialResult::Status::NotFound,
                                  10000);
        QTRY_VERIFY_WITH_TIMEOUT(!serverAccepts(token), 10000);

        // Nothing left to continue with.
        auto again = makeApp();
        again->session->resume(server(), kUser);
        QVERIFY(again->noSaved->wait(kWaitMs));
        QCOMPARE(again->noSaved->first().first().toString(), QString());
        QCOMPARE(again->signedIn->count(), 0);
    }

    // The other app signed out (its token revoked, the entry gone): ours is
    // refused and the keychain has nothing newer, so the session ends.
    void aRefusedTokenWithNothingNewerEndsTheSession()
    {
        auto softphone = signedInApp();
        QVERIFY(softphone);
        auto tray = resumedApp();
        QVERIFY(tray);
        const QString trayToken = tray->session->login().refreshToken;
        tray->session->signOut();
        // Its sign-out is done: the entry is gone and the server forgot its token.
        QTRY_COMPARE_WITH_TIMEOUT(keychainEntry().status, CredentialResult::Status::NotFound,
                                  10000);
        QTRY_VERIFY_WITH_TIMEOUT(!serverAccepts(trayToken), 10000);

        softphone->session->refreshNow();
        QVERIFY(softphone->signedOut->wait(kWaitMs));
        QCOMPARE(softphone->signedOut->first().first().value<AccountSession::SignOutCause>(),
                 AccountSession::SignOutCause::Expired);
        QVERIFY(!softphone->session->isSignedIn());
        QCOMPARE(softphone->refreshed->count(), 0);

        // A saved token the server no longer knows: the sign-in fails and says so.
        bool written = false;
        m_keychain.write(server(), kUser, QStringLiteral("revoked-token-value-123"), this,
                         [&](const CredentialResult &) { written = true; });
        QTRY_VERIFY_WITH_TIMEOUT(written, 10000);
        auto stale = makeApp();
        stale->session->resume(server(), kUser);
        QVERIFY(stale->failed->wait(kWaitMs));
        QCOMPARE(stale->failed->first().first().value<AppServerError>().type,
                 AppServerError::Type::BadRefreshToken);
        QTRY_COMPARE_WITH_TIMEOUT(keychainEntry().status, CredentialResult::Status::NotFound,
                                  10000);
    }

    void wrongPasswordFails()
    {
        auto app = makeApp();
        app->session->signIn(server(), kUser, QStringLiteral("wrong"), true);
        QVERIFY(app->failed->wait(kWaitMs));
        QCOMPARE(app->failed->first().first().value<AppServerError>().type,
                 AppServerError::Type::BadCredentials);
        QVERIFY(!app->session->isSignedIn());
        QCOMPARE(keychainEntry().status, CredentialResult::Status::NotFound);
    }

    // Last: it stops the server. While it is down the session is kept and says
    // so; when it is back the session goes on, and a saved sign-in that could
    // not be continued at start is signed in then.
    void unreachableServerAndItsReturn()
    {
        auto app = makeApp(std::chrono::milliseconds(500));
        app->session->signIn(server(), kUser, kPassword, true);
        QVERIFY(app->signedIn->wait(kWaitMs));
        // Bob signed in with "remember me" in an earlier run.
        {
            auto earlier = makeApp();
            earlier->session->signIn(server(), QStringLiteral("bob"), kPassword, true);
            QVERIFY(earlier->signedIn->wait(kWaitMs));
        }
        auto later = makeApp(std::chrono::milliseconds(500));

        m_server.stop();
        app->session->refreshNow();
        QVERIFY(app->unreachable->wait(kWaitMs));
        QCOMPARE(app->unreachable->first().first().value<AppServerError>().type,
                 AppServerError::Type::Unreachable);
        QVERIFY(app->session->isSignedIn());
        QCOMPARE(app->signedOut->count(), 0);

        // A start while the server is down: reported, not signed in, not given up.
        later->session->resume(server(), QStringLiteral("bob"));
        QVERIFY(later->unreachable->wait(kWaitMs));
        QVERIFY(!later->session->isSignedIn());
        QCOMPARE(later->failed->count() + later->noSaved->count(), 0);

        QVERIFY2(m_server.restart(), qPrintable(m_server.lastError()));
        QVERIFY(app->refreshed->wait(kWaitMs) || app->refreshed->count() > 0);
        QTRY_VERIFY_WITH_TIMEOUT(later->signedIn->count() == 1, kWaitMs);
        QVERIFY(app->session->isSignedIn() && later->session->isSignedIn());
        QCOMPARE(app->signedOut->count() + later->signedOut->count(), 0);
    }
};

QTEST_GUILESS_MAIN(TestAccountSession)

#include "tst_accountsession.moc"
