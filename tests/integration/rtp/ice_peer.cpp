// ice_peer: one end of a call's UDP media for tst_ice_netns, run inside a
// network namespace. ICE (IceAgent) finds the path, DTLS-SRTP keys it, then a
// batch of SRTP packets goes each way. Signaling is JSON lines: what this
// peer says goes to stdout, what the other peer said comes in on stdin (the
// test relays them), plus the test's own commands (restart, quit).
//
//   ice_peer --role controlling|controlled [--stun IP:PORT]
//            [--turn IP:PORT:udp|tcp:EXPIRY:USER:PASSWORD] [--force-relay] [--packets N]
//            [--thread]   (ICE, DTLS and SRTP on a worker QThread, as a server would)
#include "DtlsCertificate.h"
#include "DtlsSrtpTransport.h"
#include "IceAgent.h"
#include "RtcpSession.h"
#include "RtpPacket.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSocketNotifier>
#include <QThread>
#include <QTimer>

#include <chrono>
#include <cstdio>
#include <unistd.h>

using namespace softphone::rtp;

namespace {
// What must never be seen on the wire: the test's capture looks for it.
const QByteArray kMarker = "PLAINTEXT-OPUS-MARKER";

qint64 wallClockUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Safe from any thread: the main loop ends.
void quitApp(int code)
{
    QMetaObject::invokeMethod(
        QCoreApplication::instance(), [code] { QCoreApplication::exit(code); },
        Qt::QueuedConnection);
}

void say(const QJsonObject &o)
{
    const QByteArray line = QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
    fwrite(line.constData(), 1, size_t(line.size()), stdout);
    fflush(stdout);
}

QJsonObject pairJson(const IceAgent::SelectedPair &p)
{
    return {{"localType", p.localType},
            {"remoteType", p.remoteType},
            {"localAddress", p.localAddress},
            {"remoteAddress", p.remoteAddress},
            {"relayTransport", p.relayTransport}};
}

class Peer : public QObject
{
public:
    Peer(IceAgent::Role role, const IceAgent::Settings &settings, int packets)
        : m_role(role)
        , m_packets(packets)
        , m_certificate(DtlsCertificate::generate())
        , m_ice(role, settings)
        , m_stdin(STDIN_FILENO, QSocketNotifier::Read)
    {
        connect(&m_ice, &IceAgent::localCandidate, this, [this](const QString &line) {
            say({{"type", "candidate"}, {"line", line}, {"ufrag", m_ice.localCredentials().ufrag}});
        });
        connect(&m_ice, &IceAgent::localGatheringDone, this, [] {
            say({{"type", "gatheringDone"}});
        });
        connect(&m_ice, &IceAgent::localCredentialsChanged, this, [this] { sayCredentials(); });
        connect(&m_ice, &IceAgent::failed, this, [](const QString &why) {
            say({{"type", "error"}, {"message", why}});
        });
        connect(&m_ice, &IceAgent::stateChanged, this, [this](IceAgent::State state) {
            if (state != IceAgent::State::Connected)
                return;
            QJsonObject o{
                {"type", "ice"}, {"state", "connected"}, {"generation", m_ice.generation()}};
            if (m_ice.selectedPair())
                o.insert("pair", pairJson(*m_ice.selectedPair()));
            say(o);
            startDtlsOrSend();
        });
        connect(&m_stdin, &QSocketNotifier::activated, this, &Peer::readStdin);
        m_sendTimer.setInterval(20);
        connect(&m_sendTimer, &QTimer::timeout, this, &Peer::sendOne);
        // Reports every 500 ms (RFC 3550 says 5 s; the test wants figures soon).
        m_reportTimer.setInterval(500);
        connect(&m_reportTimer, &QTimer::timeout, this,
                [this] { m_dtls->sendRtcp(m_rtcp.makeReport(wallClockUs()).serialize()); });
    }

    bool start()
    {
        QString error;
        if (!m_certificate || !m_ice.start(&error)) {
            say({{"type", "error"}, {"message", error}});
            return false;
        }
        sayCredentials();
        return true;
    }

private:
    void sayCredentials()
    {
        say({{"type", "credentials"},
             {"ufrag", m_ice.localCredentials().ufrag},
             {"pwd", m_ice.localCredentials().pwd},
             {"fingerprint", m_certificate->fingerprint()}});
    }

