// Calls between two softphone-cli through a real softphone-server when the
// network blocks UDP, in network namespaces this test creates (root): alice
// behind a NAT namespace that forwards no UDP at all, bob, the server and
// coturn in the public one. Without TURN the call falls back to the
// WebSocket relay; with the server handing out TURN credentials (coturn,
// use-auth-secret) it goes through TURN over TCP. Both say so in their
// `media` line, and bob hears alice's tone either way. And a call whose UDP
// goes away for a while goes on over the relay and comes back to UDP; a
// call whose address is replaced mid-call restarts ICE at once and goes on.
// The echo user answers over UDP where it can, over the relay otherwise.
#include "media/WavFile.h"
#include "support/CliProcess.h"
#include "support/Coturn.h"
#include "support/NetworkNamespaces.h"
#include "support/ServerProcess.h"
#include "support/SignalTools.h"

#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace softphone::test;
using softphone::media::WavAudio;
using softphone::media::WavFile;

namespace {
constexpr int kRate = 48000;
constexpr double kToneHz = 700;
constexpr int kToneSeconds = 7;

QString passwordOf(const QString &user)
{
    return user + QStringLiteral("-netns-password");
}

// 20 ms blocks of the recording that hold the tone.
int toneBlocks(const std::vector<int16_t> &samples)
{
    int blocks = 0;
    const int block = kRate / 50;
    for (size_t at = 0; at + block <= samples.size(); at += block) {
        const std::span<const int16_t> s(samples.data() + at, block);
        if (softphone::media::test::tonePower(s, kToneHz) > 1e5)
            ++blocks;
    }
    return blocks;
}
} // namespace

class TestCallsNetns : public QObject
{
    Q_OBJECT

    std::unique_ptr<NetworkNamespaces> m_netns;
    QTemporaryDir m_dir;
    QString m_toneWav;
    int m_calls = 0;

    // alice in "lan" behind "nat" (masquerade, no UDP forwarded); bob, the
    // server and coturn in "pub" (10.77.0.2).
    bool topology()
    {
        QString error;
        const bool ok = m_netns->addNatTopology(&error) && m_netns->dropForwardedUdp("nat", &error);
        if (!ok)
            qWarning("%s", qPrintable(error));
        return ok;
    }

    // The server in "pub" on 10.77.0.2, its log kept in `log`, alice and bob added.
    bool startServer(ServerProcess &server, const QString &log)
    {
        server.setErrorLog(m_dir.filePath(log));
        if (!server.startOn("10.77.0.2", in("pub"))) {
            qWarning().noquote() << server.lastError();
            return false;
        }
        return server.addUser("alice", passwordOf("alice")) &&
               server.addUser("bob", passwordOf("bob"));
    }

    QStringList in(const QString &ns) const { return {"ip", "netns", "exec", m_netns->name(ns)}; }

    // alice (lan) calls bob (pub) with the tone; bob's recording, both media lines.
    std::vector<int16_t> call(ServerProcess &server, QJsonObject *aliceMedia, QJsonObject *bobMedia)
    {
        const QString heard = m_dir.filePath(QStringLiteral("heard-%1.wav").arg(++m_calls));
        const QUrl url = server.appServerUrl();
        CliProcess bob(url, "bob", passwordOf("bob"),
                       {"--allow-insecure", "answer", "--audio-out", heard, "--no-audio"},
                       in("pub"));
        if (!bob.waitForEvent("waiting")) {
            qWarning().noquote() << bob.transcript();
            return {};
        }
        CliProcess alice(url, "alice", passwordOf("alice"),
                         {"--allow-insecure", "call", "bob", "--audio-in", m_toneWav, "--no-audio",
                          "--hangup-after", QString::number(kToneSeconds + 1)},
                         in("lan"));
        if (!alice.finished(90000) || !bob.finished(30000) || alice.exitCode() != 0) {
            qWarning().noquote() << "alice:\n"
                                 << alice.transcript() << "\nbob:\n"
                                 << bob.transcript();
            return {};
        }
        *aliceMedia = alice.event("media");
        *bobMedia = bob.event("media");
        qInfo().noquote() << "alice:" << QJsonDocument(*aliceMedia).toJson(QJsonDocument::Compact);
        qInfo().noquote() << "bob:" << QJsonDocument(*bobMedia).toJson(QJsonDocument::Compact);
        QString error;
        const auto recorded = WavFile::read(heard, &error);
        if (!recorded)
            qWarning() << "recording unreadable:" << error;
        return recorded ? recorded->samples : std::vector<int16_t>{};
    }

