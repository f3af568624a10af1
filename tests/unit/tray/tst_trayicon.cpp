// The tray icon as the panel draws it: each state's SVG, rendered at 1x and
// 2x (drawn at the device's pixels, not scaled up), the missed-call badge in
// the top right corner, and the tooltip and menu that go with the state, in
// English and in German; the XEmbed face's menu built from it.
#include "common/Translations.h"
#include "softphone-tray/TrayIcon.h"
#include "softphone-tray/xembed/TrayIconEngine.h"
#include "softphone-tray/xembed/XEmbedTrayFace.h"

#include <QAction>
#include <QApplication>
#include <QIcon>
#include <QImage>
#include <QMenu>
#include <QtTest>

using softphone::tray::TrayIcon;
using softphone::tray::TrayIconEngine;
using softphone::tray::XEmbedTrayFace;

namespace {

QImage render(const QString &name, int missed, int side, qreal dpr)
{
    const QIcon icon(
        new TrayIconEngine(QStringLiteral(":/tray/%1.svg").arg(name), TrayIcon::badgeText(missed)));
    return icon.pixmap(QSize(side, side), dpr).toImage().convertToFormat(QImage::Format_ARGB32);
}

// Pixels on an edge (neither empty nor opaque): a sharp picture has a thin rim.
int edgePixels(const QImage &image)
{
    int count = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const int alpha = qAlpha(image.pixel(x, y));
            count += alpha > 16 && alpha < 240;
        }
    return count;
}

// Pixels close to the badge's red in a corner region.
int badgePixels(const QImage &image)
{
    int count = 0;
    const int w = image.width(), h = image.height();
    for (int y = 0; y < h / 2; ++y)
        for (int x = w / 2; x < w; ++x) {
            const QColor c = image.pixelColor(x, y);
            count += qAbs(c.red() - 0xd3) < 24 && qAbs(c.green() - 0x2f) < 24 &&
                     qAbs(c.blue() - 0x2f) < 24 && c.alpha() > 200;
        }
    return count;
}

} // namespace

