// The tray agent's keychain (core/keychain/ChildProcessKeychain) with its real
// child, softphone-keychain, against the session's real keychain (gnome-keyring
// under tests/desktop-session): an entry QtKeychain wrote in a process is read
// through the child and the other way round, in both of QtKeychain's modes
// (text: the refresh token; binary: the push keys); the child leaves once idle;
// a missing helper, a missing keychain and a bad request each fail with why.
#include "integration/push/PushTestDevice.h"
#include "keychain/ChildProcessKeychain.h"
#include "keychain/InProcessKeychain.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QTest>
#include <unistd.h>

using namespace softphone;
using keychain::ChildProcessKeychain;
using keychain::InProcessKeychain;
using keychain::Keychain;
using keychain::Reply;
using keychain::Request;

namespace {

const QString kService = QStringLiteral("softphone-test-keychain-child");

// The answer to one request, waited for (15 s at most); also checks it did not
// come inside run().
Reply ask(Keychain &keychain, const Request &request, bool *answeredInsideRun = nullptr)
{
    QObject context;
    std::optional<Reply> answer;
    keychain.run(request, &context, [&](const Reply &reply) { answer = reply; });
    if (answeredInsideRun)
        *answeredInsideRun = answer.has_value();
    if (!QTest::qWaitFor([&] { return answer.has_value(); }, 15000))
        return Reply{Reply::Status::Failed, {}, QStringLiteral("no answer within 15 s")};
    return *answer;
}

// This process's children running the helper (from /proc: no pid is exposed).
QList<qint64> helperChildren()
{
    QList<qint64> pids;
    const QString self = QStringLiteral("/proc/%1/task").arg(::getpid());
    for (const QString &task : QDir(self).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile children(self + QLatin1Char('/') + task + QStringLiteral("/children"));
        if (!children.open(QIODevice::ReadOnly))
            continue;
        for (const QByteArray &pid : children.readAll().split(' ')) {
            const QString exe =
                QFileInfo(QStringLiteral("/proc/%1/exe").arg(QString::fromLatin1(pid.trimmed())))
                    .symLinkTarget();
            if (!pid.trimmed().isEmpty() && exe.endsWith(QLatin1String("softphone-keychain")))
                pids << pid.trimmed().toLongLong();
        }
    }
    return pids;
}

} // namespace

class TestKeychainChild : public QObject
{
    Q_OBJECT

private:
    const QString m_helper = qEnvironmentVariable("SOFTPHONE_KEYCHAIN_BIN");
    InProcessKeychain m_here;

private slots:
    void initTestCase()
    {
        QVERIFY2(QFileInfo(m_helper).isExecutable(),
                 qPrintable(QStringLiteral("SOFTPHONE_KEYCHAIN_BIN: %1").arg(m_helper)));
        QString why;
        QVERIFY2(test::keychainReachable(&why), qPrintable(why));
    }

    void entriesCrossBetweenTheChildAndQtKeychainHere_data()
    {
        QTest::addColumn<bool>("binary");
        QTest::addColumn<QByteArray>("first");
        QTest::addColumn<QByteArray>("second");
        QTest::newRow("text (refresh token)")
            << false << QByteArray("rt-Zürich-0123456789") << QByteArray("rt-rotated-9876543210");
        QTest::newRow("binary (push keys)")
            << true << QByteArray("\x00\x01\xff\n{\"id\":1}\n\x7f", 14) << QByteArray(65, '\x04');
    }