    static QString path(const QJsonObject &media)
    {
        return media.value("quality").toObject().value("path").toString();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(!qEnvironmentVariableIsEmpty("SOFTPHONE_CLI_BIN"));
        QVERIFY(m_dir.isValid());
        std::vector<int16_t> tone(kRate / 2, 0); // a lead-in of silence
        const auto sine = softphone::media::test::sine(kToneHz, kToneSeconds * kRate);
        tone.insert(tone.end(), sine.begin(), sine.end());
        m_toneWav = m_dir.filePath("tone.wav");
        QVERIFY(WavFile::write(m_toneWav, WavAudio{kRate, 1, tone}));
    }

    void init()
    {
        QString why;
        if (!NetworkNamespaces::available(&why))
            QSKIP(qPrintable("network namespaces unavailable: " + why));
        m_netns = std::make_unique<NetworkNamespaces>(QStringLiteral("spc"));
    }
    void cleanup() { m_netns.reset(); }

    // No TURN: ICE finds no path (UDP blocked, no relay), the call falls back
    // to the WebSocket relay within its setup time and the tone arrives.
    void udpBlockedFallsBackToTheRelay()
    {
        QVERIFY(topology());
        ServerProcess server;
        QVERIFY(startServer(server, "relay-server.log"));
        QJsonObject aliceMedia, bobMedia;
        const auto heard = call(server, &aliceMedia, &bobMedia);
        QVERIFY(!heard.empty());
        QCOMPARE(path(aliceMedia), QStringLiteral("ws-relay"));
        QCOMPARE(path(bobMedia), QStringLiteral("ws-relay"));
        // At most the 4 s of setup are silent; the rest of the 7 s tone is heard.
        const int blocks = toneBlocks(heard);
        qInfo("heard %d blocks of tone", blocks);
        QVERIFY2(blocks >= 100, qPrintable(QString::number(blocks)));
        QVERIFY(server.relayedMediaFrames(aliceMedia.value("callId").toString()) > 100);
    }

    // TURN from the server's login reply: alice's voice goes through coturn
    // over TCP, not through the calling service. The server may name its
    // TURN server (appserver.turn_server=turn.softphone.test:3478): the
    // clients resolve the name (here from their namespaces' hosts files).
    void udpBlockedUsesTurnOverTcp_data()
    {
        QTest::addColumn<QString>("turnServer");
        QTest::newRow("numeric") << QStringLiteral("10.77.0.2:3478");
        QTest::newRow("host name") << QStringLiteral("turn.softphone.test:3478");
    }
    void udpBlockedUsesTurnOverTcp()
    {
        QFETCH(QString, turnServer);
        QVERIFY(topology());
        for (const char *ns : {"lan", "pub"}) {
            QString error;
            QVERIFY2(m_netns->setHosts(ns, "10.77.0.2 turn.softphone.test", &error),
                     qPrintable(error));
        }
        QTemporaryDir dir;
        Coturn coturn(*m_netns, "pub", "10.77.0.2", dir.path());
        QVERIFY2(coturn.ready(), qPrintable(coturn.log()));
        QFile secret(dir.filePath("turn-secret"));
        QVERIFY(secret.open(QIODevice::WriteOnly));
        secret.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        secret.write(Coturn::kSecret);
        secret.close();
        ServerProcess server({"--set", "appserver.turn_server=" + turnServer, "--set",
                              "appserver.turn_secret_file=" + secret.fileName()});
        QVERIFY(startServer(server, "turn-server.log"));
        QJsonObject aliceMedia, bobMedia;
        const auto heard = call(server, &aliceMedia, &bobMedia);
        if (heard.empty())
            qWarning("coturn: %s", qPrintable(coturn.log().right(3000)));
        QVERIFY(!heard.empty());
        QCOMPARE(path(aliceMedia), QStringLiteral("turn-tcp"));
        const int blocks = toneBlocks(heard);
        qInfo("heard %d blocks of tone", blocks);
        QVERIFY2(blocks >= 200, qPrintable(QString::number(blocks)));
        const int relayed = server.relayedMediaFrames(aliceMedia.value("callId").toString());
        qInfo("the calling service relayed %d frames", relayed);
        QCOMPARE(relayed, 0);
    }

