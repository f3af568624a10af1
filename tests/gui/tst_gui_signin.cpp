// Sign-in as the user meets it: clear errors (wrong password, unreachable
// server, untrusted certificate, plain http:// to another host), "remember
// me" keeping the refresh credential in the real keychain (gnome-keyring) and
// never in the settings file, a restart that signs in without asking, and
// sign-out forgetting it.
#include "GuiTestSupport.h"
#include "keychain/InProcessKeychain.h"
#include "softphone/SoftphoneApp.h"
#include "storage/CredentialStore.h"
#include "storage/Database.h"
#include "storage/Settings.h"
#include "support/LoopbackAlias.h"
#include "support/ServerProcess.h"
#include "ui/MainWindow.h"
#include "ui/SignInPage.h"

#include <QApplication>
#include <QCheckBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace softphone;

class TestGuiSignIn : public QObject
{
    Q_OBJECT

private:
    test::ServerProcess m_server;

    static QString keychainSecret(const QString &server, const QString &user,
                                  storage::CredentialResult::Status *status)
    {
        keychain::InProcessKeychain keychain;
        storage::CredentialStore store(keychain);
        bool done = false;
        QString secret;
        store.read(server, user, &store, [&](const storage::CredentialResult &r) {
            secret = r.secret;
            *status = r.status;
            done = true;
        });
        if (!QTest::qWaitFor([&] { return done; }, 10000))
            *status = storage::CredentialResult::Status::Failed;
        return secret;
    }
    static QString message(app::SoftphoneApp &app)
    {
        return app.mainWindow()->findChild<QLabel *>(QStringLiteral("signInMessage"))->text();
    }
    static void typeSignIn(app::SoftphoneApp &app, const QString &server, const QString &user,
                           const QString &password, bool remember)
    {
        ui::MainWindow *w = app.mainWindow();
        auto *serverEdit = w->findChild<QLineEdit *>(QStringLiteral("serverEdit"));
        serverEdit->clear();
        QTest::keyClicks(serverEdit, server);
        auto *userEdit = w->findChild<QLineEdit *>(QStringLiteral("userEdit"));
        userEdit->clear();
        QTest::keyClicks(userEdit, user);
        auto *remember_ = w->findChild<QCheckBox *>(QStringLiteral("rememberCheck"));
        if (remember_->isChecked() != remember)
            QTest::keyClick(remember_, Qt::Key_Space);
        auto *passwordEdit = w->findChild<QLineEdit *>(QStringLiteral("passwordEdit"));
        passwordEdit->clear();
        QTest::keyClicks(passwordEdit, password);
        QTest::keyClick(passwordEdit, Qt::Key_Return);
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        QVERIFY(m_server.addUser(QStringLiteral("alice"), QStringLiteral("correct horse 42")));
    }

    void wrongPasswordAndUnreachableServerAreClear()
    {
        app::SoftphoneApp app{app::AppOptions{}};
        QVERIFY(app.start());
        QSignalSpy failed(&app, &app::SoftphoneApp::signInFailed);
        typeSignIn(app, m_server.appServerUrl().toString(), QStringLiteral("alice"),
                   QStringLiteral("wrong"), false);
        QVERIFY(failed.wait(15000));
        QVERIFY2(message(app).startsWith(QStringLiteral("Wrong user name or password.")),
                 qPrintable(message(app)));
        QVERIFY(!app.mainWindow()->isShowingMain());
        // The user name survives the error; the password field has focus for another try.
        QCOMPARE(app.mainWindow()->findChild<QLineEdit *>(QStringLiteral("userEdit"))->text(),
                 QStringLiteral("alice"));

        // A port nobody listens on (the server's own, after it is gone, would be racy).
        typeSignIn(app, QStringLiteral("http://127.0.0.1:9"), QStringLiteral("alice"),
                   QStringLiteral("x"), false);
        QVERIFY(failed.wait(20000));
        QVERIFY2(message(app).startsWith(QStringLiteral("Cannot reach the server")),
                 qPrintable(message(app)));

        typeSignIn(app, QStringLiteral("not a server"), QStringLiteral("alice"),
                   QStringLiteral("x"), false);
        QVERIFY2(message(app).startsWith(QStringLiteral("The server address is not valid")),
                 qPrintable(message(app)));
    }

