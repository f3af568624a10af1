// "As the desktop" follows the desktop's light or dark preference, as GNOME
// users switch it: the real xdg-desktop-portal with its GTK backend on a
// private session bus (test::DesktopPortal), the preference set with
// gsettings. The softphone starts dark when the desktop prefers dark, turns
// light and dark again at once when the desktop switches; a scheme chosen in
// Settings or with --style still wins over the desktop's.
#include "GuiTestSupport.h"
#include "softphone/SoftphoneApp.h"
#include "storage/Settings.h"
#include "support/DesktopPortal.h"
#include "ui/MainWindow.h"
#include "ui/Theme.h"

#include <QTest>

using namespace softphone;
using storage::Settings;
namespace theme = softphone::ui::theme;

namespace {
test::DesktopPortal *g_portal = nullptr; // made in main(), before QApplication

bool windowIsDark(app::SoftphoneApp &app)
{
    QApplication::processEvents();
    return test::dominantColour(app.mainWindow()->grab().toImage()).lightness() < 100;
}
bool windowIsLight(app::SoftphoneApp &app)
{
    QApplication::processEvents();
    return test::dominantColour(app.mainWindow()->grab().toImage()).lightness() > 200;
}
} // namespace

class TestGuiDesktopScheme : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<app::SoftphoneApp> m_app;

    // A softphone on its sign-in page (no account: the scheme needs none).
    void startApp(const QString &style, const QString &chosen)
    {
        m_app.reset();
        app::AppOptions options;
        options.style = style;
        m_app = std::make_unique<app::SoftphoneApp>(options);
        m_app->settings()->setValue(Settings::Key::Style, chosen);
        QVERIFY2(m_app->start(), qPrintable(m_app->lastError()));
        QVERIFY(QTest::qWaitForWindowExposed(m_app->mainWindow()));
    }
    void switchDesktop(const QString &scheme)
    {
        QString why;
        QVERIFY2(g_portal->setColourScheme(scheme, &why), qPrintable(why));
        QApplication::processEvents(); // the app's slot, from the same message
    }

private slots:
    void initTestCase()
    {
        const QString missing = test::DesktopPortal::missingPrograms();
        QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("not installed: ") + missing));
        QString why;
        QVERIFY2(g_portal->startPortal(QStringLiteral("prefer-dark"), &why), qPrintable(why));
    }

    void startsDarkWhenTheDesktopPrefersDark()
    {
        startApp({}, QStringLiteral("system"));
        QTRY_VERIFY_WITH_TIMEOUT(theme::isDark(QGuiApplication::palette()), 10000);
        QCOMPARE(theme::current(), theme::Scheme::System);
        QVERIFY(windowIsDark(*m_app));
    }

    void followsTheDesktopWhenItSwitches()
    {
        switchDesktop(QStringLiteral("default"));
        QTRY_VERIFY_WITH_TIMEOUT(windowIsLight(*m_app), 5000);
        switchDesktop(QStringLiteral("prefer-dark"));
        QTRY_VERIFY_WITH_TIMEOUT(windowIsDark(*m_app), 5000);
    }

    void aChosenSchemeWins()
    {
        // "Light" chosen in Settings: the dark desktop does not change it.
        startApp({}, QStringLiteral("light"));
        QCOMPARE(theme::current(), theme::Scheme::Light);
        switchDesktop(QStringLiteral("default"));
        switchDesktop(QStringLiteral("prefer-dark"));
        QVERIFY(windowIsLight(*m_app));
        // --style light over "As the desktop" in Settings.
        startApp(QStringLiteral("light"), QStringLiteral("system"));
        switchDesktop(QStringLiteral("default"));
        switchDesktop(QStringLiteral("prefer-dark"));
        QVERIFY(windowIsLight(*m_app));
        QCOMPARE(theme::current(), theme::Scheme::Light);
    }

    void cleanupTestCase() { m_app.reset(); }
};

int main(int argc, char **argv)
{
    // The private bus becomes this process's session bus before anything
    // (QApplication included) connects to one.
    test::DesktopPortal portal;
    g_portal = &portal;
    QString why;
    if (!portal.startBus(&why)) {
        qCritical("%s", qPrintable(why));
        return 1;
    }
    return softphone::test::runGuiTest<TestGuiDesktopScheme>(argc, argv);
}

#include "tst_gui_desktop_scheme.moc"
