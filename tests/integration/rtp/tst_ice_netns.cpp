// UDP media between two processes in network namespaces this test creates
// (root): ICE finds the path, DTLS-SRTP keys it, SRTP flows both ways. Cases:
// two peers on one link (peer to peer, host candidates), what the wire
// carries (SRTP only: captured with tcpdump), consent lost when the network
// stops answering and a restart when it is back, a network change mid-call
// (ICE restart on a new address), and one peer behind a NAT (nftables
// masquerade) with coturn as STUN and TURN server (REST credentials), TURN
// over UDP and, when UDP is blocked, over TCP.
#include "rtp/PacketKind.h"
#include "rtp/RtpPacket.h"
#include "rtp/TurnCredentials.h"
#include "support/Coturn.h"
#include "support/NetworkNamespaces.h"
#include "support/Processes.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <memory>
#include <unistd.h>

using softphone::test::Coturn;
using softphone::test::NetworkNamespaces;

namespace {
constexpr int kPackets = 50;
const QByteArray kMarker = "PLAINTEXT-OPUS-MARKER";

// One ice_peer in a namespace; its JSON lines are collected, and the
// signaling ones are relayed to the other peer.
class PeerProcess : public QObject
{
public:
    PeerProcess(NetworkNamespaces &netns, const QString &ns, const QStringList &args)
    {
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        connect(&m_process, &QProcess::readyReadStandardOutput, this, [this] {
            while (m_process.canReadLine()) {
                const QByteArray line = m_process.readLine().trimmed();
                const QJsonObject o = QJsonDocument::fromJson(line).object();
                m_lines.append(o);
                const QString type = o.value("type").toString();
                if (type == "error" || type == "warning")
                    qWarning("%s: %s", qPrintable(m_name), line.constData());
                if (m_other &&
                    (type == "credentials" || type == "candidate" || type == "gatheringDone"))
                    m_other->send(line);
            }
        });
        m_name = ns;
        m_process.start("ip", netns.execArguments(ns,
                                                  softphone::test::thisBuildsFile(QStringLiteral(
                                                      "tests/integration/rtp/ice_peer")),
                                                  args));
    }
    ~PeerProcess() override
    {
        if (m_process.state() != QProcess::NotRunning) {
            send(R"({"type":"quit"})");
            if (!m_process.waitForFinished(3000)) {
                m_process.kill();
                m_process.waitForFinished(3000);
            }
        }
    }
    void relayTo(PeerProcess *other) { m_other = other; }
    void send(const QByteArray &line) { m_process.write(line + '\n'); }
    // The last line of a type (and batch, for media), or an empty object.
    QJsonObject last(const QString &type, int batch = 0) const
    {
        for (auto it = m_lines.crbegin(); it != m_lines.crend(); ++it)
            if (it->value("type").toString() == type &&
                (batch == 0 || it->value("batch").toInt() == batch))
                return *it;
        return {};
    }
    QList<QJsonObject> all(const QString &type) const
    {
        QList<QJsonObject> out;
        for (const QJsonObject &o : m_lines)
            if (o.value("type").toString() == type)
                out.append(o);
        return out;
    }
    bool running() const { return m_process.state() != QProcess::NotRunning; }

private:
    QProcess m_process;
    QString m_name;
    PeerProcess *m_other = nullptr;
    QList<QJsonObject> m_lines;
};

// A call: alice (controlling, the caller) and bob, each in a namespace,
// their signaling relayed to each other.
struct Call
{
    Call(NetworkNamespaces &netns, const QString &aliceNs, const QStringList &aliceArgs,
         const QString &bobNs, const QStringList &bobArgs)
        : alice(netns, aliceNs, aliceArgs)
        , bob(netns, bobNs, bobArgs)
    {
        alice.relayTo(&bob);
        bob.relayTo(&alice);
    }
    PeerProcess alice;
    PeerProcess bob;
};

// tcpdump inside a namespace, writing a pcap file.
class Capture
{
public:
    Capture(NetworkNamespaces &netns, const QString &ns, const QString &interface,
            const QString &file)
    {
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start("ip", netns.execArguments(
                                  ns, "tcpdump", {"-i", interface, "-U", "-n", "-w", file, "udp"}));
        m_process.waitForStarted(5000);
        m_process.waitForReadyRead(3000); // "listening on ..."
    }
    ~Capture() { stop(); }
    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate();
        if (!m_process.waitForFinished(5000))
            m_process.kill();
        m_process.waitForFinished(2000);
    }

private:
    QProcess m_process;
};

