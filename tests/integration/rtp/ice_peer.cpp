// ice_peer: one end of a call's UDP media for tst_ice_netns, run inside a
// network namespace: a UdpMediaChannel (ICE finds the path, DTLS-SRTP keys
// it), then a batch of Opus frames goes each way as SRTP, with RTCP reports. Signaling is JSON
// lines: what this peer says goes to stdout, what the other peer said comes in on stdin (the test
// relays them), plus the test's own commands (restart, quit).
//
//   ice_peer --role controlling|controlled [--stun IP:PORT]
//            [--turn IP:PORT:udp|tcp:EXPIRY:USER:PASSWORD] [--force-relay] [--packets N]
//            [--thread]   (ICE, DTLS and SRTP on a worker QThread, as a server would)
#include "rtp/DtlsCertificate.h"
#include "rtp/UdpMediaChannel.h"

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
const QByteArray kOpusToc("\x48", 1);

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

class Peer : public QObject
{
public:
    Peer(bool caller, const UdpMediaChannel::Settings &settings, int packets)
        : m_packets(packets)
        , m_certificate(DtlsCertificate::generate())
        , m_channel(caller, m_certificate, settings)
        , m_stdin(STDIN_FILENO, QSocketNotifier::Read)
    {
        connect(&m_channel, &UdpMediaChannel::localCandidate, this,
                [](const QString &line, const QString &ufrag) {
                    say({{"type", "candidate"}, {"line", line}, {"ufrag", ufrag}});
                });
        connect(&m_channel, &UdpMediaChannel::localGatheringDone, this, [] {
            say({{"type", "gatheringDone"}});
        });
        connect(&m_channel, &UdpMediaChannel::localDescriptionChanged, this,
                [this] { sayDescription(); });
        connect(&m_channel, &UdpMediaChannel::failed, this, [](const QString &why) {
            say({{"type", "error"}, {"message", why}});
        });
        connect(&m_channel, &UdpMediaChannel::connected, this, [this] {
            say({{"type", "dtls"}, {"profile", SrtpSession::profileName(*m_channel.profile())}});
            startBatch();
        });
        connect(&m_channel.ice(), &IceAgent::stateChanged, this, [this](IceAgent::State state) {
            if (state != IceAgent::State::Connected)
                return;
            say({{"type", "ice"},
                 {"state", "connected"},
                 {"generation", m_channel.ice().generation()},
                 {"path", m_channel.path()},
                 {"pair", pairJson()}});
            // A new path after an ICE restart: the DTLS keys stay, media goes on.
            if (m_channel.state() == UdpMediaChannel::State::Connected)
                startBatch();
        });
        connect(&m_channel, &UdpMediaChannel::frameReceived, this,
                [this](const softphone::media::MediaFrame &frame) {
                    if (frame.payload.startsWith(kOpusToc + kMarker))
                        ++m_received;
                });
        connect(&m_stdin, &QSocketNotifier::activated, this, &Peer::readStdin);
        m_sendTimer.setInterval(20);
        connect(&m_sendTimer, &QTimer::timeout, this, &Peer::sendOne);
    }

    bool start()
    {
        QString error;
        if (!m_certificate || !m_channel.start(&error)) {
            say({{"type", "error"}, {"message", error}});
            return false;
        }
        sayDescription();
        return true;
    }

private:
    void sayDescription()
    {
        const UdpMediaChannel::Description d = m_channel.localDescription();
        say({{"type", "credentials"},
             {"ufrag", d.ice.ufrag},
             {"pwd", d.ice.pwd},
             {"fingerprint", d.fingerprint}});
    }

    QJsonObject pairJson() const
    {
        const auto p = m_channel.ice().selectedPair();
        if (!p)
            return {};
        return {{"localType", p->localType},
                {"remoteType", p->remoteType},
                {"localAddress", p->localAddress},
                {"remoteAddress", p->remoteAddress},
                {"relayTransport", p->relayTransport}};
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
            m_channel.setRemoteDescription(
                {{o.value("ufrag").toString(), o.value("pwd").toString()},
                 o.value("fingerprint").toString()});
        } else if (type == "candidate") {
            QString error;
            if (!m_channel.addRemoteCandidate(o.value("line").toString(),
                                              o.value("ufrag").toString(), &error))
                say({{"type", "warning"}, {"message", error}});
        } else if (type == "gatheringDone") {
            m_channel.setRemoteGatheringDone();
        } else if (type == "restart") {
            m_channel.restart();
        } else if (type == "quit") {
            quitApp(0);
        }
    }

    void startBatch()
    {
        ++m_batch;
        m_sentInBatch = 0;
        m_receivedAtBatchStart = m_received;
        m_sendTimer.start();
    }

    void sendOne()
    {
        if (m_sentInBatch >= m_packets) {
            m_sendTimer.stop();
            // Give the peer's last packets and reports 1.5 s to arrive, then report.
            const int batch = m_batch;
            QTimer::singleShot(1500, this, [this, batch] {
                const ReceptionStats *in = m_channel.rtcp().reception();
                const RtcpSession::RemoteView &out = m_channel.rtcp().remoteView();
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
                     {"path", m_channel.path()},
                     {"pair", pairJson()}});
            });
            return;
        }
        // A valid Opus packet (TOC 0x48: one 20 ms frame) holding the marker
        // the test looks for on the wire.
        softphone::media::MediaFrame frame;
        frame.sequence = m_sequence++;
        frame.timestamp = 960u * frame.sequence;
        frame.payload = kOpusToc + kMarker + QByteArray(" ") + QByteArray::number(frame.sequence) +
                        QByteArray(40, 'x');
        // Counted as sent even when it cannot go out: the peer's report shows the loss.
        m_channel.sendFrame(frame);
        ++m_sentInBatch;
    }

    int m_packets;
    std::shared_ptr<const DtlsCertificate> m_certificate;
    UdpMediaChannel m_channel;
    QSocketNotifier m_stdin;
    QByteArray m_input;
    QTimer m_sendTimer;
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
    const bool caller = parser.value("role") == "controlling";
    UdpMediaChannel::Settings channelSettings;
    channelSettings.ice = settings;
    channelSettings.reportIntervalMs = 500; // RFC 3550 says 5 s; the test wants figures soon
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
            peer = std::make_unique<Peer>(caller, channelSettings, parser.value("packets").toInt());
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