    void readStdin()
    {
        char buffer[4096];
        const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (n <= 0) {
            quitApp(0); // the test went away
            return;
        }
        m_input.append(buffer, int(n));
        for (qsizetype nl; (nl = m_input.indexOf('\n')) >= 0;) {
            const QByteArray line = m_input.left(nl);
            m_input.remove(0, nl + 1);
            handle(QJsonDocument::fromJson(line).object());
        }
    }

    void handle(const QJsonObject &o)
    {
        const QString type = o.value("type").toString();
        if (type == "credentials") {
            m_remoteFingerprint = o.value("fingerprint").toString();
            m_ice.setRemoteCredentials({o.value("ufrag").toString(), o.value("pwd").toString()});
        } else if (type == "candidate") {
            QString error;
            if (!m_ice.addRemoteCandidate(o.value("line").toString(), o.value("ufrag").toString(),
                                          &error))
                say({{"type", "warning"}, {"message", error}});
        } else if (type == "gatheringDone") {
            m_ice.setRemoteGatheringDone();
        } else if (type == "restart") {
            m_ice.restart();
        } else if (type == "quit") {
            quitApp(0);
        }
    }

    void startDtlsOrSend()
    {
        if (!m_dtls) {
            // The caller (controlling) offered actpass; the answerer is the DTLS client.
            m_dtls = std::make_unique<DtlsSrtpTransport>(m_certificate,
                                                         m_role == IceAgent::Role::Controlling
                                                             ? DtlsSrtpTransport::Role::Server
                                                             : DtlsSrtpTransport::Role::Client,
                                                         m_remoteFingerprint, &m_ice);
            connect(m_dtls.get(), &DtlsSrtpTransport::connected, this, [this] {
                say({{"type", "dtls"}, {"profile", SrtpSession::profileName(*m_dtls->profile())}});
                startBatch();
            });
            connect(m_dtls.get(), &DtlsSrtpTransport::failed, this, [](const QString &why) {
                say({{"type", "error"}, {"message", why}});
            });
            connect(m_dtls.get(), &DtlsSrtpTransport::rtpReceived, this,
                    [this](const QByteArray &rtp) {
                        const auto p = RtpPacket::parse(rtp);
                        if (p && p->payload.startsWith(kMarker)) {
                            ++m_received;
                            m_rtcp.onRtpReceived(*p, wallClockUs());
                        }
                    });
            connect(m_dtls.get(), &DtlsSrtpTransport::rtcpReceived, this,
                    [this](const QByteArray &rtcp) {
                        if (const auto c = RtcpCompound::parse(rtcp))
                            m_rtcp.onRtcpReceived(*c, wallClockUs());
                    });
            m_dtls->start();
        } else if (m_dtls->state() == DtlsSrtpTransport::State::Connected) {
            startBatch(); // a new path after an ICE restart: the DTLS keys stay
        }
    }

    void startBatch()
    {
        ++m_batch;
        m_sentInBatch = 0;
        m_receivedAtBatchStart = m_received;
        m_sendTimer.start();
        m_reportTimer.start();
    }

    void sendOne()
    {
        if (m_sentInBatch >= m_packets) {
            m_sendTimer.stop();
            // Give the peer's last packets 1.5 s to arrive, then report.
            const int batch = m_batch;
            QTimer::singleShot(1500, this, [this, batch] {
                const ReceptionStats *in = m_rtcp.reception();
                const RtcpSession::RemoteView &out = m_rtcp.remoteView();
                say({{"type", "media"},
                     {"batch", batch},
                     {"sent", m_packets},
                     {"received", m_received - m_receivedAtBatchStart},
                     {"local", QJsonObject{{"expected", in ? in->expected() : 0},
                                           {"lost", in ? in->cumulativeLost() : 0},
                                           {"jitterMs", in ? in->jitterMs() : 0}}},
                     {"remote", QJsonObject{{"cumulativeLost", out.cumulativeLost},
                                            {"fractionLostPercent", out.fractionLostPercent},
                                            {"roundTripMs", out.roundTripMs.value_or(-1)}}},
                     {"pair",
                      m_ice.selectedPair() ? pairJson(*m_ice.selectedPair()) : QJsonObject()}});
            });
            return;
        }
        RtpPacket p;
        p.payloadType = 111;
        p.ssrc = m_role == IceAgent::Role::Controlling ? 0xca11e4 : 0xca11ee;
        p.sequence = m_sequence++;
        p.timestamp = 960u * p.sequence;
        p.payload =
            kMarker + QByteArray(" ") + QByteArray::number(p.sequence) + QByteArray(40, 'x');
        // Counted as sent even when it cannot go out: the peer's report shows the loss.
        m_dtls->sendRtp(p.serialize());
        m_rtcp.onRtpSent(p, wallClockUs());
        ++m_sentInBatch;
    }