    // UDP works, then alice's namespace drops all UDP for a while: ICE
    // consent is lost, the call goes on over the relay, and once UDP is back
    // the caller's ICE restart (media_update both ways) brings the voice back
    // to peer to peer, with the same DTLS keys.
    void voiceComesBackAfterAnOutage()
    {
        QString error;
        QVERIFY2(
            m_netns->add("a", &error) && m_netns->add("pub", &error) &&
                m_netns->link("a", "eth0", "10.77.0.1/24", "pub", "eth0", "10.77.0.2/24", &error),
            qPrintable(error));
        ServerProcess server;
        QVERIFY(startServer(server, "outage-server.log"));
        const QUrl url = server.appServerUrl();
        CliProcess bob(url, "bob", passwordOf("bob"),
                       {"--allow-insecure", "answer", "--no-audio", "--quality-events"}, in("pub"));
        QVERIFY2(bob.waitForEvent("waiting"), qPrintable(bob.transcript()));
        CliProcess alice(url, "alice", passwordOf("alice"),
                         {"--allow-insecure", "call", "bob", "--no-audio", "--quality-events",
                          "--hangup-after", "45"},
                         in("a"));
        auto path = [&alice] {
            const QList<QJsonObject> quality = alice.events("quality");
            return quality.isEmpty()
                       ? QString()
                       : quality.constLast().value("quality").toObject().value("path").toString();
        };
        QVERIFY2(QTest::qWaitFor([&] { return path() == u"p2p"; }, 20000),
                 qPrintable(alice.transcript()));
        QVERIFY2(m_netns->run("a",
                              {"nft", "add table inet outage; add chain inet outage in { type "
                                      "filter hook input priority 0; }; add chain inet outage "
                                      "out { type filter hook output priority 0; }; add rule "
                                      "inet outage in meta l4proto udp drop; add rule inet "
                                      "outage out meta l4proto udp drop"},
                              &error),
                 qPrintable(error));
        QVERIFY2(QTest::qWaitFor([&] { return path() == u"ws-relay"; }, 20000),
                 qPrintable(alice.transcript()));
        QVERIFY2(m_netns->run("a", {"nft", "delete table inet outage"}, &error), qPrintable(error));
        QVERIFY2(QTest::qWaitFor([&] { return path() == u"p2p"; }, 25000),
                 qPrintable(alice.transcript()));
        // It stays there: five more quality reports (one a second), all peer to peer;
        // then alice hangs up rather than waiting out --hangup-after.
        const qsizetype back = alice.events("quality").size();
        QVERIFY2(QTest::qWaitFor([&] { return alice.events("quality").size() >= back + 5; }, 20000),
                 qPrintable(alice.transcript()));
        for (const QJsonObject &quality : alice.events("quality").mid(back))
            QCOMPARE(quality.value("quality").toObject().value("path").toString(),
                     QStringLiteral("p2p"));
        alice.interrupt();
        QVERIFY(alice.finished(60000));
        QCOMPARE(alice.event("media").value("quality").toObject().value("path").toString(),
                 QStringLiteral("p2p"));
        const int relayed =
            server.relayedMediaFrames(alice.event("media").value("callId").toString());
        qInfo("the calling service relayed %d frames during the outage", relayed);
        QVERIFY(relayed > 0);
    }

    // A P2P call; mid-call alice's media address is removed and a new one
    // added (a new network): her client sees the address change, restarts
    // ICE at once (not after ~7 s of lost consent), and the call goes on:
    // bob keeps hearing her tone, and it ends peer to peer again. Her
    // calling connection runs on another link (10.77.0.0/24, where UDP is
    // dropped), so only the media path changes.
    void addressChangeRestartsIce()
    {
        QString error;
        QVERIFY2(
            m_netns->add("a", &error) && m_netns->add("pub", &error) &&
                m_netns->link("a", "eth0", "10.77.0.1/24", "pub", "eth0", "10.77.0.2/24", &error) &&
                m_netns->link("a", "eth1", "10.79.0.1/24", "pub", "eth1", "10.79.0.2/24", &error) &&
                m_netns->run("a",
                             {"nft", "add table inet signal; add chain inet signal in { type "
                                     "filter hook input priority 0; }; add chain inet signal "
                                     "out { type filter hook output priority 0; }; add rule "
                                     "inet signal in iifname eth0 meta l4proto udp drop; add rule "
                                     "inet signal out oifname eth0 meta l4proto udp drop"},
                             &error),
            qPrintable(error));
        const QString longTone = m_dir.filePath("long-tone.wav");
        QVERIFY(WavFile::write(
            longTone, WavAudio{kRate, 1, softphone::media::test::sine(kToneHz, 20 * kRate)}));
        ServerProcess server;
        QVERIFY(startServer(server, "address-server.log"));
        const QUrl url = server.appServerUrl();
        const QString heard = m_dir.filePath("address-heard.wav");
        CliProcess bob(url, "bob", passwordOf("bob"),
                       {"--allow-insecure", "answer", "--audio-out", heard, "--no-audio"},
                       in("pub"));
        QVERIFY2(bob.waitForEvent("waiting"), qPrintable(bob.transcript()));
        // alice's log (stderr) kept in a file: it says why ICE restarted.
        const QString aliceLog = m_dir.filePath("address-alice.log");
        CliProcess alice(url, "alice", passwordOf("alice"),
                         {"--allow-insecure", "call", "bob", "--audio-in", longTone, "--no-audio",
                          "--quality-events", "--hangup-after", "22"},
                         in("a") + QStringList{"sh", "-c", "exec \"$0\" \"$@\" 2>" + aliceLog});
        auto path = [&alice] {
            const QList<QJsonObject> quality = alice.events("quality");
            return quality.isEmpty()
                       ? QString()
                       : quality.constLast().value("quality").toObject().value("path").toString();
        };
        auto log = [&aliceLog] {
            QFile file(aliceLog);
            return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
        };
        QVERIFY2(QTest::qWaitFor([&] { return path() == u"p2p"; }, 20000), qPrintable(log()));
        QVERIFY2(
            m_netns->run("a", {"ip", "addr", "del", "10.79.0.1/24", "dev", "eth1"}, &error) &&
                m_netns->run("a", {"ip", "addr", "add", "10.79.0.11/24", "dev", "eth1"}, &error),
            qPrintable(error));
        const QString restarted = QStringLiteral("restarts ICE: the network changed");
        QVERIFY2(QTest::qWaitFor([&] { return log().contains(restarted); }, 10000),
                 qPrintable(log()));
        QVERIFY2(log().contains(u"10.79.0.11"), qPrintable(log()));
        const qsizetype before = alice.events("quality").size();
        QVERIFY2(
            QTest::qWaitFor(
                [&] { return alice.events("quality").size() > before && path() == u"p2p"; }, 20000),
            qPrintable(log()));
        QVERIFY(alice.finished(60000) && bob.finished(30000));
        QCOMPARE(alice.event("media").value("quality").toObject().value("path").toString(),
                 QStringLiteral("p2p"));
        // Lost consent was not what restarted it.
        QVERIFY2(!log().contains(u"consent lost"), qPrintable(log()));
        const auto recorded = WavFile::read(heard, &error);
        QVERIFY2(recorded, qPrintable(error));
        // 20 s of tone sent; what the setup and the switch cost is a few hundred ms each.
        const int blocks = toneBlocks(recorded->samples);
        qInfo("bob heard %d blocks of 20 ms of alice's 20 s tone", blocks);
        QVERIFY2(blocks >= 600, qPrintable(QString::number(blocks)));
    }

