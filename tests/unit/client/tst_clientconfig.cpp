// The client's configuration rules: invalid configs refuse to start with a clear
// reason, and nothing (capabilities included) can change once started.

#include "client/SoftphoneClient.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace softphone::client;

namespace {
ClientConfig validConfig(quint16 port)
{
    ClientConfig config;
    config.serviceUrl = QUrl(QStringLiteral("ws://127.0.0.1:%1/v1/calling").arg(port));
    config.userId = QStringLiteral("alice");
    config.deviceId = QStringLiteral("laptop-1");
    return config;
}
} // namespace

class TestClientConfig : public QObject
{
    Q_OBJECT

private slots:
    void validation_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("device");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("http url") << "http://127.0.0.1:1/v1/calling"
                                  << "alice"
                                  << "d"
                                  << "ws://";
        QTest::newRow("no url") << ""
                                << "alice"
                                << "d"
                                << "URL";
        QTest::newRow("user with space") << "ws://h/v1/calling"
                                         << "al ice"
                                         << "d"
                                         << "user id";
        QTest::newRow("empty user") << "ws://h/v1/calling"
                                    << ""
                                    << "d"
                                    << "user id";
        QTest::newRow("device too long") << "ws://h/v1/calling"
                                         << "alice" << QString(65, QLatin1Char('d')) << "device id";
        QTest::newRow("valid") << "wss://h/v1/calling"
                               << "a.b~c-d_e"
                               << "dev-1"
                               << "";
    }
    void validation()
    {
        QFETCH(QString, url);
        QFETCH(QString, user);
        QFETCH(QString, device);
        QFETCH(QString, mentions);
        ClientConfig config;
        config.serviceUrl = QUrl(url);
        config.userId = user;
        config.deviceId = device;
        const QString problem = config.validate();
        if (mentions.isEmpty())
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
        else
            QVERIFY2(problem.contains(mentions), qPrintable(problem));
    }

    // ws:// only to loopback unless allowed; wss:// anywhere.
    void plainWsNeedsLoopbackOrTheOption()
    {
        ClientConfig config = validConfig(1);
        QVERIFY(config.validate().isEmpty());
        config.serviceUrl = QUrl(QStringLiteral("ws://[::1]:1/v1/calling"));
        QVERIFY(config.validate().isEmpty());
        config.serviceUrl = QUrl(QStringLiteral("ws://localhost:1/v1/calling"));
        QVERIFY(config.validate().isEmpty());
        config.serviceUrl = QUrl(QStringLiteral("ws://phone.example.org/v1/calling"));
        QVERIFY2(config.validate().contains(QStringLiteral("--allow-insecure")),
                 qPrintable(config.validate()));
        config.allowInsecure = true;
        QVERIFY(config.validate().isEmpty());
        QVERIFY(insecureTransportError(QUrl(QStringLiteral("http://10.0.0.1/")), false)
                    .startsWith(QStringLiteral("refusing http://10.0.0.1")));
        QVERIFY(insecureTransportError(QUrl(QStringLiteral("https://10.0.0.1/")), false).isEmpty());
        QVERIFY(
            insecureTransportError(QUrl(QStringLiteral("http://127.8.9.10/")), false).isEmpty());
    }

    void invalidConfigFailsStart()
    {
        ClientConfig config = validConfig(1);
        config.userId = QStringLiteral("not valid!");
        SoftphoneClient client(config);
        QSignalSpy failed(&client, &SoftphoneClient::failed);
        QVERIFY(!client.start());
        QCOMPARE(failed.size(), 1);
        const auto error = failed.first().first().value<ClientError>();
        QCOMPARE(error.type, ClientError::Type::InvalidConfig);
        QVERIFY(error.message.contains(QStringLiteral("user id")));
        QCOMPARE(client.connectionState(), SoftphoneClient::ConnectionState::Disconnected);
        // Fixing the config before start is allowed.
        QVERIFY(client.setConfig(validConfig(1)));
    }

    void noTokenAsksForCredentials()
    {
        SoftphoneClient client(validConfig(1));
        QSignalSpy credentials(&client, &SoftphoneClient::credentialsRequired);
        QVERIFY(client.start());
        QCOMPARE(credentials.size(), 1);
        QCOMPARE(client.connectionState(), SoftphoneClient::ConnectionState::Disconnected);
    }

    void capabilitiesFixedAfterStart()
    {
        // A real listening socket that never completes the WebSocket handshake:
        // the client is started (connecting) without any service.
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        SoftphoneClient client(validConfig(silent.serverPort()));
        QSignalSpy logs(&client, &SoftphoneClient::logMessage);
        client.setAccessToken(QStringLiteral("token"));
        QVERIFY(client.start());
        QCOMPARE(client.connectionState(), SoftphoneClient::ConnectionState::Connecting);

        ClientConfig changed = validConfig(silent.serverPort());
        changed.capabilities.push = true;
        changed.capabilities.messaging = true;
        logs.clear();
        QVERIFY(!client.setConfig(changed));
        QCOMPARE(client.config().capabilities.push, false);
        QCOMPARE(client.config().capabilities.messaging, false);
        bool explained = false;
        for (const auto &entry : logs)
            explained |= entry.at(1).toString().contains(QStringLiteral("start"));
        QVERIFY2(explained, "the refusal must say why");
    }

    void terminatedCannotRestart()
    {
        SoftphoneClient client(validConfig(1));
        client.setAccessToken(QStringLiteral("token"));
        QVERIFY(client.start());
        client.terminate();
        QSignalSpy failed(&client, &SoftphoneClient::failed);
        QVERIFY(!client.start());
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.first().first().value<ClientError>().type, ClientError::Type::Terminated);
        QVERIFY(!client.setConfig(validConfig(2)));
        // A call from a terminated client ends at once with a reason, never hangs.
        Call *call = client.callUser(QStringLiteral("bob"));
        QVERIFY(call);
        QTRY_COMPARE(call->state(), CallState::Ended);
        QCOMPARE(call->details().endCause, EndCause::Failure);
    }

    void callWhileNotConnectedFails()
    {
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        SoftphoneClient client(validConfig(silent.serverPort()));
        client.setAccessToken(QStringLiteral("token"));
        QVERIFY(client.start());
        QPointer<Call> call = client.callUser(QStringLiteral("bob"));
        QSignalSpy changed(call.data(), &Call::stateChanged);
        QVERIFY(changed.wait());
        QCOMPARE(call->state(), CallState::Ended);
        QCOMPARE(call->details().error->domain, QStringLiteral("network"));
        QCOMPARE(call->details().error->code, QStringLiteral("not_connected"));

        softphone::protocol::Headers big;
        big.insert(QStringLiteral("k"), QString(2000, QLatin1Char('x')));
        QPointer<Call> large = client.callUser(QStringLiteral("bob"), big);
        QTRY_COMPARE(large->state(), CallState::Ended);
        QCOMPARE(large->details().error->code, QStringLiteral("too_large"));
    }
};

QTEST_GUILESS_MAIN(TestClientConfig)
#include "tst_clientconfig.moc"
