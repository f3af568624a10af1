// The tray agent's push path as a user meets it, every part real: a
// softphone-server on loopback, the softphone-tray executable signed in as bob,
// the real softphone executable it starts (offscreen), and alice as an
// in-process SoftphoneClient posting her push pairs like the apps do. The
// desktop's notification service is this test process itself, registered as
// org.freedesktop.Notifications on the session bus tests/desktop-session gives.
#include "CallHistory.h"
#include "Database.h"
#include "PushPairSender.h"
#include "ServerProcess.h"
#include "SoftphoneClient.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>
#include <memory>

using softphone::client::Call;
using softphone::client::CallState;
using softphone::client::SoftphoneClient;
using softphone::test::ServerProcess;

namespace {

// Cold starts of the ASan softphone (keychain, sign-in, claim) take a while.
constexpr int kSlowMs = 90000;

// Stands in for the desktop's notification daemon: records every Notify.
class NotificationListener : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")

public:
    struct Shown
    {
        QString summary;
        QString body;
    };
    QList<Shown> shown;

    bool hasShown(const QString &summary, const QString &bodyPart) const
    {
        for (const Shown &s : shown)
            if (s.summary == summary && s.body.contains(bodyPart))
                return true;
        return false;
    }

public slots:
    QStringList GetCapabilities() { return {QStringLiteral("body"), QStringLiteral("actions")}; }
    QString GetServerInformation(QString &vendor, QString &version, QString &specVersion)
    {
        vendor = QStringLiteral("softphone tests");
        version = QStringLiteral("1");
        specVersion = QStringLiteral("1.2");
        return QStringLiteral("tst_tray_push");
    }
    uint Notify(const QString &, uint, const QString &, const QString &summary, const QString &body,
                const QStringList &, const QVariantMap &, int)
    {
        shown.append({summary, body});
        return uint(shown.size());
    }
    void CloseNotification(uint) {}
};

QString softphoneBinary()
{
    return QFileInfo(qEnvironmentVariable("SOFTPHONE_BIN")).canonicalFilePath();
}

// Softphone processes of this test's HOME (the agent starts them detached).
QList<qint64> softphonesOf(const QString &home)
{
    QList<qint64> pids;
    const QByteArray homeVar = "HOME=" + home.toUtf8();
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &entry : entries) {
        bool isPid = false;
        const qint64 pid = entry.toLongLong(&isPid);
        if (!isPid)
            continue;
        if (QFileInfo(QStringLiteral("/proc/%1/exe").arg(pid)).canonicalFilePath() !=
            softphoneBinary())
            continue;
        QFile environ(QStringLiteral("/proc/%1/environ").arg(pid));
        if (environ.open(QIODevice::ReadOnly) && environ.readAll().split('\0').contains(homeVar))
            pids.append(pid);
    }
    return pids;
}

// Ends what the agent started for this HOME (by pid, never by name).
void stopSoftphones(const QString &home)
{
    const QList<qint64> pids = softphonesOf(home);
    for (qint64 pid : pids)
        ::kill(pid_t(pid), SIGTERM);
    QDeadlineTimer deadline(10000);
    while (!softphonesOf(home).isEmpty() && !deadline.hasExpired())
        QTest::qWait(100);
    for (qint64 pid : softphonesOf(home))
        ::kill(pid_t(pid), SIGKILL);
}

