// Calls between two softphone-cli through a real softphone-server when the
// network blocks UDP, in network namespaces this test creates (root): alice
// behind a NAT namespace that forwards no UDP at all, bob, the server and
// coturn in the public one. Without TURN the call falls back to the
// WebSocket relay; with the server handing out TURN credentials (coturn,
// use-auth-secret) it goes through TURN over TCP. Both say so in their
// `media` line, and bob hears alice's tone either way.
#include "Coturn.h"
#include "NetworkNamespaces.h"
#include "media/WavFile.h"
#include "support/CliProcess.h"
#include "support/ServerProcess.h"
#include "support/SignalTools.h"

#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>
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
        const bool ok =
            m_netns->add("lan", &error) && m_netns->add("nat", &error) &&
            m_netns->add("pub", &error) &&
            m_netns->link("lan", "eth0", "10.78.1.2/24", "nat", "eth0", "10.78.1.1/24", &error) &&
            m_netns->link("nat", "eth1", "10.77.0.1/24", "pub", "eth0", "10.77.0.2/24", &error) &&
            m_netns->run("lan", {"ip", "route", "add", "default", "via", "10.78.1.1"}, &error) &&
            m_netns->run("nat", {"sysctl", "-q", "-w", "net.ipv4.ip_forward=1"}, &error) &&
            m_netns->run("nat",
                         {"nft", "add table ip nat; add chain ip nat post { type nat hook "
                                 "postrouting priority 100; }; add rule ip nat post oifname "
                                 "eth1 masquerade"},
                         &error) &&
            m_netns->run("nat",
                         {"nft", "add table inet filter; add chain inet filter forwarding "
                                 "{ type filter hook forward priority 0; }; add "
                                 "rule inet filter forwarding meta l4proto udp drop"},
                         &error);
        if (!ok)
            qWarning("%s", qPrintable(error));
        return ok;
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

    static int relayedFrames(ServerProcess &server, const QString &callId)
    {
        const QRegularExpression line(
            QStringLiteral("call %1 ended: (\\d+) media frames relayed").arg(callId));
        if (!QTest::qWaitFor([&] { return line.match(server.errorLogText()).hasMatch(); }, 5000))
            return -1;
        const auto match = line.match(server.errorLogText());
        return match.hasMatch() ? match.captured(1).toInt() : -1;
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
        QVERIFY(topology());
    }
    void cleanup() { m_netns.reset(); }

    // No TURN: ICE finds no path (UDP blocked, no relay), the call falls back
    // to the WebSocket relay within its setup time and the tone arrives.
    void udpBlockedFallsBackToTheRelay()
    {
        ServerProcess server;
        server.setErrorLog(m_dir.filePath("relay-server.log"));
        QVERIFY2(server.startOn("10.77.0.2", in("pub")), qPrintable(server.lastError()));
        QVERIFY(server.addUser("alice", passwordOf("alice")));
        QVERIFY(server.addUser("bob", passwordOf("bob")));
        QJsonObject aliceMedia, bobMedia;
        const auto heard = call(server, &aliceMedia, &bobMedia);
        QVERIFY(!heard.empty());
        QCOMPARE(path(aliceMedia), QStringLiteral("ws-relay"));
        QCOMPARE(path(bobMedia), QStringLiteral("ws-relay"));
        // At most the 4 s of setup are silent; the rest of the 7 s tone is heard.
        const int blocks = toneBlocks(heard);
        qInfo("heard %d blocks of tone", blocks);
        QVERIFY2(blocks >= 100, qPrintable(QString::number(blocks)));
        QVERIFY(relayedFrames(server, aliceMedia.value("callId").toString()) > 100);
    }

    // TURN from the server's login reply: alice's voice goes through coturn
    // over TCP, not through the calling service.
    void udpBlockedUsesTurnOverTcp()
    {
        QTemporaryDir dir;
        Coturn coturn(*m_netns, "pub", "10.77.0.2", dir.path());
        QVERIFY2(coturn.ready(), qPrintable(coturn.log()));
        QFile secret(dir.filePath("turn-secret"));
        QVERIFY(secret.open(QIODevice::WriteOnly));
        secret.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        secret.write(Coturn::kSecret);
        secret.close();
        ServerProcess server({"--set", "appserver.turn_server=10.77.0.2:3478", "--set",
                              "appserver.turn_secret_file=" + secret.fileName()});
        server.setErrorLog(m_dir.filePath("turn-server.log"));
        QVERIFY2(server.startOn("10.77.0.2", in("pub")), qPrintable(server.lastError()));
        QVERIFY(server.addUser("alice", passwordOf("alice")));
        QVERIFY(server.addUser("bob", passwordOf("bob")));
        QJsonObject aliceMedia, bobMedia;
        const auto heard = call(server, &aliceMedia, &bobMedia);
        if (heard.empty())
            qWarning("coturn: %s", qPrintable(coturn.log().right(3000)));
        QVERIFY(!heard.empty());
        QCOMPARE(path(aliceMedia), QStringLiteral("turn-tcp"));
        const int blocks = toneBlocks(heard);
        qInfo("heard %d blocks of tone", blocks);
        QVERIFY2(blocks >= 200, qPrintable(QString::number(blocks)));
        const int relayed = relayedFrames(server, aliceMedia.value("callId").toString());
        qInfo("the calling service relayed %d frames", relayed);
        QCOMPARE(relayed, 0);
    }
};

QTEST_GUILESS_MAIN(TestCallsNetns)
#include "tst_calls_netns.moc"
