// What a client takes from a login reply's `ice` (docs/protocol.md "TURN
// credentials"): the URL forms, numeric addresses only (names resolved
// first by IceServerNames), no `turns:`, credentials, bounds.
#include "client/IceServerNames.h"
#include "client/IceServers.h"

#include <QSignalSpy>

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace softphone::client;
using Transport = softphone::rtp::IceAgent::Server::Transport;

class TestIceServers : public QObject
{
    Q_OBJECT
private slots:
    void urls()
    {
        auto udp = iceServerFromUrl(QStringLiteral("turn:198.51.100.7:3478?transport=udp"));
        QVERIFY(udp);
        QCOMPARE(udp->address, QStringLiteral("198.51.100.7"));
        QCOMPARE(udp->port, 3478);
        QCOMPARE(udp->transport, Transport::Udp);
        auto tcp = iceServerFromUrl(QStringLiteral("turn:[2001:db8::7]:443?transport=tcp"));
        QVERIFY(tcp);
        QCOMPARE(tcp->address, QStringLiteral("2001:db8::7"));
        QCOMPARE(tcp->port, 443);
        QCOMPARE(tcp->transport, Transport::Tcp);
        // TURN over TLS parses, but libnice 0.1.21 would speak plain TCP to it: skipped.
        const auto tls = parseIceUrl(QStringLiteral("turns:198.51.100.7"));
        QVERIFY(tls);
        QCOMPARE(tls->port, 5349);
        QVERIFY(!iceServerFromUrl(QStringLiteral("turns:198.51.100.7")));
        const auto named = parseIceUrl(QStringLiteral("turn:turn.example.net?transport=tcp"));
        QVERIFY(named);
        QCOMPARE(named->host, QStringLiteral("turn.example.net"));
        QCOMPARE(named->withHost(QStringLiteral("2001:db8::7")),
                 QStringLiteral("turn:[2001:db8::7]:3478?transport=tcp"));
        QCOMPARE(iceServerFromUrl(QStringLiteral("stun:198.51.100.7"))->port, 3478);
        for (const char *bad :
             {"turn:turn.example.net:3478", "http://198.51.100.7", "turn:1.2.3.4:0",
              "turn:1.2.3.4:70000", "turn:1.2.3.4:3478?transport=sctp", ""})
            QVERIFY2(!iceServerFromUrl(QString::fromLatin1(bad)), bad);
    }

    void loginReply()
    {
        const QJsonObject ice{
            {"stun", QJsonArray{"stun:turn.example.net", "stun:198.51.100.7:3478"}},
            {"turn",
             QJsonArray{QJsonObject{{"urls", QJsonArray{"turn:198.51.100.7:3478?transport=udp",
                                                        "turn:198.51.100.7:3478?transport=tcp",
                                                        "turn:turn.example.net:3478"}},
                                    {"username", "1796000000:alice"},
                                    {"credential", "c2VjcmV0"}},
                        QJsonObject{{"urls", QJsonArray{"turn:198.51.100.8:3478"}},
                                    {"username", ""},
                                    {"credential", "c2VjcmV0"}},
                        QJsonObject{{"urls", QJsonArray{"turn:198.51.100.9:3478"}},
                                    {"username", "u"},
                                    {"credential", QString(513, QLatin1Char('x'))}}}}};
        const auto settings = iceSettingsFromLogin(ice);
        QVERIFY(settings.stun);
        QCOMPARE(settings.stun->address, QStringLiteral("198.51.100.7"));
        // The named server is skipped; entries without or with overlong credentials too.
        QCOMPARE(settings.turn.size(), size_t(2));
        QCOMPARE(settings.turn[0].transport, Transport::Udp);
        QCOMPARE(settings.turn[1].transport, Transport::Tcp);
        QCOMPARE(settings.turn[1].username, QStringLiteral("1796000000:alice"));
        QCOMPARE(settings.turn[1].password, QStringLiteral("c2VjcmV0"));
        QVERIFY(!iceSettingsFromLogin({}).stun);
        QVERIFY(iceSettingsFromLogin({}).turn.empty());
    }

    // Named servers: resolved off the event loop and put in as numbers; a
    // name that does not resolve (within its bound) leaves its URLs out.
    void namesAreResolved()
    {
        const QJsonObject ice{
            {"stun", QJsonArray{"stun:localhost:3478"}},
            {"turn", QJsonArray{QJsonObject{{"urls", QJsonArray{"turn:localhost:3478?transport=tcp",
                                                                "turn:no-such-host.invalid:3478",
                                                                "turn:198.51.100.7:3478"}},
                                            {"username", "1796000000:alice"},
                                            {"credential", "c2VjcmV0"}}}}};
        QVERIFY(IceServerNames::hasNames(ice));
        QVERIFY(!IceServerNames::hasNames(
            {{"turn", QJsonArray{QJsonObject{{"urls", QJsonArray{"turn:198.51.100.7"}}}}}}));
        IceServerNames names;
        QSignalSpy resolved(&names, &IceServerNames::resolved);
        names.resolve(ice);
        QVERIFY(resolved.wait(IceServerNames::kLookupTimeoutMs + 5000));
        const QJsonObject numeric = resolved.first().first().toJsonObject();
        QCOMPARE(numeric.value("stun").toArray(), QJsonArray{"stun:127.0.0.1:3478"});
        const QJsonArray urls =
            numeric.value("turn").toArray().first().toObject().value("urls").toArray();
        QCOMPARE(urls, (QJsonArray{"turn:127.0.0.1:3478?transport=tcp", "turn:198.51.100.7:3478"}));
        const auto settings = iceSettingsFromLogin(numeric);
        QCOMPARE(settings.stun->address, QStringLiteral("127.0.0.1"));
        QCOMPARE(settings.turn.size(), size_t(2));
        QCOMPARE(settings.turn[0].transport, Transport::Tcp);
    }

    void bounded()
    {
        QJsonArray many;
        QJsonArray urls;
        for (int i = 0; i < 10; ++i)
            urls.append(QStringLiteral("turn:198.51.100.%1:3478").arg(i + 1));
        for (int i = 0; i < 10; ++i)
            many.append(QJsonObject{{"urls", urls}, {"username", "u"}, {"credential", "c"}});
        QCOMPARE(iceSettingsFromLogin({{"turn", many}}).turn.size(), size_t(16));
    }
};

QTEST_GUILESS_MAIN(TestIceServers)
#include "tst_iceservers.moc"
