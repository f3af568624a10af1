// softphone-cli as a user runs it: two real processes calling each other through
// a real server, and the clear errors of a failed sign-in or call.

#include "support/ServerProcess.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using softphone::test::ServerProcess;

namespace {

QString passwordOf(const QString &user)
{
    return user + QStringLiteral("-correct-horse-battery");
}

// A softphone-cli process with its JSON lines collected as they come.
class Cli
{
public:
    Cli(const QUrl &server, const QString &user, const QString &password,
        const QStringList &command, const QString &device = QStringLiteral("cli"))
    {
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process, [this] {
            m_buffer += m_process.readAllStandardOutput();
            qsizetype nl;
            while ((nl = m_buffer.indexOf('\n')) >= 0) {
                const QByteArray line = m_buffer.left(nl);
                m_buffer.remove(0, nl + 1);
                QJsonParseError error;
                const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
                if (!doc.isObject())
                    m_garbage << QString::fromUtf8(line);
                else
                    m_events << doc.object();
            }
        });
        m_process.start(qEnvironmentVariable("SOFTPHONE_CLI_BIN"),
                        QStringList{QStringLiteral("--server"), server.toString(),
                                    QStringLiteral("--user"), user, QStringLiteral("--device"),
                                    device, QStringLiteral("--password-stdin")} +
                            command);
        m_process.write(password.toUtf8() + '\n');
        m_process.closeWriteChannel();
    }
    ~Cli()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished();
        }
    }

    bool finished(int timeoutMs = 30000)
    {
        return QTest::qWaitFor([this] { return m_process.state() == QProcess::NotRunning; },
                               timeoutMs);
    }
    int exitCode() const { return m_process.exitCode(); }
    const QList<QJsonObject> &events() const { return m_events; }
    QStringList garbage() const { return m_garbage; }

    // Events named `name`, in order.
    QList<QJsonObject> named(const QString &name) const
    {
        QList<QJsonObject> result;
        for (const QJsonObject &event : m_events)
            if (event.value(QLatin1StringView("event")).toString() == name)
                result << event;
        return result;
    }
    bool has(const QString &name) const { return !named(name).isEmpty(); }
    QStringList states() const
    {
        QStringList result;
        for (const QJsonObject &event : named(QStringLiteral("state")))
            result << event.value(QLatin1StringView("state")).toString();
        return result;
    }