    // The echo user's own ICE on the server's listening address (10.77.0.2,
    // not loopback: its only host candidate): a test call from a client that
    // reaches it over UDP goes peer to peer and the service relays nothing;
    // from behind a NAT that forwards no UDP it falls back to the relay. The
    // tone comes back either way.
    void echoCallTakesUdpOrTheRelay_data()
    {
        QTest::addColumn<bool>("udpBlocked");
        QTest::newRow("UDP") << false;
        QTest::newRow("UDP blocked") << true;
    }
    void echoCallTakesUdpOrTheRelay()
    {
        QFETCH(bool, udpBlocked);
        QString error;
        if (udpBlocked)
            QVERIFY(topology());
        else
            QVERIFY2(m_netns->add("lan", &error) && m_netns->add("pub", &error) &&
                         m_netns->link("lan", "eth0", "10.77.0.1/24", "pub", "eth0", "10.77.0.2/24",
                                       &error),
                     qPrintable(error));
        ServerProcess server;
        QVERIFY(startServer(server, udpBlocked ? "echo-relay-server.log" : "echo-udp-server.log"));
        const QString heard = m_dir.filePath(QStringLiteral("echo-heard-%1.wav").arg(udpBlocked));
        CliProcess alice(server.appServerUrl(), "alice", passwordOf("alice"),
                         {"--allow-insecure", "call", "echo", "--audio-in", m_toneWav,
                          "--audio-out", heard, "--no-audio", "--hangup-after",
                          QString::number(kToneSeconds + 2)},
                         in("lan"));
        QVERIFY2(alice.finished(90000) && alice.exitCode() == 0, qPrintable(alice.transcript()));
        const QJsonObject media = alice.event("media");
        qInfo().noquote() << "alice:" << QJsonDocument(media).toJson(QJsonDocument::Compact);
        if (path(media) != (udpBlocked ? u"ws-relay" : u"p2p"))
            qWarning().noquote() << server.errorLogText().right(4000);
        QCOMPARE(path(media), udpBlocked ? QStringLiteral("ws-relay") : QStringLiteral("p2p"));
        const int relayed = server.relayedMediaFrames(media.value("callId").toString());
        qInfo("the calling service relayed %d frames to the echo", relayed);
        if (udpBlocked)
            QVERIFY(relayed > 100);
        else
            QCOMPARE(relayed, 0);
        const auto recorded = WavFile::read(heard, &error);
        QVERIFY2(recorded, qPrintable(error));
        // The 7 s tone, a second later; over the relay less the 4 s of setup.
        const int blocks = toneBlocks(recorded->samples);
        qInfo("heard %d blocks of the echoed tone", blocks);
        QVERIFY2(blocks >= (udpBlocked ? 100 : 250), qPrintable(QString::number(blocks)));
    }
};

QTEST_GUILESS_MAIN(TestCallsNetns)
#include "tst_calls_netns.moc"
