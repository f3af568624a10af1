// The file secret store (platforms without a keychain): the secrets file is
// readable by the user only (0600) from its first byte, secrets read back
// exactly, and a damaged file is reported and never overwritten.

#include "push/FileSecretStore.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <sys/stat.h>

using namespace softphone::push;

namespace {
// Waits for the store's asynchronous answer (test code only).
std::pair<bool, QString> writeNow(FileSecretStore &store, const QString &key,
                                  const QByteArray &data)
{
    std::optional<std::pair<bool, QString>> result;
    store.write(key, data, &store, [&](bool ok, const QString &error) { result = {ok, error}; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 5000))
        return {false, QStringLiteral("no answer")};
    return *result;
}
std::pair<std::optional<QByteArray>, QString> readNow(FileSecretStore &store, const QString &key)
{
    std::optional<std::pair<std::optional<QByteArray>, QString>> result;
    store.read(key, &store, [&](std::optional<QByteArray> data, const QString &error) {
        result = {data, error};
    });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 5000))
        return {std::nullopt, QStringLiteral("no answer")};
    return *result;
}
bool removeNow(FileSecretStore &store, const QString &key)
{
    std::optional<bool> result;
    store.remove(key, &store, [&](bool ok, const QString &) { result = ok; });
    return QTest::qWaitFor([&] { return result.has_value(); }, 5000) && *result;
}
mode_t modeOf(const QString &path)
{
    struct stat st
    {
    };
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return 0;
    return st.st_mode & 07777;
}
} // namespace

class TestFileSecretStore : public QObject
{
    Q_OBJECT
private slots:
    void secretsAreOwnerOnlyAndReadBack()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("sub/secrets.json"));
        FileSecretStore store(path);
        const QByteArray a = QByteArray::fromHex("00ff10203040506070") + QByteArray(40, '\x7f');
        QCOMPARE(writeNow(store, "channel/a", a), std::make_pair(true, QString()));
        QCOMPARE(modeOf(path), mode_t(0600));
        QCOMPARE(writeNow(store, "channel/b", "second").first, true);
        QCOMPARE(modeOf(path), mode_t(0600));
        QCOMPARE(readNow(store, "channel/a").first, std::optional<QByteArray>(a));

        QVERIFY(removeNow(store, "channel/a"));
        const auto gone = readNow(store, "channel/a");
        QVERIFY(!gone.first.has_value());
        QVERIFY(gone.second.isEmpty()); // simply not there: no error
        QCOMPARE(readNow(store, "channel/b").first, std::optional<QByteArray>("second"));
    }

    // A file someone left world-readable is written back 0600.
    void looseModeIsTightened()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("secrets.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{}");
        file.close();
        QVERIFY(file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                    QFileDevice::ReadGroup | QFileDevice::ReadOther));
        QCOMPARE(modeOf(path), mode_t(0644));
        FileSecretStore store(path);
        QCOMPARE(writeNow(store, "k", "v").first, true);
        QCOMPARE(modeOf(path), mode_t(0600));
    }

    void damagedFileIsReportedAndKept()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("secrets.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"channel/a\": \"trunc");
        file.close();
        FileSecretStore store(path);
        const auto read = readNow(store, "channel/a");
        QVERIFY(!read.first.has_value());
        QVERIFY2(read.second.contains(path), qPrintable(read.second));
        const auto written = writeNow(store, "channel/b", "x");
        QCOMPARE(written.first, false);
        QVERIFY(!written.second.isEmpty());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("{\"channel/a\": \"trunc"));
    }
};

QTEST_GUILESS_MAIN(TestFileSecretStore)
#include "tst_filesecretstore.moc"
