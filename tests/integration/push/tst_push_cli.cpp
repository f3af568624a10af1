// softphone-cli's push commands as a script would use them: `push listen` and
// `push send` as real processes against a real push service. What is checked
// is what the user sees: the subscription printed, the text arriving, a stored
// push arriving after a restart, and exit codes that say whether it worked.

#include "PushTestDevice.h"
#include "support/ServerProcess.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace softphone;
using namespace softphone::test;

namespace {

QString cliBinary()
{
    return qEnvironmentVariable("SOFTPHONE_CLI_BIN");
}

// A running `softphone-cli push listen`, read line by line.
class Listener
{
public:
    Listener(const QUrl &wsUrl, const QString &stateDir)
    {
        m_process.setProgram(cliBinary());
        m_process.setArguments({QStringLiteral("push"), QStringLiteral("listen"),
                                QStringLiteral("--push-url"), wsUrl.toString(),
                                QStringLiteral("--state-dir"), stateDir, QStringLiteral("--name"),
                                QStringLiteral("calls")});
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start();
    }
    ~Listener() { stop(); }

    // The next event line with this "event" value not returned before (lines of other
    // events stay for later calls: a stored push may come before the subscription line);
    // an empty object after timeoutMs.
    QJsonObject next(const QString &event, int timeoutMs = 30000)
    {
        const QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            while (m_process.canReadLine())
                m_seen.append(QJsonDocument::fromJson(m_process.readLine().trimmed()).object());
            for (int i = 0; i < m_seen.size(); ++i)
                if (!m_taken.contains(i) && m_seen.at(i).value(u"event").toString() == event) {
                    m_taken.insert(i);
                    return m_seen.at(i);
                }
            if (m_process.state() == QProcess::NotRunning)
                break;
            m_process.waitForReadyRead(int(std::max<qint64>(1, deadline.remainingTime())));
        }
        return {};
    }
    int stop()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(15000)) {
                m_process.kill();
                m_process.waitForFinished();
            }
        }
        return m_process.exitCode();
    }

private:
    QProcess m_process;
    QList<QJsonObject> m_seen;
    QSet<int> m_taken;
};

struct SendResult
{
    int exitCode = -1;
    QJsonObject event; // the push_sent line
    QByteArray stdErr;
};

SendResult cliSend(const QByteArray &subscriptionJson, const QString &text,
                   const QStringList &extra = {})
{
    QProcess process;
    process.start(cliBinary(), QStringList{QStringLiteral("push"), QStringLiteral("send"),
                                           QString::fromUtf8(subscriptionJson), text} +
                                   extra);
    SendResult result;
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
        return result;
    }
    result.exitCode = process.exitCode();
    result.stdErr = process.readAllStandardError();
    for (const QByteArray &line : process.readAllStandardOutput().split('\n')) {
        const QJsonObject json = QJsonDocument::fromJson(line).object();
        if (json.value(u"event").toString() == u"push_sent")
            result.event = json;
    }
    return result;
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