private:
    QProcess m_process;
    QByteArray m_buffer;
    QList<QJsonObject> m_events;
    QStringList m_garbage;
};

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private:
    ServerProcess m_server;

    // `push register` for this user's device, as a user does before `offline`.
    void registerPush(const QString &user, const QString &device, const QStringList &stateDir)
    {
        Cli registration(m_server.appServerUrl(), user, passwordOf(user),
                         QStringList{QStringLiteral("push"), QStringLiteral("register")} + stateDir,
                         device);
        QVERIFY(registration.finished());
        QCOMPARE(registration.exitCode(), 0);
        QVERIFY(registration.has(QStringLiteral("push_registered")));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(!qEnvironmentVariableIsEmpty("SOFTPHONE_CLI_BIN"));
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        for (const char *user : {"alice", "bob", "carol", "dave"})
            QVERIFY(m_server.addUser(QLatin1StringView(user), passwordOf(QLatin1StringView(user))));
    }

    void callAndAnswer()
    {
        Cli bob(m_server.appServerUrl(), QStringLiteral("bob"), passwordOf(QStringLiteral("bob")),
                {QStringLiteral("answer"), QStringLiteral("--after"), QStringLiteral("1")});
        QTRY_VERIFY_WITH_TIMEOUT(
            bob.has(QStringLiteral("waiting")) || bob.has(QStringLiteral("error")), 30000);
        QVERIFY(!bob.has(QStringLiteral("error")));

        Cli alice(m_server.appServerUrl(), QStringLiteral("alice"),
                  passwordOf(QStringLiteral("alice")),
                  {QStringLiteral("call"), QStringLiteral("bob"), QStringLiteral("--header"),
                   QStringLiteral("subject=lunch"), QStringLiteral("--hangup-after"),
                   QStringLiteral("1")});
        QVERIFY(alice.finished());
        QVERIFY(bob.finished());
        QCOMPARE(alice.exitCode(), 0);
        QCOMPARE(bob.exitCode(), 0);
        QVERIFY2(alice.garbage().isEmpty(), qPrintable(alice.garbage().join(u'\n')));
        QVERIFY2(bob.garbage().isEmpty(), qPrintable(bob.garbage().join(u'\n')));

        QVERIFY(alice.has(QStringLiteral("started")));
        QCOMPARE(alice.states(),
                 (QStringList{QStringLiteral("progressing"), QStringLiteral("established")}));
        const QString callId = alice.named(QStringLiteral("calling"))
                                   .value(0)
                                   .value(QLatin1StringView("callId"))
                                   .toString();
        QVERIFY(!callId.isEmpty());
        const auto aliceEnded = alice.named(QStringLiteral("ended"));
        QCOMPARE(aliceEnded.size(), 1);
        QCOMPARE(aliceEnded.first().value(QLatin1StringView("cause")).toString(),
                 QStringLiteral("hung_up"));
        QVERIFY(aliceEnded.first().value(QLatin1StringView("error")).isNull());

        const auto incoming = bob.named(QStringLiteral("incoming"));
        QCOMPARE(incoming.size(), 1);
        QCOMPARE(incoming.first().value(QLatin1StringView("callId")).toString(), callId);
        QCOMPARE(incoming.first().value(QLatin1StringView("remote")).toString(),
                 QStringLiteral("alice"));
        QCOMPARE(incoming.first()
                     .value(QLatin1StringView("headers"))
                     .toObject()
                     .value(QLatin1StringView("subject"))
                     .toString(),
                 QStringLiteral("lunch"));
        QCOMPARE(bob.states(), QStringList{QStringLiteral("established")});
        const auto bobEnded = bob.named(QStringLiteral("ended"));
        QCOMPARE(bobEnded.size(), 1);
        QCOMPARE(bobEnded.first().value(QLatin1StringView("cause")).toString(),
                 QStringLiteral("hung_up"));
    }

    // `offline` holds only the push channel: a call to its user reaches it as a
    // Web Push, the relayed payload starts a client that claims the call and
    // (with --answer) answers it, and the device goes back to push-only after.
    void offlineDeviceRingsThroughPush()
    {
        QTemporaryDir state;
        QVERIFY(state.isValid());
        const QStringList stateDir{QStringLiteral("--state-dir"), state.path()};
        const QString carolPassword = passwordOf(QStringLiteral("carol"));
        registerPush(QStringLiteral("carol"), QStringLiteral("laptop"), stateDir);
        if (QTest::currentTestFailed())
            return;
        Cli carol(m_server.appServerUrl(), QStringLiteral("carol"), carolPassword,
                  QStringList{QStringLiteral("offline"), QStringLiteral("--answer")} + stateDir,
                  QStringLiteral("laptop"));
        QTRY_VERIFY_WITH_TIMEOUT(carol.has(QStringLiteral("offline_ready")) ||
                                     carol.has(QStringLiteral("error")),
                                 30000);
        QVERIFY(!carol.has(QStringLiteral("error")));

        Cli alice(m_server.appServerUrl(), QStringLiteral("alice"),
                  passwordOf(QStringLiteral("alice")),
                  {QStringLiteral("call"), QStringLiteral("carol"),
                   QStringLiteral("--hangup-after"), QStringLiteral("1")});
        QVERIFY(alice.finished(60000));
        QCOMPARE(alice.exitCode(), 0);
        // The caller's app handed one pair to the application server, delivered.
        const auto pushed = alice.named(QStringLiteral("push_sent"));
        QCOMPARE(pushed.size(), 1);
        const QJsonArray results = pushed.first().value(QLatin1StringView("results")).toArray();
        QCOMPARE(results.size(), 1);
        QCOMPARE(results.first().toObject().value(QLatin1StringView("device")).toString(),
                 QStringLiteral("laptop"));
        QCOMPARE(results.first().toObject().value(QLatin1StringView("outcome")).toString(),
                 QStringLiteral("delivered"));
        QCOMPARE(alice.states(),
                 (QStringList{QStringLiteral("progressing"), QStringLiteral("established")}));
        QCOMPARE(alice.named(QStringLiteral("ended"))
                     .value(0)
                     .value(QLatin1StringView("cause"))
                     .toString(),
                 QStringLiteral("hung_up"));

        // The offline device: push in, relayed, rang, answered, ended, offline again.
        QTRY_VERIFY_WITH_TIMEOUT(carol.has(QStringLiteral("offline")), 30000);
        QVERIFY(carol.has(QStringLiteral("push_received")));
        const auto relayed = carol.named(QStringLiteral("relay_result"));
        QVERIFY(!relayed.isEmpty());
        QCOMPARE(carol.named(QStringLiteral("incoming")).size(), 1);
        QCOMPARE(carol.named(QStringLiteral("incoming"))
                     .first()
                     .value(QLatin1StringView("remote"))
                     .toString(),
                 QStringLiteral("alice"));
        QVERIFY(carol.states().contains(QStringLiteral("established")));
        QCOMPARE(carol.named(QStringLiteral("ended"))
                     .value(0)
                     .value(QLatin1StringView("cause"))
                     .toString(),
                 QStringLiteral("hung_up"));
        QVERIFY2(carol.garbage().isEmpty(), qPrintable(carol.garbage().join(u'\n')));
    }

    void declineReportsDenied()
    {
        Cli bob(m_server.appServerUrl(), QStringLiteral("bob"), passwordOf(QStringLiteral("bob")),
                {QStringLiteral("answer"), QStringLiteral("--decline")});
        QTRY_VERIFY_WITH_TIMEOUT(bob.has(QStringLiteral("waiting")), 30000);
        Cli alice(m_server.appServerUrl(), QStringLiteral("alice"),
                  passwordOf(QStringLiteral("alice")),
                  {QStringLiteral("call"), QStringLiteral("bob")});
        QVERIFY(alice.finished());
        QVERIFY(bob.finished());
        QCOMPARE(alice.exitCode(), 0);
        QCOMPARE(bob.exitCode(), 0);
        QCOMPARE(alice.named(QStringLiteral("ended"))
                     .value(0)
                     .value(QLatin1StringView("cause"))
                     .toString(),
                 QStringLiteral("denied"));
    }

    void badPassword()
    {
        Cli alice(m_server.appServerUrl(), QStringLiteral("alice"),
                  QStringLiteral("wrong password"), {QStringLiteral("listen")});
        QVERIFY(alice.finished());
        QCOMPARE(alice.exitCode(), 3);
        const auto errors = alice.named(QStringLiteral("error"));
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.first()
                     .value(QLatin1StringView("message"))
                     .toString()
                     .contains(QStringLiteral("bad_credentials")),
                 qPrintable(errors.first().value(QLatin1StringView("message")).toString()));
        QVERIFY(!alice.has(QStringLiteral("started")));
    }

    void unreachableServer()
    {
        // A port that was just free: nothing listens there.
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost));
            port = probe.serverPort();
        }
        Cli alice(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)), QStringLiteral("alice"),
                  passwordOf(QStringLiteral("alice")), {QStringLiteral("listen")});
        QVERIFY(alice.finished());
        QCOMPARE(alice.exitCode(), 3);
        const QString message = alice.named(QStringLiteral("error"))
                                    .value(0)
                                    .value(QLatin1StringView("message"))
                                    .toString();
        QVERIFY2(message.contains(QStringLiteral("cannot reach")), qPrintable(message));
    }

    void unknownUserFailsTheCall()
    {
        Cli alice(m_server.appServerUrl(), QStringLiteral("alice"),
                  passwordOf(QStringLiteral("alice")),
                  {QStringLiteral("call"), QStringLiteral("nobody-here")});
        QVERIFY(alice.finished());
        QCOMPARE(alice.exitCode(), 1);
        const auto ended = alice.named(QStringLiteral("ended"));
        QCOMPARE(ended.size(), 1);
        QCOMPARE(ended.first().value(QLatin1StringView("cause")).toString(),
                 QStringLiteral("failure"));
        QCOMPARE(ended.first()
                     .value(QLatin1StringView("error"))
                     .toObject()
                     .value(QLatin1StringView("code"))
                     .toString(),
                 QStringLiteral("unknown_user"));
        QVERIFY(alice.named(QStringLiteral("error"))
                    .value(0)
                    .value(QLatin1StringView("message"))
                    .toString()
                    .contains(QStringLiteral("unknown_user")));
    }

    void usageErrors()
    {
        Cli noCommand(m_server.appServerUrl(), QStringLiteral("alice"),
                      passwordOf(QStringLiteral("alice")), {});
        QVERIFY(noCommand.finished());
        QCOMPARE(noCommand.exitCode(), 2);
        Cli wrongOption(m_server.appServerUrl(), QStringLiteral("alice"),
                        passwordOf(QStringLiteral("alice")),
                        {QStringLiteral("listen"), QStringLiteral("--decline")});
        QVERIFY(wrongOption.finished());
        QCOMPARE(wrongOption.exitCode(), 2);
        QVERIFY(wrongOption.named(QStringLiteral("error"))
                    .value(0)
                    .value(QLatin1StringView("message"))
                    .toString()
                    .contains(QStringLiteral("decline")));
    }

    // The push service loses its data (a new uaid, so a new endpoint): the
    // offline device registers the new push data by itself and is reachable.
    // Restarts the server, so it runs last.
    void offlineReregistersAfterEndpointChange()
    {
        QTemporaryDir state;
        QVERIFY(state.isValid());
        const QStringList stateDir{QStringLiteral("--state-dir"), state.path()};
        const QString davePassword = passwordOf(QStringLiteral("dave"));
        registerPush(QStringLiteral("dave"), QStringLiteral("desk"), stateDir);
        if (QTest::currentTestFailed())
            return;
        Cli dave(m_server.appServerUrl(), QStringLiteral("dave"), davePassword,
                 QStringList{QStringLiteral("offline"), QStringLiteral("--answer")} + stateDir,
                 QStringLiteral("desk"));
        QTRY_VERIFY_WITH_TIMEOUT(dave.has(QStringLiteral("offline_ready")), 30000);
        const QString before = dave.named(QStringLiteral("push_subscription"))
                                   .value(0)
                                   .value(QLatin1StringView("subscription"))
                                   .toObject()
                                   .value(QLatin1StringView("endpoint"))
                                   .toString();
        QVERIFY(!before.isEmpty());

        m_server.kill();
        for (const char *file : {"push.db", "push.db-wal", "push.db-shm"})
            QFile::remove(QDir(m_server.dataDir()).filePath(QLatin1StringView(file)));
        QVERIFY2(m_server.restart(), qPrintable(m_server.lastError()));

        QTRY_VERIFY_WITH_TIMEOUT(dave.has(QStringLiteral("push_endpoint_changed")), 60000);
        const QString after = dave.named(QStringLiteral("push_endpoint_changed"))
                                  .first()
                                  .value(QLatin1StringView("endpoint"))
                                  .toString();
        QVERIFY(after != before);
        QTRY_VERIFY_WITH_TIMEOUT(dave.has(QStringLiteral("push_registered")), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(dave.named(QStringLiteral("offline")).size() >= 1, 30000);

        Cli alice(m_server.appServerUrl(), QStringLiteral("alice"),
                  passwordOf(QStringLiteral("alice")),
                  {QStringLiteral("call"), QStringLiteral("dave"), QStringLiteral("--hangup-after"),
                   QStringLiteral("1")});
        QVERIFY(alice.finished(60000));
        QCOMPARE(alice.exitCode(), 0);
        QCOMPARE(alice.states(),
                 (QStringList{QStringLiteral("progressing"), QStringLiteral("established")}));
        // Its lines may still be on their way through the pipe.
        QTRY_COMPARE_WITH_TIMEOUT(dave.named(QStringLiteral("incoming")).size(), 1, 10000);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
