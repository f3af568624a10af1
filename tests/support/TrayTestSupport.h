#pragma once
// Shared by the tray agent tests (tests/integration/tray, the desktop and
// push-pair security tests, tst_gui_tray, bench_tray_wake): the real
// softphone-tray executable with its own HOME and runtime dir (or a runtime
// dir of the test's choosing), the softphone
// processes it starts, a caller on the real calling service, a notification
// daemon on the session bus, and read-only looks at what the user and the
// services hold (history, the calling service's push registration, the
// agent's PushChannel state file). Test code only (nested event loops).
#include "Processes.h"
#include "ServerProcess.h"
#include "client/CallVoice.h"
#include "client/PushPairSender.h"
#include "client/SoftphoneClient.h"
#include "crypto/EcKey.h"
#include "crypto/SealedPushData.h"
#include "push/WebPushData.h"
#include "storage/CallHistory.h"
#include "storage/Database.h"
#include "storage/Settings.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusContext>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>
#include <functional>
#include <memory>

namespace traytest {

using softphone::client::Call;
using softphone::client::CallState;
using softphone::client::EndCause;
using softphone::client::SoftphoneClient;
using softphone::test::ServerProcess;

// Cold starts of the ASan softphone (keychain, sign-in, claim) take a while.
inline constexpr int kSlowMs = 90000;

// Stands in for the desktop's notification daemon: records every Notify from
// the process `from` (the test's agent; other tests' agents may share the
// session bus when ctest runs in parallel) and answers the others alike.
class NotificationListener : public QObject, protected QDBusContext
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")

public:
    qint64 from = 0; // 0: record everyone's
    struct Shown
    {
        uint id = 0;
        QString summary;
        QString body;
        QStringList actions; // key, label, key, label...
        bool closed = false;
    };
    QList<Shown> shown;
    uint lastId = 0;

    bool hasShown(const QString &summary, const QString &bodyPart) const
    {
        return find(summary, bodyPart) != nullptr;
    }
    const Shown *find(const QString &summary, const QString &bodyPart) const
    {
        for (const Shown &s : shown)
            if (s.summary == summary && s.body.contains(bodyPart))
                return &s;
        return nullptr;
    }
    bool isClosed(uint id) const
    {
        for (const Shown &s : shown)
            if (s.id == id)
                return s.closed;
        return false;
    }
    // The user clicks an action: the daemon emits ActionInvoked, and then
    // (unless the notification stays, as "resident" ones do) closes it.
    void invoke(uint id, const QString &action, bool close = true)
    {
        QDBusConnection bus = QDBusConnection::sessionBus();
        QDBusMessage signal = QDBusMessage::createSignal(
            QStringLiteral("/org/freedesktop/Notifications"),
            QStringLiteral("org.freedesktop.Notifications"), QStringLiteral("ActionInvoked"));
        signal << id << action;
        bus.send(signal);
        if (!close)
            return;
        QDBusMessage closed = QDBusMessage::createSignal(
            QStringLiteral("/org/freedesktop/Notifications"),
            QStringLiteral("org.freedesktop.Notifications"), QStringLiteral("NotificationClosed"));
        closed << id << uint(2); // dismissed by the user
        bus.send(closed);
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
                const QStringList &actions, const QVariantMap &, int)
    {
        ++lastId;
        if (from == 0 ||
            connection().interface()->servicePid(message().service()).value() == uint(from))
            shown.append({lastId, summary, body, actions, false});
        return lastId;
    }
    void CloseNotification(uint id)
    {
        for (Shown &s : shown)
            if (s.id == id)
                s.closed = true;
    }
};

inline QString softphoneBinary()
{
    return QFileInfo(qEnvironmentVariable("SOFTPHONE_BIN")).canonicalFilePath();
}

// Softphone processes of this test's HOME (the agent starts them detached).
inline QList<qint64> softphonesOf(const QString &home)
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
inline void stopSoftphones(const QString &home)
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