class TestPushCli : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY2(!cliBinary().isEmpty(), "SOFTPHONE_CLI_BIN is not set (run through ctest)");
        QString why;
        if (!keychainReachable(&why))
            QFAIL(qPrintable(why));
        m_server = std::make_unique<ServerProcess>(
            QStringList{QStringLiteral("--roles"), QStringLiteral("push")});
        QVERIFY2(m_server->start(), qPrintable(m_server->lastError()));
    }

    void listenPrintsWhatSendSent()
    {
        QTemporaryDir state;
        Listener listener(m_server->pushWsUrl(), state.path());
        const QJsonObject announced = listener.next(QStringLiteral("subscription"));
        QVERIFY2(!announced.isEmpty(), "push listen printed no subscription");
        const QJsonObject subscription = announced.value(u"subscription").toObject();
        QVERIFY(push::PushSubscription::fromJson(subscription).has_value());

        const QString text = QStringLiteral("incoming call from alice ☎");
        const SendResult sent = cliSend(compact(subscription), text,
                                        {QStringLiteral("--urgency"), QStringLiteral("high")});
        QCOMPARE(sent.exitCode, 0);
        QCOMPARE(sent.event.value(u"outcome").toString(), QStringLiteral("delivered"));
        QCOMPARE(sent.event.value(u"status").toInt(), 201);

        const QJsonObject received = listener.next(QStringLiteral("push"));
        QCOMPARE(received.value(u"text").toString(), text);
        QCOMPARE(received.value(u"name").toString(), QStringLiteral("calls"));
        QCOMPARE(listener.stop(), 0);
    }

    // Sent while the listener is stopped: stored, then printed by the next listen with the
    // same state dir, on the same subscription.
    void storedPushArrivesAfterRestart()
    {
        QTemporaryDir state;
        QByteArray subscription;
        {
            Listener listener(m_server->pushWsUrl(), state.path());
            subscription = compact(
                listener.next(QStringLiteral("subscription")).value(u"subscription").toObject());
            QVERIFY(subscription.contains("endpoint"));
        }
        const SendResult sent = cliSend(subscription, QStringLiteral("while you were away"),
                                        {QStringLiteral("--ttl"), QStringLiteral("600")});
        QCOMPARE(sent.exitCode, 0);
        QCOMPARE(sent.event.value(u"ttl").toInt(), 600);

        Listener again(m_server->pushWsUrl(), state.path());
        const QJsonObject announced = again.next(QStringLiteral("subscription"));
        QCOMPARE(compact(announced.value(u"subscription").toObject()), subscription);
        QCOMPARE(again.next(QStringLiteral("push")).value(u"text").toString(),
                 QStringLiteral("while you were away"));
    }

    void sendToUnknownEndpointIsGone()
    {
        QTemporaryDir state;
        Listener listener(m_server->pushWsUrl(), state.path());
        QJsonObject subscription =
            listener.next(QStringLiteral("subscription")).value(u"subscription").toObject();
        QVERIFY(!subscription.isEmpty());
        const QString endpoint = subscription.value(u"endpoint").toString();
        subscription.insert(QStringLiteral("endpoint"),
                            endpoint.left(endpoint.lastIndexOf(u'/') + 1) +
                                QStringLiteral("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        const SendResult sent = cliSend(compact(subscription), QStringLiteral("hello"));
        QCOMPARE(sent.exitCode, 1);
        QCOMPARE(sent.event.value(u"outcome").toString(), QStringLiteral("gone"));
        QCOMPARE(sent.event.value(u"status").toInt(), 404);
        // Nothing arrived at the real subscription.
        QVERIFY(listener.next(QStringLiteral("push"), 1000).isEmpty());
    }

    void badCommandLinesSayWhy_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        // RFC 8291's example keys: a valid subscription to a port nobody listens on.
        const QString good =
            QStringLiteral("{\"endpoint\":\"http://127.0.0.1:1/wpush/x\",\"keys\":{\"p256dh\":"
                           "\"BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-"
                           "AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4\","
                           "\"auth\":\"BTBZMqHH6r4Tts7J_aSIgg\"}}");
        QTest::newRow("no url") << QStringList{"push", "listen"} << "--push-url";
        QTest::newRow("http url") << QStringList{"push", "listen", "--push-url",
                                                 "http://127.0.0.1:1/v1/push"}
                                  << "--push-url";
        QTest::newRow("bad json") << QStringList{"push", "send", "{nope", "hi"}
                                  << "bad SUBSCRIPTION_JSON";
        QTest::newRow("bad key") << QStringList{"push", "send",
                                                QString(good).replace(QStringLiteral("BCVxsr7N"),
                                                                      QStringLiteral("BCVxsr7M")),
                                                "hi"}
                                 << "P-256";
        QTest::newRow("bad ttl") << QStringList{"push", "send", good, "hi", "--ttl", "-1"}
                                 << "--ttl";
        QTest::newRow("bad urgency")
            << QStringList{"push", "send", good, "hi", "--urgency", "now"} << "--urgency";
        QTest::newRow("missing vapid file")
            << QStringList{"push", "send", good, "hi", "--vapid-key-file", "/nonexistent.pem"}
            << "/nonexistent.pem";
        QTest::newRow("too long") << QStringList{"push", "send", good, QString(3994, u'x')}
                                  << "3993";
        QTest::newRow("unknown verb") << QStringList{"push", "shout"} << "listen";
    }
    void badCommandLinesSayWhy()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        QProcess process;
        process.start(cliBinary(), args);
        QVERIFY(process.waitForFinished(30000));
        QCOMPARE(process.exitCode(), 2);
        const QString err = QString::fromUtf8(process.readAllStandardError());
        QVERIFY2(err.contains(expected), qPrintable(err));
    }

private:
    std::unique_ptr<ServerProcess> m_server;
};

QTEST_GUILESS_MAIN(TestPushCli)
#include "tst_push_cli.moc"