// The agent, with its own HOME and runtime dir; output read while the event
// loop runs (the notification listener lives on it).
class Tray
{
public:
    explicit Tray(const QTemporaryDir &home)
        : m_home(home.path())
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), m_home);
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home + QStringLiteral("/config"));
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_home + QStringLiteral("/data"));
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), m_home + QStringLiteral("/run"));
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        QDir().mkpath(m_home + QStringLiteral("/run"));
        QFile::setPermissions(m_home + QStringLiteral("/run"), QFileDevice::ReadOwner |
                                                                   QFileDevice::WriteOwner |
                                                                   QFileDevice::ExeOwner);
        process.setProcessEnvironment(env);
        process.setProcessChannelMode(QProcess::SeparateChannels);
    }
    ~Tray()
    {
        if (process.state() != QProcess::NotRunning) {
            process.terminate();
            if (!process.waitForFinished(10000))
                process.kill();
            process.waitForFinished(5000);
        }
        stopSoftphones(m_home);
    }
    void signIn(const ServerProcess &server, const QString &user)
    {
        process.start(qEnvironmentVariable("SOFTPHONE_TRAY_BIN"),
                      {QStringLiteral("--server"), server.appServerUrl().toString(),
                       QStringLiteral("--user"), user, QStringLiteral("--password-stdin"),
                       QStringLiteral("--report-state")});
        process.write(QByteArray("pw-") + user.toUtf8() + '\n');
        process.closeWriteChannel();
    }
    bool waitForState(const QString &state, int timeoutMs)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            while (process.canReadLine()) {
                lastState = QJsonDocument::fromJson(process.readLine().trimmed()).object();
                if (lastState.value(QStringLiteral("state")).toString() == state)
                    return true;
            }
            if (process.state() == QProcess::NotRunning)
                return false;
            QTest::qWait(50);
        }
        return false;
    }
    QString home() const { return m_home; }
    QString databasePath() const
    {
        return m_home + QStringLiteral("/data/softphone/softphone/softphone.sqlite");
    }

    QProcess process;
    QJsonObject lastState;

private:
    QString m_home;
};

// A caller on the real calling service whose push pairs are posted to /v1/push.
struct Caller
{
    Caller(ServerProcess &server, const QString &user)
        : sender(server.appServerUrl())
    {
        softphone::client::ClientConfig config;
        config.serviceUrl = server.callingUrl();
        config.userId = user;
        config.deviceId = user + QStringLiteral("-desk");
        client = std::make_unique<SoftphoneClient>(config);
        client->setAccessToken(server.login(user, QStringLiteral("pw-") + user, config.deviceId));
        sender.attach(client.get());
    }
    bool start()
    {
        QSignalSpy started(client.get(), &SoftphoneClient::started);
        client->start();
        return started.wait(20000);
    }
    std::unique_ptr<SoftphoneClient> client;
    softphone::client::PushPairSender sender;
};

// The missed calls the softphone's history holds, by caller.
QStringList missedCallers(const QString &databasePath)
{
    if (!QFileInfo::exists(databasePath))
        return {};
    softphone::storage::Database db(databasePath);
    if (!db.open())
        return {};
    QStringList callers;
    const softphone::storage::CallHistory history(db);
    for (const softphone::storage::CallRecord &record : history.recent(50))
        if (record.missed)
            callers.append(record.remoteUser);
    return callers;
}

} // namespace

