// ServerOptions: what the command line turns into, and the clear errors for bad input.

#include "softphone-server/common/ServerOptions.h"

#include <QTest>

using softphone::server::ServerOptions;

class TestServerOptions : public QObject
{
    Q_OBJECT

    static std::optional<ServerOptions> parse(const QStringList &args, QString *error)
    {
        QCommandLineParser parser;
        ServerOptions::addOptions(parser);
        if (!parser.parse(QStringList{QStringLiteral("softphone-server")} + args)) {
            *error = parser.errorText();
            return std::nullopt;
        }
        return ServerOptions::fromParser(
            parser, {QStringLiteral("appserver"), QStringLiteral("calling")}, error);
    }

private slots:
    void defaults()
    {
        QString error;
        const auto o = parse({QStringLiteral("--data-dir"), QStringLiteral("/tmp/x")}, &error);
        QVERIFY2(o, qPrintable(error));
        QCOMPARE(o->roles, QStringList({"appserver", "calling"}));
        QCOMPARE(o->wsPort, quint16(0));
        QCOMPARE(o->httpPort, quint16(0));
        QCOMPARE(o->ringTimeoutSeconds, 45);
        QVERIFY(!o->tlsEnabled());
    }

    void httpPortFollowsListenPort()
    {
        QString error;
        const auto o = parse({"--listen", "0.0.0.0:9000", "--data-dir", "/tmp/x"}, &error);
        QVERIFY2(o, qPrintable(error));
        QCOMPARE(o->wsHost, QHostAddress(QHostAddress::AnyIPv4));
        QCOMPARE(o->httpHost, QHostAddress(QHostAddress::AnyIPv4));
        QCOMPARE(o->httpPort, quint16(9001));
    }

    void explicitRolesAndSettings()
    {
        QString error;
        const auto o = parse({"--roles", "calling, push,calling", "--http-listen", "[::1]:8080",
                              "--set", "a=b=c", "--ring-timeout", "30", "--demo"},
                             &error);
        QVERIFY2(o, qPrintable(error));
        QCOMPARE(o->roles, QStringList({"calling", "push"}));
        QCOMPARE(o->httpHost, QHostAddress(QHostAddress::LocalHostIPv6));
        QCOMPARE(o->httpPort, quint16(8080));
        QCOMPARE(o->settings.value("a"), QStringLiteral("b=c"));
        QCOMPARE(o->ringTimeoutSeconds, 30);
        QVERIFY(o->demo);
    }

    // --set values read as counts and durations: out of range, not a number or
    // absent gives the role's default, never a zero or a negative limit.
    void rangedSettings()
    {
        QString error;
        const auto o = parse({"--set", "n=12", "--set", "zero=0", "--set", "big=100000", "--set",
                              "word=many", "--set", "t=0.25"},
                             &error);
        QVERIFY2(o, qPrintable(error));
        QCOMPARE(o->count("n", 7), 12);
        QCOMPARE(o->count("zero", 7), 7);
        QCOMPARE(o->count("word", 7), 7);
        QCOMPARE(o->count("absent", 7), 7);
        QCOMPARE(o->count("big", 16, 1, 10000), 16);
        QCOMPARE(o->count("n", 16, 1, 10), 16);
        QCOMPARE(o->count("big", 16), 100000);
        QCOMPARE(o->milliseconds("t", std::chrono::seconds(10)), std::chrono::milliseconds(250));
        QCOMPARE(o->milliseconds("zero", std::chrono::seconds(10)),
                 std::chrono::milliseconds(10000));
    }

    void emptyRolesMeansNone()
    {
        QString error;
        const auto o = parse({"--roles", ""}, &error);
        QVERIFY2(o, qPrintable(error));
        QVERIFY(o->roles.isEmpty());
    }

    void pushAllowIsRepeatable()
    {
        QString error;
        const auto o =
            parse({"--push-allow", "https://a.example", "--push-allow", "http://127.0.0.1:8080/"},
                  &error);
        QVERIFY2(o, qPrintable(error));
        QCOMPARE(o->pushAllow, QStringList({"https://a.example", "http://127.0.0.1:8080"}));
    }

    void busAndNodeId()
    {
        QString error;
        auto o = parse({QStringLiteral("--data-dir"), QStringLiteral("/tmp/x")}, &error);
        QVERIFY2(o, qPrintable(error));
        QVERIFY(o->bus.isEmpty()); // one node alone
        QVERIFY(!o->nodeId.isEmpty());
        o = parse({QStringLiteral("--data-dir"), QStringLiteral("/tmp/x"), QStringLiteral("--bus"),
                   QStringLiteral("redis://127.0.0.1:7000"), QStringLiteral("--node-id"),
                   QStringLiteral("node-1")},
                  &error);
        QVERIFY2(o, qPrintable(error));
        QCOMPARE(o->bus, QStringLiteral("redis://127.0.0.1:7000"));
        QCOMPARE(o->nodeId, QStringLiteral("node-1"));
    }

    void badInputIsRefusedWithAReason_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("no port") << QStringList{"--listen", "127.0.0.1"} << "HOST:PORT";
        QTest::newRow("port too big") << QStringList{"--listen", "127.0.0.1:70000"} << "port";
        QTest::newRow("host name") << QStringList{"--listen", "example.org:1"} << "IP address";
        QTest::newRow("cert alone") << QStringList{"--tls-cert", "c.pem"} << "--tls-key";
        QTest::newRow("ring timeout") << QStringList{"--ring-timeout", "0"} << "--ring-timeout";
        QTest::newRow("set") << QStringList{"--set", "novalue"} << "key=value";
        QTest::newRow("push-allow path")
            << QStringList{"--push-allow", "https://push.example/wpush"} << "--push-allow";
        QTest::newRow("push-allow scheme")
            << QStringList{"--push-allow", "ftp://push.example"} << "--push-allow";
        QTest::newRow("bus scheme") << QStringList{"--bus", "http://127.0.0.1:6379"} << "redis://";
        QTest::newRow("bus password")
            << QStringList{"--bus", "redis://:secret@127.0.0.1:6379"} << "no password";
        QTest::newRow("bus database")
            << QStringList{"--bus", "redis://127.0.0.1:6379/2"} << "redis://host[:port]";
        QTest::newRow("node id") << QStringList{"--node-id", "a b"} << "--node-id";
    }
    void badInputIsRefusedWithAReason()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        QString error;
        QVERIFY(!parse(args, &error));
        QVERIFY2(error.contains(mentions), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestServerOptions)
#include "tst_serveroptions.moc"