    // A service of several nodes typed as a list: the first does not answer, the
    // sign-in goes on at the next one without a word to the user.
    void severalAddressesSignInAtOneThatAnswers()
    {
        app::SoftphoneApp app{app::AppOptions{}};
        QVERIFY(app.start());
        QSignalSpy signedIn(&app, &app::SoftphoneApp::signedIn);
        typeSignIn(app, QStringLiteral("http://127.0.0.1:9, ") + m_server.appServerUrl().toString(),
                   QStringLiteral("alice"), QStringLiteral("correct horse 42"), false);
        QVERIFY2(signedIn.wait(20000), qPrintable(message(app)));
        QVERIFY(app.mainWindow()->isShowingMain());
    }

    // http:// to another machine (a name for loopback that is not "localhost"):
    // refused before anything is sent, and the window says why.
    void plainHttpToAnotherHostIsRefused()
    {
        const QString alias = test::loopbackAlias();
        if (alias.isEmpty())
            QSKIP("no name other than localhost points at 127.0.0.1 in /etc/hosts");
        QUrl url = m_server.appServerUrl();
        url.setHost(alias);
        app::SoftphoneApp app{app::AppOptions{}};
        QVERIFY(app.start());
        QSignalSpy failed(&app, &app::SoftphoneApp::signInFailed);
        QSignalSpy signedIn(&app, &app::SoftphoneApp::signedIn);
        typeSignIn(app, url.toString(), QStringLiteral("alice"), QStringLiteral("correct horse 42"),
                   false);
        QVERIFY(failed.wait(15000));
        QCOMPARE(signedIn.count(), 0);
        QVERIFY2(message(app).startsWith(QStringLiteral(
                     "The connection to this server would not be encrypted (http://)")) &&
                     message(app).contains(QStringLiteral("--allow-insecure")),
                 qPrintable(message(app)));
        QVERIFY(!app.mainWindow()->isShowingMain());
    }

    void untrustedCertificateIsClear()
    {
        QTemporaryDir dir;
        const QString cert = dir.filePath(QStringLiteral("cert.pem")),
                      key = dir.filePath(QStringLiteral("key.pem"));
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"),
                      {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                       QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                       QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                       QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert,
                       QStringLiteral("-days"), QStringLiteral("1"), QStringLiteral("-subj"),
                       QStringLiteral("/CN=127.0.0.1")});
        QVERIFY(openssl.waitForFinished(30000) && openssl.exitCode() == 0);
        test::ServerProcess tlsServer(
            {QStringLiteral("--tls-cert"), cert, QStringLiteral("--tls-key"), key});
        if (!tlsServer.start())
            QSKIP(qPrintable(QStringLiteral("the server does not start with TLS yet: ") +
                             tlsServer.lastError()));
        QCOMPARE(tlsServer.appServerUrl().scheme(), QStringLiteral("https"));