// --turn for ice_peer: coturn's REST credentials valid for ten minutes.
QString turnArgument(const QString &address, const QString &transport)
{
    const auto c = softphone::rtp::turnRestCredentials(Coturn::kSecret, "alice",
                                                       QDateTime::currentSecsSinceEpoch() + 600);
    return QStringLiteral("%1:3478:%2:%3:%4").arg(address, transport, c.username, c.password);
}

// The UDP payloads of an Ethernet pcap file.
QList<QByteArray> udpPayloads(const QByteArray &pcap)
{
    QList<QByteArray> out;
    qsizetype pos = 24; // global header
    while (pos + 16 <= pcap.size()) {
        const quint32 length = qFromLittleEndian<quint32>(pcap.constData() + pos + 8);
        pos += 16;
        if (pos + length > quint32(pcap.size()))
            break;
        const QByteArray frame = pcap.mid(pos, length);
        pos += length;
        if (frame.size() < 14 + 20 + 8)
            continue;
        const int ipHeader = (quint8(frame.at(14)) & 0x0f) * 4;
        out.append(frame.mid(14 + ipHeader + 8));
    }
    return out;
}
} // namespace

class TestIceNetns : public QObject
{
    Q_OBJECT

    std::unique_ptr<NetworkNamespaces> m_netns;

    bool waitMedia(PeerProcess &a, PeerProcess &b, int batch)
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 45000 &&
               (a.last("media", batch).isEmpty() || b.last("media", batch).isEmpty()) &&
               a.running() && b.running())
            QTest::qWait(100);
        return !a.last("media", batch).isEmpty() && !b.last("media", batch).isEmpty();
    }

    // alice in "a" (10.77.0.1) and bob in "b" (10.77.0.2) on one link.
    bool oneLink()
    {
        QString error;
        const bool ok =
            m_netns->add("a", &error) && m_netns->add("b", &error) &&
            m_netns->link("a", "eth0", "10.77.0.1/24", "b", "eth0", "10.77.0.2/24", &error);
        if (!ok)
            qWarning("%s", qPrintable(error));
        return ok;
    }

    // A call between "a" and "b" on one link that carried its first batch of
    // media; null when it did not.
    std::unique_ptr<Call> callOnOneLink(const QStringList &bobArguments = {})
    {
        if (!oneLink())
            return nullptr;
        auto call = std::make_unique<Call>(*m_netns, "a", peerArguments("controlling"), "b",
                                           peerArguments("controlled", bobArguments));
        if (!waitMedia(call->alice, call->bob, 1))
            return nullptr;
        return call;
    }

    static QStringList peerArguments(const QString &role, const QStringList &more = {})
    {
        return QStringList{"--role", role, "--packets", QString::number(kPackets)} + more;
    }

    static void verifyMediaArrived(const PeerProcess &p, int batch)
    {
        const QJsonObject media = p.last("media", batch);
        QCOMPARE(media.value("sent").toInt(), kPackets);
        // veths lose nothing; allow a packet or two sent before the peer had its keys.
        QVERIFY2(media.value("received").toInt() >= kPackets - 2,
                 qPrintable(QJsonDocument(media).toJson(QJsonDocument::Compact)));
    }

