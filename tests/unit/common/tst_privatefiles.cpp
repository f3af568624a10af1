// makePrivateDir / writePrivateFile: 0600 files from their first byte whatever
// the umask, 0700 folders, and the refusals (another owner, open to others in
// Refuse mode, a symlink in the folder's place).
#include "common/PrivateFiles.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>
#include <unistd.h>

using namespace softphone;

namespace {
mode_t modeOf(const QString &path)
{
    struct stat st = {};
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 ? (st.st_mode & 07777) : 07777;
}
} // namespace

class TestPrivateFiles : public QObject
{
    Q_OBJECT

private slots:
    void fileIs0600WhateverTheUmask()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("state/secret.json"));
        const mode_t old = ::umask(0);
        QString error;
        const bool ok = writePrivateFile(path, "uaid", &error);
        ::umask(old);
        QVERIFY2(ok, qPrintable(error));
        QCOMPARE(modeOf(path), mode_t(0600));
        QCOMPARE(modeOf(dir.filePath(QStringLiteral("state"))), mode_t(0700));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("uaid"));
        QCOMPARE(QDir(dir.filePath(QStringLiteral("state"))).entryList(QDir::Files).size(), 1);
    }

    void replacesAnOpenFileAndFolder()
    {
        QTemporaryDir dir;
        const QString folder = dir.filePath(QStringLiteral("old"));
        QVERIFY(QDir().mkpath(folder));
        ::chmod(QFile::encodeName(folder).constData(), 0755);
        const QString path = folder + QStringLiteral("/push-channel.json");
        QFile old(path);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("old");
        old.close();
        ::chmod(QFile::encodeName(path).constData(), 0644);
        QString error;
        QVERIFY2(writePrivateFile(path, "new", &error), qPrintable(error));
        QCOMPARE(modeOf(path), mode_t(0600));
        QCOMPARE(modeOf(folder), mode_t(0700));
    }

    void closesALeftoverFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("f"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        ::chmod(QFile::encodeName(path).constData(), 0644);
        QString error;
        QVERIFY(closePrivateFile(path, &error));
        QCOMPARE(modeOf(path), mode_t(0600));
        QVERIFY(closePrivateFile(dir.filePath(QStringLiteral("none")), &error));
    }

    void refusesAFolderOpenToOthers()
    {
        QTemporaryDir dir;
        const QString folder = dir.filePath(QStringLiteral("run"));
        QVERIFY(QDir().mkpath(folder));
        ::chmod(QFile::encodeName(folder).constData(), 0777);
        QString error;
        QVERIFY(!makePrivateDir(folder, ForeignMode::Refuse, &error));
        QVERIFY2(error.contains(QStringLiteral("open to other users (mode 0777")),
                 qPrintable(error));
        QCOMPARE(modeOf(folder), mode_t(0777)); // refused, not changed
        QVERIFY2(makePrivateDir(folder, ForeignMode::Repair, &error), qPrintable(error));
        QCOMPARE(modeOf(folder), mode_t(0700));
    }

    void refusesASymlink()
    {
        QTemporaryDir dir;
        QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("real"))));
        QVERIFY(QFile::link(dir.filePath(QStringLiteral("real")),
                            dir.filePath(QStringLiteral("link"))));
        QString error;
        QVERIFY(!makePrivateDir(dir.filePath(QStringLiteral("link")), ForeignMode::Repair, &error));
        QVERIFY2(error.contains(QStringLiteral("is not a folder")), qPrintable(error));
    }

    void refusesAnotherOwner()
    {
        if (::geteuid() != 0)
            QSKIP("needs root to give a folder away");
        QTemporaryDir dir;
        const QString folder = dir.filePath(QStringLiteral("theirs"));
        QVERIFY(QDir().mkpath(folder));
        QCOMPARE(::chown(QFile::encodeName(folder).constData(), 65534, 65534), 0);
        ::chmod(QFile::encodeName(folder).constData(), 0700);
        QString error;
        QVERIFY(!makePrivateDir(folder, ForeignMode::Repair, &error));
        QVERIFY2(error.contains(QStringLiteral("belongs to uid 65534")), qPrintable(error));
        QVERIFY(!writePrivateFile(folder + QStringLiteral("/x"), "secret", &error));
        QVERIFY(!QFile::exists(folder + QStringLiteral("/x")));
    }
};

QTEST_GUILESS_MAIN(TestPrivateFiles)
#include "tst_privatefiles.moc"