        app::SoftphoneApp app{app::AppOptions{}};
        QVERIFY(app.start());
        QSignalSpy failed(&app, &app::SoftphoneApp::signInFailed);
        typeSignIn(app, tlsServer.appServerUrl().toString(), QStringLiteral("alice"),
                   QStringLiteral("x"), false);
        QVERIFY(failed.wait(20000));
        QVERIFY2(message(app).startsWith(QStringLiteral("The server's certificate is not trusted")),
                 qPrintable(message(app)));
    }

    void rememberedSignInSurvivesARestartAndNoSecretIsInFiles()
    {
        const QString server = m_server.appServerUrl().toString();
        QString firstSecret;
        QString settingsFile;
        {
            app::SoftphoneApp app{app::AppOptions{}};
            QVERIFY(app.start());
            QSignalSpy signedIn(&app, &app::SoftphoneApp::signedIn);
            typeSignIn(app, server, QStringLiteral("alice"), QStringLiteral("correct horse 42"),
                       true);
            QVERIFY(signedIn.wait(15000));
            QVERIFY(app.mainWindow()->isShowingMain());
            settingsFile = app.settings()->fileName();
            storage::CredentialResult::Status status;
            firstSecret = keychainSecret(server, QStringLiteral("alice"), &status);
            QCOMPARE(status, storage::CredentialResult::Status::Ok);
            QVERIFY(firstSecret.size() >= 16);
        } // the app quits

        QFile file(settingsFile);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(settingsFile));
        const QByteArray settings = file.readAll();
        QVERIFY(settings.contains("alice")); // the right file: it names the account
        QVERIFY2(!settings.contains(firstSecret.toUtf8()), "refresh token in the settings file");
        QVERIFY2(!settings.contains("correct horse 42"), "password in the settings file");
        QFile db(storage::Database::defaultPath());
        QVERIFY(db.open(QIODevice::ReadOnly));
        const QByteArray dbBytes = db.readAll();
        QVERIFY(!dbBytes.contains(firstSecret.toUtf8()) && !dbBytes.contains("correct horse 42"));

        // Restart: a new app object, same HOME, nobody types anything.
        app::SoftphoneApp again{app::AppOptions{}};
        QSignalSpy signedIn(&again, &app::SoftphoneApp::signedIn);
        QVERIFY(again.start());
        QVERIFY(signedIn.wait(15000));
        QVERIFY(again.mainWindow()->isShowingMain());
        QTRY_COMPARE_WITH_TIMEOUT(again.client()->connectionState(),
                                  client::SoftphoneClient::ConnectionState::Connected, 15000);
        // The refresh token rotated; the keychain holds the new one, the file still none.
        storage::CredentialResult::Status status;
        const QString rotated = keychainSecret(server, QStringLiteral("alice"), &status);
        QCOMPARE(status, storage::CredentialResult::Status::Ok);
        QVERIFY(rotated != firstSecret);
        again.settings()->sync();
        QFile after(settingsFile);
        QVERIFY(after.open(QIODevice::ReadOnly));
        QVERIFY(!after.readAll().contains(rotated.toUtf8()));

        // Sign out: the keychain forgets, the next start asks again.
        QSignalSpy signedOut(&again, &app::SoftphoneApp::signedOut);
        again.mainWindow()->findChild<QPushButton *>(QStringLiteral("signOutButton"))->click();
        QCOMPARE(signedOut.size(), 1);
        QVERIFY(!again.mainWindow()->isShowingMain());
        QTRY_VERIFY_WITH_TIMEOUT((keychainSecret(server, QStringLiteral("alice"), &status),
                                  status == storage::CredentialResult::Status::NotFound),
                                 10000);
    }

    void staleCredentialAsksForThePassword()
    {
        const QString server = m_server.appServerUrl().toString();
        // A remembered account whose token the server no longer knows.
        {
            keychain::InProcessKeychain keychain;
            storage::CredentialStore store(keychain);
            bool done = false;
            store.write(server, QStringLiteral("alice"), QStringLiteral("revoked-token-value-123"),
                        &store, [&](const storage::CredentialResult &) { done = true; });
            QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
            storage::Settings settings;
            settings.setValue(storage::Settings::Key::ServerUrl, server);
            settings.setValue(storage::Settings::Key::UserName, QStringLiteral("alice"));
            settings.setValue(storage::Settings::Key::RememberMe, true);
        }
        app::SoftphoneApp app{app::AppOptions{}};
        QSignalSpy failed(&app, &app::SoftphoneApp::signInFailed);
        QVERIFY(app.start());
        QVERIFY(failed.wait(15000));
        QVERIFY(!app.mainWindow()->isShowingMain());
        QVERIFY2(message(app).contains(QStringLiteral("Enter your password")),
                 qPrintable(message(app)));
        storage::CredentialResult::Status status;
        QTRY_VERIFY_WITH_TIMEOUT((keychainSecret(server, QStringLiteral("alice"), &status),
                                  status == storage::CredentialResult::Status::NotFound),
                                 10000);
    }
};

SOFTPHONE_GUI_TEST_MAIN(TestGuiSignIn)

#include "tst_gui_signin.moc"
