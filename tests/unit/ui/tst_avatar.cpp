// ui::avatar: the initials and the colour a user is shown with, the same on
// every screen and every run.
#include "ui/Avatar.h"

#include <QApplication>
#include <QImage>
#include <QSet>
#include <QTest>

using namespace softphone::ui;

class TstAvatar : public QObject
{
    Q_OBJECT
private slots:
    void initialsOfNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("expected");
        QTest::newRow("one word") << "alice"
                                  << "A";
        QTest::newRow("two words") << "Ada Lovelace"
                                   << "AL";
        QTest::newRow("three words") << "Mary Ann Evans"
                                     << "MA";
        QTest::newRow("dotted id") << "bob.smith"
                                   << "BS";
        QTest::newRow("spaces around") << "  carol  "
                                       << "C";
        QTest::newRow("number") << "+4930123"
                                << "#";
        QTest::newRow("digits") << "030123"
                                << "#";
        QTest::newRow("empty") << ""
                               << "?";
        QTest::newRow("accented") << "émile zola"
                                  << "ÉZ";
    }
    void initialsOfNames()
    {
        QFETCH(QString, name);
        QFETCH(QString, expected);
        QCOMPARE(avatar::initials(name), expected);
    }

    void colourIsTheSameOnEveryRun()
    {
        QCOMPARE(avatar::colour(QStringLiteral("alice")), avatar::colour(QStringLiteral("alice")));
        // Fixed by the id alone (FNV-1a of "alice" picks the twelfth hue, 320), never by a
        // per-process hash seed: every run and every machine shows alice in this colour.
        QCOMPARE(avatar::colour(QStringLiteral("alice")), QColor::fromHsl(320, 150, 75));
    }

    void differentPeopleMostlyDiffer()
    {
        QSet<QString> colours;
        for (int i = 0; i < 40; ++i)
            colours.insert(avatar::colour(QStringLiteral("user%1").arg(i)).name());
        QVERIFY2(colours.size() >= 8, qPrintable(QString::number(colours.size())));
    }

    void whiteLettersStayReadable()
    {
        // Relative luminance of every background well below white's: contrast >= 4.5:1.
        for (int i = 0; i < 40; ++i) {
            const QColor c = avatar::colour(QStringLiteral("user%1").arg(i));
            auto channel = [](double v) {
                return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
            };
            const double l = 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) +
                             0.0722 * channel(c.blueF());
            QVERIFY2((1.05) / (l + 0.05) >= 4.5, qPrintable(c.name()));
        }
    }

    void pictureIsARoundFaceWithLetters()
    {
        const QImage image = avatar::pixmap(QStringLiteral("bob"), QString(), 64, 1.0).toImage();
        QCOMPARE(image.size(), QSize(64, 64));
        QCOMPARE(image.pixelColor(0, 0).alpha(), 0); // round: the corner is empty
        const QColor background = avatar::colour(QStringLiteral("bob"));
        QCOMPARE(image.pixelColor(6, 32).rgb(), background.rgb()); // left edge of the disc
        int white = 0;
        for (int y = 0; y < 64; ++y)
            for (int x = 0; x < 64; ++x)
                white += image.pixelColor(x, y).lightness() > 240 ? 1 : 0;
        QVERIFY2(white > 20, qPrintable(QString::number(white))); // the "B" is drawn
    }

    void drawnSharpAt2x()
    {
        const QPixmap twice = avatar::pixmap(QStringLiteral("bob"), QString(), 32, 2.0);
        QCOMPARE(twice.size(), QSize(64, 64));
        QCOMPARE(twice.devicePixelRatio(), 2.0);
        // The icon is drawn at the ratio asked for, not scaled up from 1x.
        const QIcon icon = avatar::icon(QStringLiteral("bob"), QString(), 24);
        const QPixmap iconTwice = icon.pixmap(QSize(24, 24), 2.0);
        QCOMPARE(iconTwice.size(), QSize(48, 48));
        QCOMPARE(iconTwice.devicePixelRatio(), 2.0);
    }

    void presenceDotDiffersByShapeAndColour()
    {
        using softphone::protocol::PresenceStatus;
        auto image = [](const avatar::Presence &presence) {
            return avatar::icon(QStringLiteral("bob"), QString(), presence, 24)
                .pixmap(QSize(24, 24), 2.0)
                .toImage();
        };
        const QImage none = image(std::nullopt);
        QStringList names;
        QSet<QRgb> centres;
        for (PresenceStatus status :
             {PresenceStatus::Online, PresenceStatus::Offline, PresenceStatus::DoNotDisturb}) {
            const QImage dotted = image(status);
            QVERIFY(dotted != none); // a dot is drawn
            // The ring of the dot has the status colour; its centre tells the
            // shapes apart (filled, hollow, barred) without colour.
            QCOMPARE(dotted.pixelColor(38, 33), avatar::presenceColour(status));
            centres.insert(dotted.pixelColor(38, 38).rgb());
            names << avatar::presenceText(status);
        }
        QCOMPARE(centres.size(),
                 2); // hollow and barred centres are the base colour, online's green
        QCOMPARE(names, (QStringList{QStringLiteral("Online"), QStringLiteral("Offline"),
                                     QStringLiteral("Do not disturb")}));
        QVERIFY(avatar::presenceText(std::nullopt).isEmpty());
        QVERIFY(!avatar::presenceColour(std::nullopt).isValid());
    }
};

QTEST_MAIN(TstAvatar)
#include "tst_avatar.moc"
