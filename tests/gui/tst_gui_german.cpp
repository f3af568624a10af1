// The softphone in German: started with LANG=de_DE.UTF-8 the window speaks
// German from the sign-in page on (the catalogue resources/translations/
// softphone_de.ts is compiled by the build and loaded the way main() loads
// it), through a real sign-in to the main window's sections and the Settings
// device lists, and the question before a call from a link.
#include "GuiTestSupport.h"
#include "softphone/AppTranslations.h"
#include "softphone/SoftphoneApp.h"
#include "support/ServerProcess.h"
#include "ui/LinkCallDialog.h"
#include "ui/MainWindow.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>

using namespace softphone;

class TestGuiGerman : public QObject
{
    Q_OBJECT

private:
    test::ServerProcess m_server;

private slots:
    void initTestCase()
    {
        QCOMPARE(QLocale().language(), QLocale::German);
        QVERIFY2(app::installTranslations(qApp), "no German catalogue in :/i18n");
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        QVERIFY(m_server.addUser(QStringLiteral("anna"), QStringLiteral("geheim 42")));
    }

    void windowSpeaksGerman()
    {
        app::SoftphoneApp app{app::AppOptions{}};
        QVERIFY(app.start());
        ui::MainWindow *w = app.mainWindow();
        QVERIFY(QTest::qWaitForWindowExposed(w));

        // The sign-in page, as the user sees it.
        auto *signIn = w->findChild<QPushButton *>(QStringLiteral("signInButton"));
        QVERIFY(signIn && signIn->isVisible());
        QCOMPARE(signIn->text(), QStringLiteral("&Anmelden"));
        QCOMPARE(signIn->accessibleName(), QStringLiteral("Anmelden"));
        QStringList labels;
        for (const QLabel *l : w->findChildren<QLabel *>())
            if (l->isVisible())
                labels << l->text();
        QVERIFY2(labels.contains(QStringLiteral("&Passwort:")), qPrintable(labels.join(u'|')));

        // An error message is German too.
        auto *user = w->findChild<QLineEdit *>(QStringLiteral("userEdit"));
        auto *server = w->findChild<QLineEdit *>(QStringLiteral("serverEdit"));
        server->clear();
        QTest::keyClicks(server, m_server.appServerUrl().toString());
        user->clear();
        QTest::keyClick(user, Qt::Key_Return);
        QCOMPARE(w->findChild<QLabel *>(QStringLiteral("signInMessage"))->text(),
                 QStringLiteral("Geben Sie Ihren Benutzernamen ein."));

        // Signed in: the sections and the Settings page.
        QSignalSpy signedIn(&app, &app::SoftphoneApp::signedIn);
        QTest::keyClicks(user, QStringLiteral("anna"));
        auto *password = w->findChild<QLineEdit *>(QStringLiteral("passwordEdit"));
        QTest::keyClicks(password, QStringLiteral("geheim 42"));
        QTest::keyClick(password, Qt::Key_Return);
        QVERIFY(signedIn.wait(15000));
        auto *tabs = w->findChild<QTabWidget *>(QStringLiteral("mainTabs"));
        QVERIFY(tabs && tabs->isVisible());
        QStringList tabTexts;
        for (int i = 0; i < tabs->count(); ++i)
            tabTexts << tabs->tabText(i);
        QVERIFY2(tabTexts.startsWith(QStringLiteral("&Wählen")) &&
                     tabTexts.contains(QStringLiteral("&Einstellungen")) &&
                     tabTexts.contains(QStringLiteral("&Kontakte")),
                 qPrintable(tabTexts.join(u'|')));
        auto *call = w->findChild<QPushButton *>(QStringLiteral("callButton"));
        QVERIFY(call && call->isVisible());
        QCOMPARE(call->text(), QStringLiteral("&Anrufen"));

        tabs->setCurrentIndex(int(tabTexts.indexOf(QStringLiteral("&Einstellungen"))));
        auto *input = w->findChild<QComboBox *>(QStringLiteral("inputDevice"));
        QVERIFY(input && input->isVisible());
        QCOMPARE(input->itemText(0), QStringLiteral("Systemstandard"));
        // The audio checks (#16).
        QCOMPARE(w->findChild<QPushButton *>(QStringLiteral("testCallButton"))->text(),
                 QStringLiteral("Testanr&uf"));
        QCOMPARE(w->findChild<QPushButton *>(QStringLiteral("speakerTestButton"))->text(),
                 QStringLiteral("Testton a&bspielen"));
        QCOMPARE(w->findChild<QWidget *>(QStringLiteral("microphoneLevel"))->accessibleName(),
                 QStringLiteral("Mikrofonpegel"));
        const QString account = w->findChild<QLabel *>(QStringLiteral("accountLabel"))->text();
        QVERIFY2(account.startsWith(QStringLiteral("Angemeldet als anna bei ")),
                 qPrintable(account));
        QVERIFY(test::screenshot(w, QStringLiteral("settings-de")).isEmpty());
        auto *confirmLinks = w->findChild<QCheckBox *>(QStringLiteral("confirmLinksCheck"));
        QVERIFY(confirmLinks && confirmLinks->isVisible());
        QCOMPARE(confirmLinks->text(),
                 QStringLiteral("Vor Anrufen aus einem Link &fragen (softphone: oder tel:)"));

        // A link's question, in German; Esc leaves it unanswered.
        app.activate({QStringLiteral("tel:4930123")});
        ui::LinkCallDialog *dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            (dialog = w->findChild<ui::LinkCallDialog *>()) && dialog->isVisible(), 5000);
        QCOMPARE(dialog->windowTitle(), QStringLiteral("Anruf aus einem Link"));
        QVERIFY2(dialog->text().startsWith(QStringLiteral("Ein Link möchte 4930123 anrufen.")),
                 qPrintable(dialog->text()));
        QTest::keyClick(dialog, Qt::Key_Escape);
        QTRY_VERIFY_WITH_TIMEOUT(!w->findChild<ui::LinkCallDialog *>(), 5000);
    }
};

int main(int argc, char **argv)
{
    // What a German desktop session sets; nothing more specific overrides it.
    qunsetenv("LC_ALL");
    qunsetenv("LC_MESSAGES");
    qunsetenv("LANGUAGE");
    qputenv("LANG", "de_DE.UTF-8");
    return test::runGuiTest<TestGuiGerman>(argc, argv);
}

#include "tst_gui_german.moc"
