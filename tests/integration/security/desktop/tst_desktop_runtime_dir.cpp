// Issue #11 item 14, attacked on the real softphone and softphone-tray: with
// XDG_RUNTIME_DIR unset the local sockets fall back to a folder under the shared
// temp folder. Another local user (here: uid 65534, "nobody") creates that
// folder first and listens in it as "instance": every activation argument
// ("softphone:bob") and every relayed push or push status would go to him.
// Both executables must refuse such a folder (not ours, or open to others) with
// a clear message and hand nothing over; a folder of ours with mode 0700 works.
//
// The processes get TMPDIR pointing into the test's own folder (QDir::tempPath()
// honours it), so the runs never touch the machine's /tmp.
#include "support/Processes.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalServer>
#include <QLocalSocket>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <sys/stat.h>
#include <unistd.h>

namespace {

constexpr uid_t kStranger = 65534; // nobody

// The other local user's trap: a listener on the instance socket in his folder
// that answers "ok" to everything and keeps what it was told.
class Trap : public QObject
{
public:
    explicit Trap(const QString &path)
    {
        server.setSocketOptions(QLocalServer::WorldAccessOption);
        listening = server.listen(path);
        connect(&server, &QLocalServer::newConnection, this, [this] {
            while (QLocalSocket *socket = server.nextPendingConnection()) {
                ++connections;
                connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
                    while (socket->canReadLine()) {
                        lines.append(socket->readLine().trimmed());
                        socket->write("{\"v\":1,\"type\":\"ok\"}\n");
                    }
                });
            }
        });
    }
    QLocalServer server;
    bool listening = false;
    int connections = 0;
    QList<QByteArray> lines;
};

class Session
{
public:
    Session()
    {
        tmp = dir.filePath(QStringLiteral("tmp"));
        QDir().mkpath(tmp);
        ::chmod(QFile::encodeName(tmp).constData(), 01777); // like /tmp
        fallback = tmp + QStringLiteral("/softphone-") + QString::number(::geteuid());
        env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("XDG_RUNTIME_DIR"));
        env.insert(QStringLiteral("TMPDIR"), tmp);
        env.insert(QStringLiteral("HOME"), dir.filePath(QStringLiteral("home")));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("home/config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("home/data")));
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    }
    // The folder the stranger made before us. Qt's own fallback
    // (<tmp>/runtime-<user>), which the code before the fix asked first, is
    // his too: Qt then answers "none" and our fallback was taken as it stood.
    void strangerMakesTheFolder(uid_t owner, mode_t mode)
    {
        for (const QString &path : {fallback, tmp + QStringLiteral("/runtime-root")}) {
            QVERIFY(QDir().mkpath(path));
            QCOMPARE(::chown(QFile::encodeName(path).constData(), owner, owner), 0);
            QCOMPARE(::chmod(QFile::encodeName(path).constData(), mode), 0);
        }
    }
    std::unique_ptr<QProcess> run(const QString &binVar, const QStringList &args)
    {
        auto process = std::make_unique<QProcess>();
        process->setProcessEnvironment(env);
        process->start(qEnvironmentVariable(binVar.toLatin1().constData()), args);
        process->closeWriteChannel();
        return process;
    }
    QTemporaryDir dir;
    QString tmp;
    QString fallback;
    QProcessEnvironment env;
};

// Runs the process to its end (bounded) while the trap's event loop runs.
bool finishes(QProcess &process, int timeoutMs)
{
    return QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, timeoutMs);
}

} // namespace

