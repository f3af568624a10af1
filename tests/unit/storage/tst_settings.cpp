// Settings: every key declared once with a unique path, values kept across
// instances, and nothing secret in the file.
#include "storage/Settings.h"

#include <QFile>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace softphone::storage;

class TestSettings : public QObject
{
    Q_OBJECT

private slots:
    void keysAreUniqueAndDefaulted()
    {
        QSet<QString> paths;
        for (Settings::Key key : Settings::allKeys()) {
            const QString path = Settings::path(key);
            QVERIFY(!path.isEmpty());
            QVERIFY2(!paths.contains(path), qPrintable(path));
            paths.insert(path);
            // No key may be meant for a secret.
            QVERIFY2(!path.contains(QStringLiteral("password"), Qt::CaseInsensitive),
                     qPrintable(path));
            QVERIFY2(!path.contains(QStringLiteral("token"), Qt::CaseInsensitive),
                     qPrintable(path));
        }
        QVERIFY(paths.size() >= 10);
        QTemporaryDir dir;
        Settings settings(dir.filePath(QStringLiteral("s.conf")));
        QCOMPARE(settings.flag(Settings::Key::DoNotDisturb), false);
        QCOMPARE(settings.string(Settings::Key::AudioInput), QString());
    }

    void valuesPersist()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("s.conf"));
        {
            Settings settings(file);
            QSignalSpy spy(&settings, &Settings::changed);
            settings.setValue(Settings::Key::UserName, QStringLiteral("alice"));
            settings.setValue(Settings::Key::DoNotDisturb, true);
            settings.setValue(Settings::Key::DoNotDisturb, true); // unchanged: no signal
            QCOMPARE(spy.size(), 2);
            QCOMPARE(spy.at(0).at(0).value<Settings::Key>(), Settings::Key::UserName);
        }
        Settings again(file);
        QCOMPARE(again.string(Settings::Key::UserName), QStringLiteral("alice"));
        QCOMPARE(again.flag(Settings::Key::DoNotDisturb), true);
        again.reset(Settings::Key::DoNotDisturb);
        QCOMPARE(again.flag(Settings::Key::DoNotDisturb), false);
    }

    void fileHoldsOnlyDeclaredKeys()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("s.conf"));
        {
            Settings settings(file);
            for (Settings::Key key : Settings::allKeys())
                settings.setValue(key, QStringLiteral("v-") + Settings::path(key));
            settings.sync();
        }
        QSettings raw(file, QSettings::IniFormat);
        QCOMPARE(raw.allKeys().size(), Settings::allKeys().size());
    }
};

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"
