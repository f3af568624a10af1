// Light and dark as the user sees them, on a screen at twice the pixel density
// (QT_SCALE_FACTOR=2, as a HiDPI laptop): alice signed in with "Dark" chosen,
// the grabbed main window has a dark background and text that reads on it
// (WCAG contrast measured on the image's pixels); choosing "Light" in
// Settings turns it light at once. --style takes system, light or dark only.
// The icons are drawn at the screen's pixels (not a small picture scaled up:
// no blur) and the symbolic ones take the palette's text colour.
#include "GuiTestSupport.h"
#include "softphone/AppOptions.h"
#include "softphone/SoftphoneApp.h"
#include "storage/Settings.h"
#include "support/ServerProcess.h"
#include "ui/Avatar.h"
#include "ui/MainWindow.h"
#include "ui/Theme.h"

#include <QComboBox>
#include <QPushButton>
#include <QTabWidget>
#include <QTest>

using namespace softphone;
using storage::Settings;
namespace theme = softphone::ui::theme;

namespace {

// Pixels that read as text on `behind`: WCAG contrast of at least 4.5.
int readablePixels(const QImage &image, const QColor &behind)
{
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    int count = 0;
    for (int y = 0; y < rgb.height(); ++y) {
        const auto *line = reinterpret_cast<const QRgb *>(rgb.constScanLine(y));
        for (int x = 0; x < rgb.width(); ++x)
            count += theme::contrast(QColor::fromRgb(line[x]), behind) >= 4.5 ? 1 : 0;
    }
    return count;
}

// Pixels between transparent and opaque: the width of the drawing's edges.
int partlyCovered(const QImage &image)
{
    const QImage argb = image.convertToFormat(QImage::Format_ARGB32);
    int count = 0;
    for (int y = 0; y < argb.height(); ++y) {
        for (int x = 0; x < argb.width(); ++x) {
            const int alpha = qAlpha(argb.pixel(x, y));
            count += alpha > 16 && alpha < 239 ? 1 : 0;
        }
    }
    return count;
}

} // namespace

class TestGuiTheme : public QObject
{
    Q_OBJECT

private:
    test::ServerProcess m_server;
    std::unique_ptr<app::SoftphoneApp> m_app;

    ui::MainWindow *window() const { return m_app->mainWindow(); }
    QImage grabWindow() const
    {
        QApplication::processEvents();
        return window()->grab().toImage();
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        QVERIFY(m_server.addUser(QStringLiteral("alice"), QStringLiteral("alice-pw-1")));
        const QString failed = test::startSignedIn(
            m_server, QStringLiteral("alice"), &m_app, [](app::SoftphoneApp &a) {
                a.settings()->setValue(Settings::Key::Style, QStringLiteral("dark"));
            });
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        QVERIFY(QTest::qWaitForWindowExposed(window()));
        window()->showTab(ui::MainWindow::Tab::Dialer);
    }

    void styleOptionTakesThreeWords()
    {
        QString error;
        const auto dark = app::AppOptions::parse(
            {QStringLiteral("softphone"), QStringLiteral("--style"), QStringLiteral("Dark")},
            &error);
        QVERIFY2(dark, qPrintable(error));
        QCOMPARE(dark->style, QStringLiteral("dark"));
        QVERIFY(!app::AppOptions::parse(
            {QStringLiteral("softphone"), QStringLiteral("--style"), QStringLiteral("blue")},
            &error));
        QVERIFY2(error.contains(QStringLiteral("system, light or dark")), qPrintable(error));
    }

    void darkWindowWithReadableText()
    {
        QCOMPARE(theme::current(), theme::Scheme::Dark);
        QCOMPARE(window()->devicePixelRatioF(), 2.0);
        const QImage dark = grabWindow();
        QCOMPARE(dark.size(), window()->size() * 2); // drawn at the screen's pixels
        const QColor behind = test::dominantColour(dark);
        QVERIFY2(behind.lightness() < 100, qPrintable(behind.name()));
        // The palette's text reads on it, and the window does show such text.
        const QColor text = window()->palette().color(QPalette::WindowText);
        QVERIFY2(theme::contrast(text, behind) >= 7,
                 qPrintable(QStringLiteral("%1 on %2").arg(text.name(), behind.name())));
        const int readable = readablePixels(dark, behind);
        QVERIFY2(readable > 2000, qPrintable(QString::number(readable)));
        const QString shot = test::screenshot(window(), QStringLiteral("theme-dark"));
        QVERIFY2(shot.isEmpty(), qPrintable(shot));
    }