class TstTrayIcon : public QObject
{
    Q_OBJECT

private slots:
    void everyStateHasItsPicture_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *name : {"online", "connecting", "offline", "dnd", "push-failed"})
            QTest::newRow(name) << QStringLiteral("softphone-tray-%1").arg(QLatin1String(name));
    }
    void everyStateHasItsPicture()
    {
        QFETCH(QString, name);
        const QImage image = render(name, 0, 22, 1.0);
        QCOMPARE(image.size(), QSize(22, 22));
        // The round badge of colour: opaque in the middle, clear in the corners.
        QCOMPARE(qAlpha(image.pixel(11, 3)), 255);
        QCOMPARE(qAlpha(image.pixel(0, 0)), 0);
    }

    void twiceTheSizeIsDrawnNotScaled()
    {
        const QImage one = render(QStringLiteral("softphone-tray-online"), 0, 22, 1.0);
        const QImage two = render(QStringLiteral("softphone-tray-online"), 0, 22, 2.0);
        QCOMPARE(two.size(), QSize(44, 44));
        // Drawn at 44 px the rim stays about as thin as at 22 px (twice the
        // length, so about twice the pixels); scaled up from 22 px it would blur
        // to about four times as many.
        const QImage scaled = one.scaled(44, 44, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        qInfo() << "edge pixels: 1x" << edgePixels(one) << "2x" << edgePixels(two) << "1x scaled up"
                << edgePixels(scaled);
        QVERIFY(edgePixels(two) < edgePixels(scaled) * 3 / 4);
    }

    void missedCallsShowABadge()
    {
        QCOMPARE(TrayIcon::badgeText(0), QString());
        QCOMPARE(TrayIcon::badgeText(3), QStringLiteral("3"));
        QCOMPARE(TrayIcon::badgeText(12), QStringLiteral("9+"));
        // The StatusNotifierItem's overlay pictures, one per text.
        QCOMPARE(TrayIcon::badgeIconName(0), QString());
        for (const int missed : {1, 9, 10}) {
            const QString name = TrayIcon::badgeIconName(missed);
            QVERIFY2(QFile::exists(QStringLiteral(":/tray/%1.svg").arg(name)), qPrintable(name));
        }
        for (const qreal dpr : {1.0, 2.0}) {
            QCOMPARE(badgePixels(render(QStringLiteral("softphone-tray-online"), 0, 22, dpr)), 0);
            const QImage badged = render(QStringLiteral("softphone-tray-online"), 3, 22, dpr);
            QVERIFY2(badgePixels(badged) > badged.width() * badged.height() / 20,
                     qPrintable(QString::number(badgePixels(badged))));
            // Only the corner: the state's colour still shows bottom left.
            const QColor state = badged.pixelColor(badged.width() / 4, badged.height() * 3 / 4);
            QVERIFY2(state.green() > state.red(), qPrintable(state.name()));
        }
    }

    void tooltipSaysWhyItIsNotOnline()
    {
        TrayIcon icon(false);
        icon.setState(TrayIcon::State::Offline,
                      QStringLiteral("The push service cannot be reached"));
        QCOMPARE(icon.iconName(), QStringLiteral("softphone-tray-offline"));
        QVERIFY2(
            icon.toolTip().contains(QStringLiteral("offline\nThe push service cannot be reached")),
            qPrintable(icon.toolTip()));
        icon.setState(TrayIcon::State::PushFailed,
                      QStringLiteral("Push registration failed: no_device"));
        QCOMPARE(icon.iconName(), QStringLiteral("softphone-tray-push-failed"));
        QVERIFY2(icon.toolTip().contains(QStringLiteral("push not working")),
                 qPrintable(icon.toolTip()));
        QVERIFY(icon.toolTip().contains(QStringLiteral("Push registration failed: no_device")));
        icon.setDoNotDisturb(true);
        QVERIFY(icon.toolTip().contains(QStringLiteral("Do not disturb is on")));
        icon.setState(TrayIcon::State::Online);
        QCOMPARE(icon.iconName(), QStringLiteral("softphone-tray-dnd"));
        QCOMPARE(icon.toolTip(), QStringLiteral("Softphone: do not disturb"));
        icon.setCounts(2, 0);
        QCOMPARE(icon.toolTip(), QStringLiteral("Softphone: do not disturb\n2 missed call(s)"));
    }

    // In a German session the agent's own catalogue (softphone-tray_de.ts,
    // compiled into :/i18n) gives the menu and the tooltip in German.
    void menuAndTooltipSpeakGerman()
    {
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        QVERIFY2(softphone::installTranslations(qApp, QStringLiteral("softphone-tray")),
                 "no German catalogue of the tray agent in :/i18n");
        auto *face = new XEmbedTrayFace;
        TrayIcon icon(false, std::unique_ptr<XEmbedTrayFace>(face));
        const QStringList german{QStringLiteral("Softphone ö&ffnen"), QStringLiteral("&Anrufen…"),
                                 QStringLiteral("&Nicht stören"),     QStringLiteral("An&melden…"),
                                 QStringLiteral("Ab&melden"),         QStringLiteral("&Beenden")};
        QStringList entries;
        for (const auto &entry : icon.view().menu)
            if (!entry.isSeparator())
                entries << entry.text;
        QCOMPARE(entries, german);
        // The XEmbed face's QMenu shows the same entries.
        QStringList shown;
        for (const QAction *action : face->menu()->actions())
            if (!action->isSeparator())
                shown << action->text();
        QCOMPARE(shown, german);
        icon.setState(TrayIcon::State::Offline);
        QCOMPARE(icon.toolTip(), QStringLiteral("Softphone: offline"));
        icon.setDoNotDisturb(true);
        icon.setState(TrayIcon::State::Online);
        icon.setCounts(1, 2);
        QCOMPARE(icon.toolTip(), QStringLiteral("Softphone: nicht stören\n1 verpasster Anruf\n"
                                                "2 ungelesene Nachrichten"));
        icon.setState(TrayIcon::State::Offline);
        QVERIFY2(
            icon.toolTip().startsWith(QStringLiteral("Softphone: offline\nNicht stören ist an")),
            qPrintable(icon.toolTip()));
    }
};

QTEST_MAIN(TstTrayIcon)
#include "tst_trayicon.moc"