    void entriesCrossBetweenTheChildAndQtKeychainHere()
    {
        QFETCH(bool, binary);
        QFETCH(QByteArray, first);
        QFETCH(QByteArray, second);
        ChildProcessKeychain child(m_helper);
        const QString key = QStringLiteral("entry-%1").arg(binary ? "binary" : "text");
        using Op = Request::Operation;

        // Written here (as the softphone writes the refresh token), read by the child.
        QCOMPARE(ask(m_here, {Op::Write, kService, key, binary, first}).status, Reply::Status::Ok);
        bool insideRun = true;
        Reply read = ask(child, {Op::Read, kService, key, binary}, &insideRun);
        QVERIFY(!insideRun);
        QCOMPARE(read.status, Reply::Status::Ok);
        QCOMPARE(read.data, first);

        // Written by the child (a rotated token, a new subscription's keys), read here.
        QCOMPARE(ask(child, {Op::Write, kService, key, binary, second}).status, Reply::Status::Ok);
        read = ask(m_here, {Op::Read, kService, key, binary});
        QCOMPARE(read.status, Reply::Status::Ok);
        QCOMPARE(read.data, second);

        // Removed by the child: gone for both.
        QCOMPARE(ask(child, {Op::Remove, kService, key, binary}).status, Reply::Status::Ok);
        QCOMPARE(ask(m_here, {Op::Read, kService, key, binary}).status, Reply::Status::NotFound);
        QCOMPARE(ask(child, {Op::Read, kService, key, binary}).status, Reply::Status::NotFound);
    }

    void theChildLeavesOnceIdle()
    {
        ChildProcessKeychain child(m_helper);
        const Request read{Request::Operation::Read, kService, QStringLiteral("absent"), true};
        QCOMPARE(ask(child, read).status, Reply::Status::NotFound);
        QCOMPARE(helperChildren().size(), 1);
        QVERIFY(child.childRunning());
        // Told to finish after kLingerMs without a request; gone soon after.
        QTRY_VERIFY_WITH_TIMEOUT(helperChildren().isEmpty(),
                                 ChildProcessKeychain::kLingerMs + 10000);
        QVERIFY(!child.childRunning());
        // The next request starts another.
        QCOMPARE(ask(child, read).status, Reply::Status::NotFound);
        QCOMPARE(helperChildren().size(), 1);
    }

    void aMissingHelperFailsWithItsName()
    {
        const QString missing =
            QDir::temp().filePath(QStringLiteral("no-such-dir/softphone-keychain"));
        ChildProcessKeychain child(missing);
        bool insideRun = true;
        const Reply reply =
            ask(child, {Request::Operation::Read, kService, QStringLiteral("x"), true}, &insideRun);
        QVERIFY(!insideRun);
        QCOMPARE(reply.status, Reply::Status::Failed);
        QVERIFY2(reply.message.contains(missing), qPrintable(reply.message));
    }

    void noKeychainFailsWithTheKeychainsReason()
    {
        // The child's session bus leads nowhere: no Secret Service, no KWallet.
        const QByteArray bus = qgetenv("DBUS_SESSION_BUS_ADDRESS");
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/softphone-test-bus");
        ChildProcessKeychain child(m_helper);
        const Reply reply =
            ask(child, {Request::Operation::Read, kService, QStringLiteral("x"), false});
        qputenv("DBUS_SESSION_BUS_ADDRESS", bus);
        QCOMPARE(reply.status, Reply::Status::Failed);
        QVERIFY2(!reply.message.isEmpty() && !reply.message.contains(QLatin1String("helper")),
                 qPrintable(reply.message));
    }

    void theHelperRefusesBadInput_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("says");
        QTest::newRow("started by hand") << QStringList{QStringLiteral("--help")} << QByteArray()
                                         << QStringLiteral("keychain helper of softphone-tray");
        QTest::newRow("not JSON") << QStringList() << QByteArray("read softphone x\n")
                                  << QStringLiteral("not a JSON object");
        QTest::newRow("no operation") << QStringList()
                                      << QByteArray(R"({"id":1,"service":"s","key":"k"})"
                                                    "\n")
                                      << QStringLiteral("needs op");
        QTest::newRow("a line too long")
            << QStringList() << QByteArray(100 * 1024, 'x') << QStringLiteral("longer than");
    }

    void theHelperRefusesBadInput()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QByteArray, input);
        QFETCH(QString, says);
        QProcess helper;
        helper.start(m_helper, arguments);
        QVERIFY(helper.waitForStarted(10000));
        helper.write(input);
        QVERIFY(helper.waitForFinished(15000));
        QCOMPARE(helper.exitCode(), 2);
        const QString error = QString::fromUtf8(helper.readAllStandardError());
        QVERIFY2(error.contains(says), qPrintable(error));
        QVERIFY(helper.readAllStandardOutput().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestKeychainChild)
#include "tst_keychain_child.moc"