    void lightChosenInSettingsTurnsLight()
    {
        window()->showTab(ui::MainWindow::Tab::Settings);
        auto *box = window()->findChild<QComboBox *>(QStringLiteral("styleBox"));
        QVERIFY(box);
        QCOMPARE(box->currentData().toString(), QStringLiteral("dark"));
        const int light = box->findData(QStringLiteral("light"));
        box->setCurrentIndex(light);
        emit box->activated(light);
        QCOMPARE(m_app->settings()->string(Settings::Key::Style), QStringLiteral("light"));
        QCOMPARE(theme::current(), theme::Scheme::Light);
        window()->showTab(ui::MainWindow::Tab::Dialer);
        const QImage image = grabWindow();
        const QColor behind = test::dominantColour(image);
        QVERIFY2(behind.lightness() > 200, qPrintable(behind.name()));
        const int readable = readablePixels(image, behind);
        QVERIFY2(readable > 2000, qPrintable(QString::number(readable)));
        // Back to dark for what follows.
        window()->showTab(ui::MainWindow::Tab::Settings);
        const int dark = box->findData(QStringLiteral("dark"));
        box->setCurrentIndex(dark);
        emit box->activated(dark);
        QCOMPARE(theme::current(), theme::Scheme::Dark);
        window()->showTab(ui::MainWindow::Tab::Dialer);
    }

    void iconsAreSharpAt2xAndFollowThePalette()
    {
        const qreal ratio = window()->devicePixelRatioF();
        auto *call = window()->findChild<QPushButton *>(QStringLiteral("callButton"));
        QVERIFY(call);
        const QIcon icon = call->icon();
        const QImage sharp = icon.pixmap(QSize(24, 24), ratio).toImage();
        QCOMPARE(sharp.size(), QSize(48, 48));
        // A 24 px picture scaled up has edges twice as wide: blur.
        const QImage blurred = icon.pixmap(QSize(24, 24), 1.0)
                                   .toImage()
                                   .scaled(48, 48, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        QVERIFY2(partlyCovered(sharp) * 4 < partlyCovered(blurred) * 3,
                 qPrintable(QStringLiteral("edge pixels: drawn at 2x %1, scaled up %2")
                                .arg(partlyCovered(sharp))
                                .arg(partlyCovered(blurred))));
        // The avatar too.
        const QImage face = ui::avatar::icon(QStringLiteral("bob"), QString(), 24)
                                .pixmap(QSize(24, 24), ratio)
                                .toImage();
        QCOMPARE(face.size(), QSize(48, 48));

        // The symbolic mute icon is in the palette's text colour: light on dark.
        const QIcon mute = theme::svgIcon(QStringLiteral(":/ui/mute.svg"), true);
        auto opaqueColour = [&mute] {
            const QImage image = mute.pixmap(QSize(24, 24), 2.0).toImage();
            for (int y = 0; y < image.height(); ++y)
                for (int x = 0; x < image.width(); ++x)
                    if (qAlpha(image.pixel(x, y)) == 255)
                        return QColor::fromRgb(image.pixel(x, y));
            return QColor();
        };
        QCOMPARE(opaqueColour(), QGuiApplication::palette().color(QPalette::WindowText));
        QVERIFY(opaqueColour().lightness() > 180);
        theme::apply(theme::Scheme::Light);
        QVERIFY(opaqueColour().lightness() < 80);
        theme::apply(theme::Scheme::Dark);
    }

    void cleanupTestCase() { m_app.reset(); }
};

int main(int argc, char **argv)
{
    // Before QApplication: every window at twice the pixels, as on a HiDPI screen.
    qputenv("QT_SCALE_FACTOR", "2");
    return softphone::test::runGuiTest<TestGuiTheme>(argc, argv);
}

#include "tst_gui_theme.moc"