class TstDesktopRuntimeDir : public QObject
{
    Q_OBJECT

private:
    // The executable (`softphone softphone:bob` or the signed-out agent) with
    // the stranger's folder and his trap in place: it must end with exit 1 and
    // the reason, having told the trap nothing.
    void refuses(const QString &binVar, const QString &arg, uid_t owner, mode_t mode,
                 const QByteArray &why)
    {
        Session session;
        session.strangerMakesTheFolder(owner, mode);
        Trap trap(session.fallback + QStringLiteral("/instance"));
        QVERIFY(trap.listening);
        auto process = session.run(binVar, {arg});
        // Long enough for a signed-out agent to tell the "softphone" its push
        // status (the code before the fix did, within a second or two).
        const bool ended = finishes(*process, 15000);
        const QByteArray err = process->readAllStandardError();
        softphone::test::stopProcess(*process);
        QVERIFY2(trap.lines.isEmpty(), "the stranger was told: " + trap.lines.value(0));
        QCOMPARE(trap.connections, 0);
        QVERIFY2(ended, "it runs on the stranger's folder");
        QCOMPARE(process->exitCode(), 1);
        QVERIFY2(err.contains(QFile::encodeName(session.fallback)) && err.contains(why) &&
                     err.contains("refusing to use it"),
                 err.constData());
        QVERIFY(!QFileInfo::exists(session.fallback + QStringLiteral("/tray.lock")));
        QVERIFY(!QFileInfo::exists(session.fallback + QStringLiteral("/tray.control")));
    }
    void softphoneRefuses(uid_t owner, mode_t mode, const QByteArray &why)
    {
        refuses(QStringLiteral("SOFTPHONE_BIN"), QStringLiteral("softphone:bob"), owner, mode, why);
    }
    void trayRefuses(uid_t owner, mode_t mode, const QByteArray &why)
    {
        refuses(QStringLiteral("SOFTPHONE_TRAY_BIN"), QStringLiteral("--report-state"), owner, mode,
                why);
    }

private slots:
    void initTestCase()
    {
        if (::geteuid() != 0)
            QSKIP("needs root, to make a folder owned by another user");
        QVERIFY(!qEnvironmentVariable("SOFTPHONE_BIN").isEmpty());
        QVERIFY(!qEnvironmentVariable("SOFTPHONE_TRAY_BIN").isEmpty());
    }

    void softphoneRefusesAStrangersFolder()
    {
        softphoneRefuses(kStranger, 0777, "belongs to uid 65534");
    }

    void softphoneRefusesAFolderOpenToOthers()
    {
        softphoneRefuses(::geteuid(), 0777, "open to other users (mode 0777");
    }

    void trayRefusesAStrangersFolder() { trayRefuses(kStranger, 0777, "belongs to uid 65534"); }

    void trayRefusesAFolderOpenToOthers()
    {
        trayRefuses(::geteuid(), 0757, "open to other users (mode 0757");
    }

    // A symlink planted where the folder goes (to a folder of ours the stranger
    // can read, say) is no folder of ours.
    void symlinkRefused()
    {
        Session session;
        const QString elsewhere = session.dir.filePath(QStringLiteral("elsewhere"));
        QVERIFY(QDir().mkpath(elsewhere));
        ::chmod(QFile::encodeName(elsewhere).constData(), 0700);
        QVERIFY(QFile::link(elsewhere, session.fallback));
        auto softphone =
            session.run(QStringLiteral("SOFTPHONE_BIN"), {QStringLiteral("softphone:bob")});
        QVERIFY(finishes(*softphone, 60000));
        QCOMPARE(softphone->exitCode(), 1);
        QVERIFY(softphone->readAllStandardError().contains("is not a folder"));
        QVERIFY(QDir(elsewhere).isEmpty());
    }

    // Ours, 0700: the softphone listens there, a second launch hands it its
    // arguments, and the agent takes its lock next to it.
    void ourPrivateFolderWorks()
    {
        Session session;
        QVERIFY(QDir().mkpath(session.fallback));
        QCOMPARE(::chmod(QFile::encodeName(session.fallback).constData(), 0700), 0);
        auto first = session.run(QStringLiteral("SOFTPHONE_BIN"), {QStringLiteral("--minimized")});
        const QString socket = session.fallback + QStringLiteral("/instance");
        QVERIFY2(QTest::qWaitFor([&] { return QFileInfo::exists(socket); }, 60000),
                 first->readAllStandardError().constData());
        auto second =
            session.run(QStringLiteral("SOFTPHONE_BIN"), {QStringLiteral("softphone:bob")});
        QVERIFY(finishes(*second, 60000));
        QCOMPARE(second->exitCode(), 0);
        QVERIFY(first->state() == QProcess::Running);

        auto tray =
            session.run(QStringLiteral("SOFTPHONE_TRAY_BIN"), {QStringLiteral("--report-state")});
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         return QFileInfo::exists(session.fallback +
                                                  QStringLiteral("/tray.control"));
                     },
                     30000),
                 tray->readAllStandardError().constData());
        QVERIFY(tray->state() == QProcess::Running);
        QFileInfo folder(session.fallback);
        QCOMPARE(folder.ownerId(), ::geteuid());
        softphone::test::stopProcess(*tray);
        softphone::test::stopProcess(*first);
    }
};

QTEST_GUILESS_MAIN(TstDesktopRuntimeDir)
#include "tst_desktop_runtime_dir.moc"
