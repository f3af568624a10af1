// The single-instance socket: a second launch hands its arguments to the first
// and stops; the versioned JSON line protocol answers bad input with an error
// and keeps serving. Also the real executable: a second `softphone URI` exits 0.
#include "softphone/AppOptions.h"
#include "softphone/InstanceChannel.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalSocket>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using softphone::app::AppOptions;
using softphone::app::InstanceChannel;

namespace {

// A first instance on a socket in a folder of the test's own.
struct First
{
    QTemporaryDir dir;
    QString path = dir.filePath(QStringLiteral("instance"));
    InstanceChannel channel{path};

    // True once it became the first instance (it listens).
    bool claim()
    {
        QSignalSpy primary(&channel, &InstanceChannel::becamePrimary);
        channel.claimOrForward({});
        return !primary.isEmpty() || primary.wait(5000);
    }
};

} // namespace

class TestInstanceChannel : public QObject
{
    Q_OBJECT

private:
    static QJsonObject exchange(const QString &path, const QByteArray &line)
    {
        QLocalSocket socket;
        socket.connectToServer(path);
        if (!socket.waitForConnected(5000))
            return {};
        socket.write(line);
        QByteArray reply;
        if (!QTest::qWaitFor(
                [&] {
                    reply += socket.readAll();
                    return reply.contains('\n');
                },
                5000))
            return {};
        return QJsonDocument::fromJson(reply.left(reply.indexOf('\n'))).object();
    }

private slots:
    void secondLaunchForwardsItsArguments()
    {
        First first;
        const QString &path = first.path;
        QSignalSpy activation(&first.channel, &InstanceChannel::activationRequested);
        QVERIFY(first.claim());
        // Only the user may connect.
        QCOMPARE(QFileInfo(path).permissions() &
                     (QFile::ReadOther | QFile::WriteOther | QFile::ReadGroup | QFile::WriteGroup),
                 QFile::Permissions());

        InstanceChannel second(path);
        QSignalSpy forwarded(&second, &InstanceChannel::forwarded);
        QSignalSpy secondPrimary(&second, &InstanceChannel::becamePrimary);
        second.claimOrForward({QStringLiteral("softphone:bob")});
        QTRY_COMPARE_WITH_TIMEOUT(forwarded.size(), 1, 5000);
        QCOMPARE(secondPrimary.size(), 0);
        QCOMPARE(activation.size(), 1);
        QCOMPARE(activation.at(0).at(0).toStringList(),
                 QStringList{QStringLiteral("softphone:bob")});
    }