class TstTrayPush : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(QFileInfo(qEnvironmentVariable("SOFTPHONE_TRAY_BIN")).isExecutable(),
                 "SOFTPHONE_TRAY_BIN not set");
        QVERIFY2(!softphoneBinary().isEmpty(), "SOFTPHONE_BIN not set");
        QDBusConnection bus = QDBusConnection::sessionBus();
        QVERIFY2(bus.isConnected(), "no session bus: run under tests/desktop-session");
        QVERIFY(bus.registerObject(QStringLiteral("/org/freedesktop/Notifications"), &m_listener,
                                   QDBusConnection::ExportAllSlots));
        QVERIFY2(bus.registerService(QStringLiteral("org.freedesktop.Notifications")),
                 "org.freedesktop.Notifications is taken on this session bus");
    }

    void cleanupTestCase()
    {
        QDBusConnection::sessionBus().unregisterService(
            QStringLiteral("org.freedesktop.Notifications"));
    }

    // No softphone runs: the push starts one, the call rings there, and the
    // caller's cancel becomes a missed call (history and a notification). The
    // cancel push meets the running softphone over its socket: still one process.
    void pushStartsTheSoftphoneAndItRings()
    {
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        QVERIFY(server.addUser(QStringLiteral("alice"), QStringLiteral("pw-alice")));
        QVERIFY(server.addUser(QStringLiteral("bob"), QStringLiteral("pw-bob")));
        QTemporaryDir home;
        Tray tray(home);
        tray.signIn(server, QStringLiteral("bob"));
        QVERIFY2(tray.waitForState(QStringLiteral("online"), 60000),
                 qPrintable(QJsonDocument(tray.lastState).toJson()));
        QVERIFY(softphonesOf(tray.home()).isEmpty());

        Caller alice(server, QStringLiteral("alice"));
        QVERIFY(alice.start());
        Call *call = alice.client->callUser(QStringLiteral("bob"));
        QTRY_VERIFY2_WITH_TIMEOUT(call->state() != CallState::Initiating, "bob never rang",
                                  kSlowMs);
        QCOMPARE(call->state(), CallState::Progressing);
        QCOMPARE(softphonesOf(tray.home()).size(), 1);

        m_listener.shown.clear();
        call->hangup();
        QTRY_COMPARE_WITH_TIMEOUT(call->state(), CallState::Ended, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_listener.hasShown(QStringLiteral("Missed call"), QStringLiteral("alice")), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(
            missedCallers(tray.databasePath()).contains(QStringLiteral("alice")), 30000);
        QCOMPARE(softphonesOf(tray.home()).size(), 1);

        // The softphone is up now: the next call rings in that same process.
        Call *again = alice.client->callUser(QStringLiteral("bob"));
        QTRY_VERIFY2_WITH_TIMEOUT(again->state() != CallState::Initiating, "bob never rang",
                                  kSlowMs);
        QCOMPARE(again->state(), CallState::Progressing);
        QCOMPARE(softphonesOf(tray.home()).size(), 1);
        again->hangup();
        QTRY_COMPARE_WITH_TIMEOUT(again->state(), CallState::Ended, 20000);
        QCOMPARE(tray.process.state(), QProcess::Running);
    }

    // `softphone-tray --sign-out` reaches the running agent, which unregisters:
    // bob's device gets no more pushes, so a call to him finds no device.
    void signOutEndsPushes()
    {
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        QVERIFY(server.addUser(QStringLiteral("alice"), QStringLiteral("pw-alice")));
        QVERIFY(server.addUser(QStringLiteral("bob"), QStringLiteral("pw-bob")));
        QTemporaryDir home;
        Tray tray(home);
        tray.signIn(server, QStringLiteral("bob"));
        QVERIFY2(tray.waitForState(QStringLiteral("online"), 60000),
                 qPrintable(QJsonDocument(tray.lastState).toJson()));

        QProcess signOut;
        signOut.setProcessEnvironment(tray.process.processEnvironment());
        signOut.start(qEnvironmentVariable("SOFTPHONE_TRAY_BIN"), {QStringLiteral("--sign-out")});
        QTRY_VERIFY_WITH_TIMEOUT(signOut.state() == QProcess::NotRunning, 30000);
        QVERIFY2(signOut.exitCode() == 0, signOut.readAllStandardError().constData());
        QVERIFY2(tray.waitForState(QStringLiteral("signed_out"), 20000),
                 qPrintable(QJsonDocument(tray.lastState).toJson()));
        QVERIFY(tray.lastState.value(QStringLiteral("reason")).toString().contains("Signed out"));

        Caller alice(server, QStringLiteral("alice"));
        QVERIFY(alice.start());
        QSignalSpy pairs(alice.client.get(), &SoftphoneClient::callShouldSendPushNotification);
        Call *call = alice.client->callUser(QStringLiteral("bob"));
        QTRY_COMPARE_WITH_TIMEOUT(call->state(), CallState::Ended, 20000);
        QCOMPARE(call->details().endCause, softphone::client::EndCause::Failure);
        QVERIFY(call->details().error);
        QCOMPARE(call->details().error->code, QStringLiteral("no_device"));
        QCOMPARE(pairs.count(), 0);
        QVERIFY(softphonesOf(tray.home()).isEmpty());
    }

    void signOutWithoutAgentSaysSo()
    {
        QTemporaryDir home;
        Tray idle(home); // never started: only its environment
        QProcess signOut;
        signOut.setProcessEnvironment(idle.process.processEnvironment());
        signOut.start(qEnvironmentVariable("SOFTPHONE_TRAY_BIN"), {QStringLiteral("--sign-out")});
        QVERIFY(signOut.waitForFinished(30000));
        QCOMPARE(signOut.exitCode(), 1);
        QVERIFY(signOut.readAllStandardError().contains("no softphone-tray is running"));
    }

private:
    NotificationListener m_listener;
};

QTEST_GUILESS_MAIN(TstTrayPush)
#include "tst_tray_push.moc"