// The agent process; its --report-state lines are read while the event loop
// runs (the notification listener lives on it).
class Tray
{
public:
    struct Options
    {
        // HOME, with config, data and (unless runtimeDir) the runtime folder
        // "run" under it; empty: this process's own (a GUI test's SoftphoneApp
        // shares its settings and keychain).
        QString home;
        QString runtimeDir;   // empty: <home>/run, made 0700
        QString softphoneBin; // what a push starts; empty: SOFTPHONE_BIN as given
        // On the session's X display (xcb), where a tray host embeds its icon
        // and the softphones it starts show their windows; else offscreen.
        bool onDisplay = false;
    };

    explicit Tray(const QTemporaryDir &home)
        : Tray(Options{home.path(), {}, {}})
    {}
    explicit Tray(const Options &options)
        : m_home(options.home)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        QString runtimeDir = options.runtimeDir;
        if (!m_home.isEmpty()) {
            env.insert(QStringLiteral("HOME"), m_home);
            env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home + QStringLiteral("/config"));
            env.insert(QStringLiteral("XDG_DATA_HOME"), m_home + QStringLiteral("/data"));
            if (runtimeDir.isEmpty()) {
                runtimeDir = m_home + QStringLiteral("/run");
                QDir().mkpath(runtimeDir);
                QFile::setPermissions(runtimeDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                      QFileDevice::ExeOwner);
            }
        }
        if (!runtimeDir.isEmpty())
            env.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtimeDir);
        if (!options.softphoneBin.isEmpty())
            env.insert(QStringLiteral("SOFTPHONE_BIN"), options.softphoneBin);
        env.insert(QStringLiteral("QT_QPA_PLATFORM"),
                   options.onDisplay ? QStringLiteral("xcb") : QStringLiteral("offscreen"));
        process.setProcessEnvironment(env);
        process.setProcessChannelMode(QProcess::SeparateChannels);
    }
    ~Tray()
    {
        stop();
        if (!m_home.isEmpty())
            stopSoftphones(m_home);
    }
    // softphone-tray args --report-state, with input on its standard input.
    void start(const QStringList &args, const QByteArray &input = {})
    {
        softphone::test::dieWithTest(process);
        process.start(qEnvironmentVariable("SOFTPHONE_TRAY_BIN"),
                      QStringList(args) << QStringLiteral("--report-state"));
        if (!input.isEmpty())
            process.write(input);
        process.closeWriteChannel();
    }
    void signIn(const ServerProcess &server, const QString &user)
    {
        start({QStringLiteral("--server"), server.appServerUrl().toString(),
               QStringLiteral("--user"), user, QStringLiteral("--password-stdin")},
              QByteArray("password-") + user.toUtf8() + '\n');
    }
    // Waits for a state line with this state; the last one seen in lastState.
    bool waitForState(const QString &state, int timeoutMs)
    {
        return waitForStateWhere(
            [&](const QJsonObject &line) {
                return line.value(QStringLiteral("state")).toString() == state;
            },
            timeoutMs);
    }
    // Waits for a new state line for which `wanted` holds; the last one seen in lastState.
    bool waitForStateWhere(const std::function<bool(const QJsonObject &)> &wanted, int timeoutMs)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            while (process.canReadLine()) {
                const QJsonObject line =
                    QJsonDocument::fromJson(process.readLine().trimmed()).object();
                if (line.value(QStringLiteral("event")) != QLatin1String("state"))
                    continue;
                lastState = line;
                if (wanted(line))
                    return true;
            }
            if (process.state() == QProcess::NotRunning)
                return false;
            QTest::qWait(50);
        }
        return false;
    }
    // `softphone-tray --sign-out` in the agent's environment: its exit code
    // (-1 when it did not end in 30 s) and its standard error in *err.
    int signOut(QByteArray *err = nullptr)
    {
        QProcess signOut;
        signOut.setProcessEnvironment(process.processEnvironment());
        signOut.start(qEnvironmentVariable("SOFTPHONE_TRAY_BIN"), {QStringLiteral("--sign-out")});
        const bool ended =
            QTest::qWaitFor([&] { return signOut.state() == QProcess::NotRunning; }, 30000);
        if (err)
            *err = signOut.readAllStandardError();
        if (!ended)
            softphone::test::stopProcess(signOut);
        return ended ? signOut.exitCode() : -1;
    }
    void stop() { softphone::test::stopProcess(process); }
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