    // Two launches at the same moment: one becomes the first, the other hands
    // its arguments to it (never two first instances).
    void simultaneousLaunchesMakeOneFirstInstance()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("instance"));
        InstanceChannel a(path), b(path);
        QSignalSpy aPrimary(&a, &InstanceChannel::becamePrimary);
        QSignalSpy bPrimary(&b, &InstanceChannel::becamePrimary);
        QSignalSpy aForwarded(&a, &InstanceChannel::forwarded);
        QSignalSpy bForwarded(&b, &InstanceChannel::forwarded);
        QSignalSpy aActivation(&a, &InstanceChannel::activationRequested);
        QSignalSpy bActivation(&b, &InstanceChannel::activationRequested);
        a.claimOrForward({QStringLiteral("--minimized")});
        b.claimOrForward({QStringLiteral("--answer"), QStringLiteral("c-1")});
        QTRY_COMPARE_WITH_TIMEOUT(aPrimary.size() + bPrimary.size(), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(aForwarded.size() + bForwarded.size(), 1, 10000);
        QCOMPARE(aPrimary.size(), bForwarded.size());
        const QSignalSpy &activation = aPrimary.size() == 1 ? aActivation : bActivation;
        QCOMPARE(activation.size(), 1);
        const QStringList expected =
            aPrimary.size() == 1 ? QStringList{QStringLiteral("--answer"), QStringLiteral("c-1")}
                                 : QStringList{QStringLiteral("--minimized")};
        QCOMPARE(activation.at(0).at(0).toStringList(), expected);
    }

    void staleSocketFileIsTakenOver()
    {
        First first;
        {
            QFile stale(first.path);
            QVERIFY(stale.open(QIODevice::WriteOnly)); // left by a crashed instance
        }
        QVERIFY(first.claim());
    }

    void badLinesGetErrorsAndTheChannelKeepsServing()
    {
        First first;
        const QString &path = first.path;
        QSignalSpy push(&first.channel, &InstanceChannel::pushPayloadReceived);
        QVERIFY(first.claim());

        QCOMPARE(exchange(path, "not json\n").value(QStringLiteral("code")).toString(),
                 QStringLiteral("bad_json"));
        QCOMPARE(exchange(path, "{\"v\":2,\"type\":\"activate\"}\n")
                     .value(QStringLiteral("code"))
                     .toString(),
                 QStringLiteral("unsupported_version"));
        QCOMPARE(exchange(path, "{\"v\":1,\"type\":\"nope\"}\n")
                     .value(QStringLiteral("code"))
                     .toString(),
                 QStringLiteral("unknown_type"));
        QCOMPARE(exchange(path, "{\"v\":1,\"type\":\"activate\",\"args\":[1]}\n")
                     .value(QStringLiteral("code"))
                     .toString(),
                 QStringLiteral("bad_request"));
        QCOMPARE(
            exchange(path, QByteArray(70000, 'x') + '\n').value(QStringLiteral("code")).toString(),
            QStringLiteral("too_large"));
        QCOMPARE(push.size(), 0);
        const QJsonObject ok =
            exchange(path, "{\"v\":1,\"type\":\"push\",\"payload\":\"eyJ0eXAi.x.y\"}\n");
        QCOMPARE(ok.value(QStringLiteral("type")).toString(), QStringLiteral("ok"));
        QCOMPARE(push.size(), 1);
        QCOMPARE(push.at(0).at(0).toString(), QStringLiteral("eyJ0eXAi.x.y"));
    }

    // The agent's push status: the documented states only, each with what it
    // needs; the "ok" to a push carries the fields the app adds.
    void pushStatusLinesAreChecked()
    {
        First first;
        const QString &path = first.path;
        QSignalSpy status(&first.channel, &InstanceChannel::agentPushStatusReceived);
        first.channel.setPushAnswerFields([] {
            return QJsonObject{{QStringLiteral("handledCalls"), QStringLiteral("x")}};
        });
        QVERIFY(first.claim());

        const QList<QByteArray> bad{
            "{'v':1,'type':'push_status'}",
            "{'v':1,'type':'push_status','state':'online','endpointHost':'h'}",
            "{'v':1,'type':'push_status','state':'registered'}",
            "{'v':1,'type':'push_status','state':'failed'}",
            "{'v':1,'type':'push_status','state':'off','reason':7}",
        };
        auto json = [](QByteArray line) { return line.replace('\'', '"') + '\n'; };
        for (const QByteArray &line : bad)
            QCOMPARE(exchange(path, json(line)).value(QStringLiteral("code")).toString(),
                     QStringLiteral("bad_request"));
        QCOMPARE(status.size(), 0);

        const QByteArray registered = json("{'v':1,'type':'push_status','state':'registered',"
                                           "'endpointHost':'push.example.org:443'}");
        QCOMPARE(exchange(path, registered).value(QStringLiteral("type")).toString(),
                 QStringLiteral("ok"));
        const QByteArray off =
            json("{'v':1,'type':'push_status','state':'off','reason':'Signed out'}");
        QCOMPARE(exchange(path, off).value(QStringLiteral("type")).toString(),
                 QStringLiteral("ok"));
        QCOMPARE(status.size(), 2);
        QCOMPARE(status.at(0).at(0).toString(), QStringLiteral("registered"));
        QCOMPARE(status.at(0).at(1).toString(), QStringLiteral("push.example.org:443"));
        QCOMPARE(status.at(1).at(0).toString(), QStringLiteral("off"));
        QCOMPARE(status.at(1).at(2).toString(), QStringLiteral("Signed out"));

        const QJsonObject ok = exchange(path, json("{'v':1,'type':'push','payload':'a.b.c'}"));
        QCOMPARE(ok.value(QStringLiteral("type")).toString(), QStringLiteral("ok"));
        QCOMPARE(ok.value(QStringLiteral("handledCalls")).toString(), QStringLiteral("x"));
    }

    // The notification's actions on the command line (forwarded as "activate").
    void callActionsOnTheCommandLine()
    {
        QString error;
        auto options = AppOptions::parse({QStringLiteral("softphone"), QStringLiteral("--answer"),
                                          QStringLiteral("5163189c-c698-4933-bff6-bc2be47226e8")},
                                         &error);
        QVERIFY2(options, qPrintable(error));
        QCOMPARE(options->answerCall, QStringLiteral("5163189c-c698-4933-bff6-bc2be47226e8"));
        QVERIFY(options->declineCall.isEmpty());
        options = AppOptions::parse({QStringLiteral("softphone"), QStringLiteral("--minimized"),
                                     QStringLiteral("--decline"), QStringLiteral("c-1")},
                                    &error);
        QVERIFY2(options, qPrintable(error));
        QCOMPARE(options->declineCall, QStringLiteral("c-1"));
        QVERIFY(options->minimized);
        QVERIFY(!AppOptions::parse({QStringLiteral("softphone"), QStringLiteral("--answer"),
                                    QStringLiteral("a"), QStringLiteral("--decline"),
                                    QStringLiteral("b")},
                                   &error));
        QCOMPARE(error, QStringLiteral("--answer and --decline exclude each other."));
        QVERIFY(!AppOptions::parse(
            {QStringLiteral("softphone"), QStringLiteral("--answer"), QStringLiteral("a b")},
            &error));
        QCOMPARE(error, QStringLiteral("Not a call id: a b"));
    }

    // The tray menu's "Call…": the dialer in front (forwarded as "activate").
    void dialerOnTheCommandLine()
    {
        QString error;
        auto options =
            AppOptions::parse({QStringLiteral("softphone"), QStringLiteral("--dialer")}, &error);
        QVERIFY2(options, qPrintable(error));
        QVERIFY(options->showDialer);
        QVERIFY(!options->minimized);
        options = AppOptions::parse({QStringLiteral("softphone")}, &error);
        QVERIFY(options && !options->showDialer);
    }

    void realExecutableHandsOverToTheRunningOne()
    {
        const QString bin = qEnvironmentVariable("SOFTPHONE_BIN");
        QVERIFY2(!bin.isEmpty(), "SOFTPHONE_BIN is not set");
        QTemporaryDir home;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), home.path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
        QDir().mkpath(home.filePath(QStringLiteral("run")));
        QFile::setPermissions(home.filePath(QStringLiteral("run")),
                              QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), home.filePath(QStringLiteral("run")));
        if (env.value(QStringLiteral("DISPLAY")).isEmpty())
            env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));

        QProcess first;
        first.setProcessEnvironment(env);
        first.start(bin, {QStringLiteral("--report-startup")});
        QVERIFY(first.waitForStarted());
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT(
            (out += first.readAllStandardOutput()).contains("\"event\":\"ready\""), 30000);

        QProcess second;
        second.setProcessEnvironment(env);
        second.start(bin, {QStringLiteral("softphone:bob")});
        QVERIFY(second.waitForFinished(30000));
        QCOMPARE(second.exitCode(), 0);
        QVERIFY(first.state() == QProcess::Running); // the first one goes on

        QProcess bad;
        bad.setProcessEnvironment(env);
        bad.start(bin, {QStringLiteral("mailto:bob")});
        QVERIFY(bad.waitForFinished(30000));
        QCOMPARE(bad.exitCode(), 2);
        QVERIFY(bad.readAllStandardError().contains("Not a softphone: or tel: URI"));

        first.terminate();
        QVERIFY(first.waitForFinished(10000));
    }
};

QTEST_GUILESS_MAIN(TestInstanceChannel)
#include "tst_instancechannel.moc"
