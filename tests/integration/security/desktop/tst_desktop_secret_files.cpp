// Issue #11 item 15, attacked on the real softphone-tray after it registered
// for pushes with a real server: its push state (push-channel.json) holds the
// uaid, which is enough to take the device's push channel over. Another local
// user (uid 65534) tries to read it. Every file of the agent that holds the
// uaid must be 0600 in a 0700 folder, and its data folder (history, messages)
// closed to others.
//
// The agent's HOME is made enterable by others (0755), as many home folders
// are, so that only the modes of our own folders and files stand in the way.
#include "support/TrayTestSupport.h"

#include <QDirIterator>
#include <sys/stat.h>

using namespace traytest;

namespace {

mode_t modeOf(const QString &path)
{
    struct stat st = {};
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 ? (st.st_mode & 07777) : 07777;
}

QString octal(mode_t mode)
{
    return QStringLiteral("0%1").arg(mode, 3, 8, QLatin1Char('0'));
}

// `cat path` as uid/gid 65534: what another local user can read.
QByteArray readAsStranger(const QString &path, int *exitCode)
{
    QProcess cat;
    cat.start(QStringLiteral("setpriv"),
              {QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"),
               QStringLiteral("--clear-groups"), QStringLiteral("cat"), path});
    if (!cat.waitForFinished(10000))
        cat.kill();
    *exitCode = cat.exitCode();
    return cat.readAllStandardOutput();
}

} // namespace

class TstDesktopSecretFiles : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        if (::geteuid() != 0)
            QSKIP("needs root, to read as another user");
    }

    void uaidIsReadableByNoOtherUser()
    {
        BobOnline bob;
        const QTemporaryDir &home = bob.home;
        QCOMPARE(::chmod(QFile::encodeName(home.path()).constData(), 0755), 0);
        QVERIFY2(bob.start(), qPrintable(bob.problem));
        QVERIFY(QTest::qWaitFor([&] { return !agentEndpoint(home.path()).isEmpty(); }, 60000));

        const QString dataDir = home.path() + QStringLiteral("/data/softphone/softphone");
        const QString statePath = dataDir + QStringLiteral("/tray/push-channel.json");
        QFile state(statePath);
        QVERIFY(state.open(QIODevice::ReadOnly));
        const QByteArray uaid =
            QJsonDocument::fromJson(state.readAll()).object().value(u"uaid").toString().toUtf8();
        QVERIFY(uaid.size() >= 16);

        // The stranger's read: refused, and nothing of the uaid comes out.
        int exitCode = 0;
        const QByteArray stolen = readAsStranger(statePath, &exitCode);
        QVERIFY2(!stolen.contains(uaid), "another user read the uaid");
        QVERIFY(exitCode != 0);

        // Every file under the agent's HOME that holds the uaid: 0600 in a 0700 folder.
        int holders = 0;
        QDirIterator it(home.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly) || !file.readAll().contains(uaid))
                continue;
            ++holders;
            QVERIFY2(modeOf(path) == 0600,
                     qPrintable(path + QStringLiteral(" is ") + octal(modeOf(path))));
            const QString folder = QFileInfo(path).absolutePath();
            QVERIFY2(modeOf(folder) == 0700,
                     qPrintable(folder + QStringLiteral(" is ") + octal(modeOf(folder))));
        }
        QVERIFY(holders >= 1);

        // The data folder (history and messages too) is closed to others, and
        // so is every file in it (the SQLite database and its -wal and -shm).
        QCOMPARE(octal(modeOf(dataDir)), octal(0700));
        QDirIterator data(dataDir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        int files = 0;
        while (data.hasNext()) {
            const QString path = data.next();
            ++files;
            QVERIFY2((modeOf(path) & 077) == 0,
                     qPrintable(path + QStringLiteral(" is ") + octal(modeOf(path))));
        }
        QVERIFY(files >= 2);

        // Nothing changed for the user: the agent is still online.
        QVERIFY(bob.tray.process.state() == QProcess::Running);
    }
};

QTEST_GUILESS_MAIN(TstDesktopSecretFiles)
#include "tst_desktop_secret_files.moc"