    IceAgent::Role m_role;
    int m_packets;
    std::shared_ptr<const DtlsCertificate> m_certificate;
    IceAgent m_ice;
    std::unique_ptr<DtlsSrtpTransport> m_dtls;
    QSocketNotifier m_stdin;
    QByteArray m_input;
    QString m_remoteFingerprint;
    QTimer m_sendTimer;
    QTimer m_reportTimer;
    RtcpSession m_rtcp{m_role == IceAgent::Role::Controlling ? 0xca11e4u : 0xca11eeu,
                       m_role == IceAgent::Role::Controlling ? "alice" : "bob"};
    int m_batch = 0;
    int m_sentInBatch = 0;
    int m_received = 0;
    int m_receivedAtBatchStart = 0;
    quint16 m_sequence = 1;
};

std::optional<IceAgent::Server> parseServer(const QString &text, bool turn)
{
    const QStringList parts = text.split(':');
    if (parts.size() < 2)
        return std::nullopt;
    IceAgent::Server server;
    server.address = parts[0];
    server.port = quint16(parts[1].toUInt());
    if (turn) {
        if (parts.size() != 6)
            return std::nullopt;
        server.transport =
            parts[2] == "tcp" ? IceAgent::Server::Transport::Tcp : IceAgent::Server::Transport::Udp;
        server.username = parts[3] + ':' + parts[4]; // REST usernames are expiry:user
        server.password = parts[5];
    }
    return server;
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions({{"role", "controlling or controlled", "role"},
                       {"stun", "STUN server IP:PORT", "server"},
                       {"turn", "TURN server IP:PORT:udp|tcp:EXPIRY:USER:PASSWORD", "server"},
                       {"force-relay", "only relayed candidates"},
                       {"packets", "SRTP packets per batch", "n", "50"},
                       {"thread", "run the media on a worker thread"}});
    parser.process(app);
    IceAgent::Settings settings;
    settings.connectTimeoutMs = 20000;
    if (parser.isSet("stun"))
        settings.stun = parseServer(parser.value("stun"), false);
    if (parser.isSet("turn")) {
        const auto turn = parseServer(parser.value("turn"), true);
        if (!turn) {
            say({{"type", "error"}, {"message", "bad --turn"}});
            return 2;
        }
        settings.turn.push_back(*turn);
    }
    settings.forceRelay = parser.isSet("force-relay");
    const auto role = parser.value("role") == "controlling" ? IceAgent::Role::Controlling
                                                            : IceAgent::Role::Controlled;
    QThread worker;
    QObject *home = &app;
    if (parser.isSet("thread")) {
        worker.start();
        home = new QObject;
        home->moveToThread(&worker);
    }
    std::unique_ptr<Peer> peer;
    bool started = false;
    // The peer and everything in it live on `home`'s thread.
    QMetaObject::invokeMethod(
        home,
        [&] {
            peer = std::make_unique<Peer>(role, settings, parser.value("packets").toInt());
            started = peer->start();
        },
        home == &app ? Qt::DirectConnection : Qt::BlockingQueuedConnection);
    int code = 1;
    if (started) {
        QTimer::singleShot(90'000, &app, [] { QCoreApplication::exit(3); }); // bounded, always
        code = app.exec();
    }
    QMetaObject::invokeMethod(
        home, [&] { peer.reset(); },
        home == &app ? Qt::DirectConnection : Qt::BlockingQueuedConnection);
    if (home != &app) {
        worker.quit();
        worker.wait(5000);
        delete home;
    }
    return code;
}