private slots:
    void init()
    {
        QString why;
        if (!NetworkNamespaces::available(&why))
            QSKIP(qPrintable("network namespaces unavailable: " + why));
        m_netns = std::make_unique<NetworkNamespaces>();
    }
    void cleanup() { m_netns.reset(); } // removes the namespaces, also after a failure
    void cleanupTestCase()
    {
        QByteArray list;
        if (NetworkNamespaces::runHost({"ip", "netns", "list"}, nullptr, &list))
            QVERIFY2(!list.contains(QByteArray("spm-") + QByteArray::number(getpid()) + '-'),
                     list.constData());
    }

    void peerToPeerOnOneLink()
    {
        QString error;
        QVERIFY(oneLink());
        QTemporaryDir dir;
        const QString pcap = dir.filePath("b.pcap");
        Capture capture(*m_netns, "b", "eth0", pcap);
        Call call(*m_netns, "a", peerArguments("controlling"), "b", peerArguments("controlled"));
        PeerProcess &alice = call.alice;
        PeerProcess &bob = call.bob;
        QVERIFY(waitMedia(alice, bob, 1));
        verifyMediaArrived(alice, 1);
        verifyMediaArrived(bob, 1);
        const QJsonObject pair = alice.last("media", 1).value("pair").toObject();
        QCOMPARE(pair.value("localType").toString(), QString("host"));
        QCOMPARE(pair.value("remoteType").toString(), QString("host"));
        QCOMPARE(alice.last("media", 1).value("path").toString(), QString("p2p"));
        QVERIFY(pair.value("localAddress").toString().startsWith("10.77.0.1:"));
        QVERIFY(pair.value("remoteAddress").toString().startsWith("10.77.0.2:"));
        QVERIFY(!alice.last("dtls").value("profile").toString().isEmpty());

        // The wire: SRTP only. No packet holds the plain payload, and every
        // RTP packet is longer than its plaintext by the authentication tag.
        capture.stop();
        QFile file(pcap);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY(!bytes.contains(kMarker));
        // The RTP header stays readable in SRTP: from its sequence number the
        // plaintext size is known (ice_peer's payload is an Opus TOC byte, the
        // marker, a space, the number and 40 bytes), so each packet must be exactly that plus
        // the profile's tag.
        const int tag =
            alice.last("dtls").value("profile").toString() == "AEAD_AES_128_GCM" ? 16 : 10;
        int rtp = 0;
        for (const QByteArray &payload : udpPayloads(bytes)) {
            if (softphone::rtp::classifyPacket(payload) != softphone::rtp::PacketKind::Rtp)
                continue;
            const auto header = softphone::rtp::RtpPacket::parse(payload);
            QVERIFY(header);
            const qsizetype plain =
                12 + 1 + kMarker.size() + 1 + QByteArray::number(header->sequence).size() + 40;
            QCOMPARE(payload.size(), plain + tag);
            ++rtp;
        }
        QVERIFY2(rtp >= 2 * (kPackets - 2), qPrintable(QString::number(rtp)));
        qInfo("captured %d SRTP packets, none in plaintext", rtp);
    }

    // alice behind a NAT (nftables masquerade) in "lan"; bob and coturn in
    // "pub", which has no route into alice's network: only the NAT's
    // address, learnt through STUN or TURN, reaches alice.
    bool natTopology()
    {
        QString error;
        if (!m_netns->addNatTopology(&error))
            qWarning("%s", qPrintable(error));
        return error.isEmpty();
    }

    void natWithStun()
    {
        QVERIFY(natTopology());
        QTemporaryDir dir;
        Coturn coturn(*m_netns, "pub", "10.77.0.2", dir.path());
        QVERIFY2(coturn.ready(), qPrintable(coturn.log()));
        const QStringList stun{"--stun", "10.77.0.2:3478"};
        Call call(*m_netns, "lan", peerArguments("controlling", stun), "pub",
                  peerArguments("controlled", stun));
        PeerProcess &alice = call.alice;
        PeerProcess &bob = call.bob;
        QVERIFY(waitMedia(alice, bob, 1));
        verifyMediaArrived(alice, 1);
        verifyMediaArrived(bob, 1);
        // alice learnt her public address from STUN and trickled it.
        bool srflx = false;
        for (const QJsonObject &c : alice.all("candidate"))
            srflx = srflx || (c.value("line").toString().contains("typ srflx") &&
                              c.value("line").toString().contains("10.77.0.1 "));
        QVERIFY(srflx);
        // bob talks to the NAT's address, never to alice's private one.
        const QJsonObject pair = bob.last("media", 1).value("pair").toObject();
        QVERIFY2(pair.value("remoteAddress").toString().startsWith("10.77.0.1:"),
                 qPrintable(QJsonDocument(pair).toJson(QJsonDocument::Compact)));
        QVERIFY(QStringList({"srflx", "prflx"}).contains(pair.value("remoteType").toString()));
    }

    void turnRelay_data()
    {
        QTest::addColumn<QString>("transport");
        QTest::addColumn<bool>("blockUdp");
        QTest::newRow("TURN over UDP") << "udp" << false;
        QTest::newRow("UDP blocked: TURN over TCP") << "tcp" << true;
    }
    void turnRelay()
    {
        QFETCH(QString, transport);
        QFETCH(bool, blockUdp);
        QVERIFY(natTopology());
        QString error;
        if (blockUdp) // the NAT forwards no UDP at all
            QVERIFY2(m_netns->dropForwardedUdp("nat", &error), qPrintable(error));
        QTemporaryDir dir;
        Coturn coturn(*m_netns, "pub", "10.77.0.2", dir.path());
        QVERIFY2(coturn.ready(), qPrintable(coturn.log()));
        Call call(*m_netns, "lan",
                  peerArguments("controlling",
                                {"--force-relay", "--turn", turnArgument("10.77.0.2", transport)}),
                  "pub", peerArguments("controlled"));
        PeerProcess &alice = call.alice;
        PeerProcess &bob = call.bob;
        const bool arrived = waitMedia(alice, bob, 1);
        if (!arrived)
            qWarning("coturn: %s", qPrintable(coturn.log().right(3000)));
        QVERIFY(arrived);
        verifyMediaArrived(alice, 1);
        verifyMediaArrived(bob, 1);
        const QJsonObject pair = alice.last("media", 1).value("pair").toObject();
        QCOMPARE(pair.value("localType").toString(), QString("relay"));
        QCOMPARE(pair.value("relayTransport").toString(), transport);
        QCOMPARE(alice.last("media", 1).value("path").toString(), "turn-" + transport);
        QVERIFY2(pair.value("localAddress").toString().startsWith("10.77.0.2:"),
                 qPrintable(QJsonDocument(pair).toJson(QJsonDocument::Compact)));
    }

    // What a server would do (its main thread has no GLib dispatcher): bob's
    // ICE, DTLS and SRTP live on a worker QThread with its own GLib context.
    void mediaOnAWorkerThread()
    {
        const std::unique_ptr<Call> call = callOnOneLink({"--thread"});
        QVERIFY(call);
        verifyMediaArrived(call->alice, 1);
        verifyMediaArrived(call->bob, 1);
    }

    // alice's network drops 10 % of her RTP packets at random (nftables
    // numgen; counted). bob's reception statistics count them as lost, his
    // receiver reports tell alice the same figure, and alice gets a round trip.
    void lossMeasuredByRtcp()
    {
        QVERIFY(oneLink());
        QString error;
        // Only RTP of payload type 111 (first bytes 0x80 0x6f): STUN, DTLS and SRTCP pass.
        QVERIFY2(m_netns->run("a",
                              {"nft", "add table inet loss; add chain inet loss out { type "
                                      "filter hook output priority 0; }; add rule inet loss "
                                      "out udp length > 40 @th,64,16 0x806f numgen random "
                                      "mod 100 < 10 counter drop"},
                              &error),
                 qPrintable(error));
        Call call(*m_netns, "a", peerArguments("controlling", {"--packets", "200"}), "b",
                  peerArguments("controlled", {"--packets", "200"}));
        QVERIFY(waitMedia(call.alice, call.bob, 1));
        QByteArray rules;
        QVERIFY(m_netns->run("a", {"nft", "list", "table", "inet", "loss"}, &error, &rules));
        static const QRegularExpression counter(QStringLiteral("counter packets (\\d+)"));
        const int dropped = counter.match(QString::fromLatin1(rules)).captured(1).toInt();
        const QJsonObject bobMedia = call.bob.last("media", 1);
        const QJsonObject aliceMedia = call.alice.last("media", 1);
        const int bobLost = bobMedia.value("local").toObject().value("lost").toInt();
        const QJsonObject aliceRemote = aliceMedia.value("remote").toObject();
        qInfo("dropped %d of 200, bob counted %d lost, alice heard %d (fraction %.1f %%), round "
              "trip %.2f ms",
              dropped, bobLost, aliceRemote.value("cumulativeLost").toInt(),
              aliceRemote.value("fractionLostPercent").toDouble(),
              aliceRemote.value("roundTripMs").toDouble());
        QVERIFY(dropped > 0);
        // A drop before bob's first packet or after his last cannot be seen.
        QVERIFY2(qAbs(bobLost - dropped) <= 2, qPrintable(QString::number(bobLost)));
        QCOMPARE(aliceRemote.value("cumulativeLost").toInt(), bobLost);
        QVERIFY(aliceRemote.value("roundTripMs").toDouble() >= 0);
        // bob's packets to alice were not touched.
        QCOMPARE(aliceMedia.value("local").toObject().value("lost").toInt(), 0);
    }

    void consentLostThenRestart()
    {
        QString error;
        const std::unique_ptr<Call> call = callOnOneLink();
        QVERIFY(call);
        PeerProcess &alice = call->alice;
        PeerProcess &bob = call->bob;
        // bob's network stops taking UDP: consent checks go unanswered both ways
        // and consent expires (RFC 7675: 30 s without a response).
        QVERIFY2(m_netns->run("b",
                              {"nft", "add table inet block; add chain inet block in { type "
                                      "filter hook input priority 0; }; add rule inet block "
                                      "in meta l4proto udp drop"},
                              &error),
                 qPrintable(error));
        auto consentLost = [](const PeerProcess &p) {
            return p.last("error").value("message").toString().contains("consent lost");
        };
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 60000 && !(consentLost(alice) && consentLost(bob)))
            QTest::qWait(200);
        QVERIFY2(consentLost(alice) && consentLost(bob),
                 qPrintable(alice.last("error").value("message").toString()));
        qInfo("consent lost on both sides after %lld ms", t.elapsed());
        // The network comes back; alice restarts ICE and the call goes on.
        QVERIFY2(m_netns->run("b", {"nft", "delete table inet block"}, &error), qPrintable(error));
        alice.send(R"({"type":"restart"})");
        QVERIFY(waitMedia(alice, bob, 2));
        verifyMediaArrived(alice, 2);
        verifyMediaArrived(bob, 2);
    }

    void networkChangeRestartsIce()
    {
        QString error;
        const std::unique_ptr<Call> call = callOnOneLink();
        QVERIFY(call);
        PeerProcess &alice = call->alice;
        PeerProcess &bob = call->bob;
        // alice's address goes away and a new one comes (another network).
        QVERIFY2(m_netns->run("a", {"ip", "addr", "del", "10.77.0.1/24", "dev", "eth0"}, &error),
                 qPrintable(error));
        QVERIFY2(m_netns->run("a", {"ip", "addr", "add", "10.77.0.11/24", "dev", "eth0"}, &error),
                 qPrintable(error));
        alice.send(R"({"type":"restart"})");
        QVERIFY(waitMedia(alice, bob, 2));
        verifyMediaArrived(alice, 2);
        verifyMediaArrived(bob, 2);
        const QJsonObject pair = bob.last("media", 2).value("pair").toObject();
        QVERIFY2(pair.value("remoteAddress").toString().startsWith("10.77.0.11:"),
                 qPrintable(QJsonDocument(pair).toJson(QJsonDocument::Compact)));
        QCOMPARE(alice.all("dtls").size(), 1); // the DTLS keys stayed: one handshake
    }
};

QTEST_GUILESS_MAIN(TestIceNetns)
#include "tst_ice_netns.moc"