// The common start of the agent tests: the server with alice and bob (passwords
// "password-<name>", as Tray::signIn sends), and bob's agent, with a HOME of
// its own, signed in and online.
struct BobOnline
{
    // onDisplay: the agent on the X display; softphoneBin: what a push starts
    // (see Tray::Options).
    explicit BobOnline(bool onDisplay = false, const QString &softphoneBin = {})
        : tray(Tray::Options{home.path(), {}, softphoneBin, onDisplay})
    {}

    ServerProcess server;
    QTemporaryDir home;
    Tray tray;
    QString problem; // what went wrong in start()

    bool start()
    {
        problem = startAll();
        return problem.isEmpty();
    }

private:
    QString startAll()
    {
        if (!server.start())
            return server.lastError();
        for (const QString &user : {QStringLiteral("alice"), QStringLiteral("bob")})
            if (!server.addUser(user, QStringLiteral("password-") + user))
                return QStringLiteral("cannot add the user %1").arg(user);
        tray.signIn(server, QStringLiteral("bob"));
        if (!tray.waitForState(QStringLiteral("online"), 60000))
            return QStringLiteral("bob's agent never came online: %1")
                .arg(QString::fromUtf8(QJsonDocument(tray.lastState).toJson()));
        return {};
    }
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
        client->setCallMedia(softphone::client::CallVoice::create);
        client->setAccessToken(
            server.login(user, QStringLiteral("password-") + user, config.deviceId));
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

// The agent tests need the real tray and softphone: what is missing, or "".
inline QString missingBinaries()
{
    if (!QFileInfo(qEnvironmentVariable("SOFTPHONE_TRAY_BIN")).isExecutable())
        return QStringLiteral("SOFTPHONE_TRAY_BIN not set");
    return softphoneBinary().isEmpty() ? QStringLiteral("SOFTPHONE_BIN not set") : QString();
}

// The initTestCase() of the agent tests: fails the test when a binary is missing.
inline void requireBinaries()
{
    const QString missing = missingBinaries();
    QVERIFY2(missing.isEmpty(), qPrintable(missing));
}

// alice (or another caller the server knows) calls bob, whose only device is
// reached by push: bob's softphone must ring (the caller sees progress); then
// the caller hangs up. What went wrong, or "".
inline QString aliceRingsBobThroughPush(ServerProcess &server,
                                        const QString &caller = QStringLiteral("alice"))
{
    Caller alice(server, caller);
    if (!alice.start())
        return QStringLiteral("alice did not start");
    Call *call = alice.client->callUser(QStringLiteral("bob"));
    if (!QTest::qWaitFor([call] { return call->state() != CallState::Initiating; }, kSlowMs))
        return QStringLiteral("bob never rang");
    if (call->state() != CallState::Progressing)
        return QStringLiteral("the call is %1, not ringing").arg(int(call->state()));
    call->hangup();
    if (!QTest::qWaitFor([call] { return call->state() == CallState::Ended; }, 20000))
        return QStringLiteral("the call did not end after the hangup");
    return {};
}

// The missed calls the softphone's history holds, as "caller/cause".
inline QStringList missedCalls(const QString &databasePath)
{
    if (!QFileInfo::exists(databasePath))
        return {};
    softphone::storage::Database db(databasePath);
    if (!db.open())
        return {};
    QStringList calls;
    const softphone::storage::CallHistory history(db);
    for (const softphone::storage::CallRecord &record : history.recent(50))
        if (record.missed)
            calls.append(record.remoteUser + QLatin1Char('/') + record.endCause);
    return calls;
}

inline QStringList missedCallers(const QString &databasePath)
{
    QStringList callers = missedCalls(databasePath);
    for (QString &c : callers)
        c = c.section(QLatin1Char('/'), 0, 0);
    return callers;
}

// The push data the calling service holds for the user's device (its
// calling.db, read-only while it runs, or its PostgreSQL); empty when there is none.
inline QByteArray registeredPushData(const ServerProcess &server, const QString &user)
{
    if (server.postgres()) // a run on PostgreSQL (SOFTPHONE_TEST_DATABASE=postgresql)
        return QByteArray::fromBase64(
            server.postgres()
                ->query(QStringLiteral("SELECT encode(data, 'base64') FROM "
                                       "calling.push_registrations WHERE \"user\" = '%1'")
                            .arg(QString(user).replace(u'\'', QStringLiteral("''"))))
                .remove(u'\n')
                .toLatin1());
    const QString name = QStringLiteral("registered-push-data");
    QByteArray data;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(QDir(server.dataDir()).filePath(QStringLiteral("calling.db")));
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=2000"));
        if (db.open()) {
            QSqlQuery q(db);
            q.prepare(QStringLiteral("SELECT data FROM push_registrations WHERE user = ?"));
            q.addBindValue(user);
            if (q.exec() && q.next())
                data = q.value(0).toByteArray();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return data;
}

// The server's push-data key in <data-dir>/keys (file: push-data.pem or
// push-data.previous.pem); null if absent.
inline softphone::crypto::EcKey serverPushDataKey(const ServerProcess &server,
                                                  const QString &file = "push-data.pem")
{
    QFile pem(QDir(server.dataDir()).filePath(QStringLiteral("keys/") + file));
    if (!pem.open(QIODevice::ReadOnly))
        return {};
    return softphone::crypto::EcKey::fromPem(pem.readAll()).value_or(softphone::crypto::EcKey());
}

// The endpoint inside the sealed push data the calling service holds for the
// user (opened with the server's keys, as only the application server can);
// empty when there is none or it does not open.
inline QString registeredEndpoint(const ServerProcess &server, const QString &user)
{
    const QByteArray sealed = registeredPushData(server, user);
    for (const QString &file :
         {QStringLiteral("push-data.pem"), QStringLiteral("push-data.previous.pem")}) {
        QString why;
        const auto key = serverPushDataKey(server, file);
        const auto opened =
            key.isNull() ? std::nullopt : softphone::crypto::openSealedPushData(key, sealed, &why);
        if (!opened)
            continue;
        const auto data = softphone::push::WebPushData::fromJson(*opened, &why);
        return data ? data->subscription.endpoint.toString() : QString();
    }
    return {};
}

// The endpoint of the agent's "softphone" subscription (its PushChannel state
// file, which holds no secrets); empty while it has none.
inline QString agentEndpoint(const QString &home)
{
    QFile file(home + QStringLiteral("/data/softphone/softphone/tray/push-channel.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QJsonArray subscriptions = QJsonDocument::fromJson(file.readAll())
                                         .object()
                                         .value(QStringLiteral("subscriptions"))
                                         .toArray();
    for (const QJsonValue &entry : subscriptions)
        if (entry.toObject().value(QStringLiteral("name")).toString() == QLatin1String("softphone"))
            return entry.toObject().value(QStringLiteral("endpoint")).toString();
    return {};
}

inline void setDoNotDisturb(const QString &home, bool on)
{
    softphone::storage::Settings settings(home + QStringLiteral("/config/softphone/softphone.ini"));
    settings.setValue(softphone::storage::Settings::Key::DoNotDisturb, on);
    settings.sync();
}

} // namespace traytest
