#include "IceAgent.h"

#include "RtpLogging.h"

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QThread>

// GLib's gio headers use "signals" as a member name; Qt defines it as a macro.
#pragma push_macro("signals")
#undef signals
#include <gio/gio.h>
#include <nice/agent.h>
#pragma pop_macro("signals")

namespace softphone::rtp {

namespace {
constexpr guint kComponent = 1; // RTP and RTCP multiplexed
constexpr int kMaxCandidateLine = 512;

QString typeName(NiceCandidateType type)
{
    switch (type) {
    case NICE_CANDIDATE_TYPE_HOST:
        return QStringLiteral("host");
    case NICE_CANDIDATE_TYPE_SERVER_REFLEXIVE:
        return QStringLiteral("srflx");
    case NICE_CANDIDATE_TYPE_PEER_REFLEXIVE:
        return QStringLiteral("prflx");
    case NICE_CANDIDATE_TYPE_RELAYED:
        return QStringLiteral("relay");
    }
    return QStringLiteral("unknown");
}

QString addressOf(const NiceCandidate *candidate)
{
    gchar text[NICE_ADDRESS_STRING_LEN];
    nice_address_to_string(&candidate->addr, text);
    return QStringLiteral("%1:%2")
        .arg(QString::fromLatin1(text))
        .arg(nice_address_get_port(&candidate->addr));
}

NiceRelayType relayType(IceAgent::Server::Transport transport)
{
    switch (transport) {
    case IceAgent::Server::Transport::Tcp:
        return NICE_RELAY_TYPE_TURN_TCP;
    case IceAgent::Server::Transport::Tls:
        return NICE_RELAY_TYPE_TURN_TLS;
    case IceAgent::Server::Transport::Udp:
        break;
    }
    return NICE_RELAY_TYPE_TURN_UDP;
}
} // namespace

// The C callbacks libnice calls on the GLib main context (our thread).
struct IceAgent::Glue
{
    static void gatheringDone(NiceAgent *, guint stream, gpointer self)
    {
        static_cast<IceAgent *>(self)->onGatheringDone(stream);
    }
    static void componentState(NiceAgent *, guint stream, guint component, guint state,
                               gpointer self)
    {
        if (component == kComponent)
            static_cast<IceAgent *>(self)->onComponentState(stream, state);
    }
    static void newCandidate(NiceAgent *, NiceCandidate *candidate, gpointer self)
    {
        static_cast<IceAgent *>(self)->onNewCandidate(candidate);
    }
    static void selectedPair(NiceAgent *, guint stream, guint component, NiceCandidate *local,
                             NiceCandidate *remote, gpointer self)
    {
        if (component == kComponent)
            static_cast<IceAgent *>(self)->onSelectedPair(stream, local, remote);
    }
    static void received(NiceAgent *, guint, guint, guint length, gchar *data, gpointer self)
    {
        emit static_cast<IceAgent *>(self)->datagramReceived(QByteArray(data, int(length)));
    }
};

IceAgent::IceAgent(Role role, const Settings &settings, QObject *parent)
    : DatagramTransport(parent)
    , m_role(role)
    , m_settings(settings)
{
    qRegisterMetaType<Credentials>();
    qRegisterMetaType<SelectedPair>();
    m_connectTimer.setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        fail(QStringLiteral("ICE found no working path to the peer within %1 s")
                 .arg(m_settings.connectTimeoutMs / 1000.0));
    });
}

IceAgent::~IceAgent()
{
    if (!m_agent) {
        if (m_context)
            g_main_context_unref(m_context);
        return;
    }
    g_signal_handlers_disconnect_by_data(m_agent, this);
    if (m_stream)
        nice_agent_attach_recv(m_agent, m_stream, kComponent, m_context, nullptr, nullptr);
    // Closing releases TURN allocations (a refresh with lifetime 0) before
    // the agent goes; it finishes on the loop, which then drops the agent.
    nice_agent_close_async(
        m_agent, [](GObject *agent, GAsyncResult *, gpointer) { g_object_unref(agent); }, nullptr);
    g_main_context_unref(m_context); // the agent keeps its own reference
}

bool IceAgent::start(QString *error)
{
    auto refuse = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    if (m_agent)
        return refuse(QStringLiteral("ICE agent already started"));
    // libnice's sources live on this thread's GLib context, which Qt's GLib
    // dispatcher iterates (on the main thread the global default context; on
    // another QThread one of its own that Qt pushes as the thread default).
    const QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance(thread());
    if (!dispatcher || !dispatcher->inherits("QEventDispatcherGlib") ||
        thread() != QThread::currentThread())
        return refuse(
            QStringLiteral("ICE needs Qt's GLib event dispatcher on the thread of its IceAgent"));
    m_context = g_main_context_ref_thread_default();
    m_agent = nice_agent_new_full(
        m_context, NICE_COMPATIBILITY_RFC5245,
        NiceAgentOption(NICE_AGENT_OPTION_ICE_TRICKLE | NICE_AGENT_OPTION_CONSENT_FRESHNESS));
    if (!m_agent)
        return refuse(QStringLiteral("libnice could not create an ICE agent"));
    g_object_set(m_agent, "controlling-mode", gboolean(m_role == Role::Controlling), "upnp", FALSE,
                 "ice-tcp", FALSE, "force-relay", gboolean(m_settings.forceRelay), nullptr);
    for (const QString &address : m_settings.localAddresses) {
        NiceAddress local;
        nice_address_init(&local);
        if (!nice_address_set_from_string(&local, address.toLatin1().constData()))
            return refuse(QStringLiteral("'%1' is not a numeric IP address").arg(address));
        nice_agent_add_local_address(m_agent, &local);
    }
    if (m_settings.stun) {
        const QByteArray host = m_settings.stun->address.toLatin1();
        g_object_set(m_agent, "stun-server", host.constData(), "stun-server-port",
                     guint(m_settings.stun->port), nullptr);
    }
    g_signal_connect(m_agent, "candidate-gathering-done", G_CALLBACK(&Glue::gatheringDone), this);
    g_signal_connect(m_agent, "component-state-changed", G_CALLBACK(&Glue::componentState), this);
    g_signal_connect(m_agent, "new-candidate-full", G_CALLBACK(&Glue::newCandidate), this);
    g_signal_connect(m_agent, "new-selected-pair-full", G_CALLBACK(&Glue::selectedPair), this);
    if (!createStream(error))
        return false;
    return true;
}

bool IceAgent::createStream(QString *error)
{
    m_stream = nice_agent_add_stream(m_agent, 1);
    if (m_stream == 0) {
        if (error)
            *error = QStringLiteral("libnice could not add the media stream");
        return false;
    }
    nice_agent_set_stream_name(m_agent, m_stream, "audio");
    for (const Server &turn : m_settings.turn) {
        nice_agent_set_relay_info(m_agent, m_stream, kComponent,
                                  turn.address.toLatin1().constData(), turn.port,
                                  turn.username.toUtf8().constData(),
                                  turn.password.toUtf8().constData(), relayType(turn.transport));
    }
    nice_agent_attach_recv(m_agent, m_stream, kComponent, m_context, &Glue::received, this);
    if (m_generation == 0 && m_settings.firstCredentials &&
        !nice_agent_set_local_credentials(
            m_agent, m_stream, m_settings.firstCredentials->first.toLatin1().constData(),
            m_settings.firstCredentials->second.toLatin1().constData())) {
        if (error)
            *error = QStringLiteral("libnice refused the given ICE credentials");
        return false;
    }
    gchar *ufrag = nullptr;
    gchar *pwd = nullptr;
    nice_agent_get_local_credentials(m_agent, m_stream, &ufrag, &pwd);
    m_localCredentials = {QString::fromLatin1(ufrag), QString::fromLatin1(pwd)};
    g_free(ufrag);
    g_free(pwd);
    m_localCandidateLines.clear();
    m_remoteCandidates = 0;
    setState(State::Gathering);
    // The deadline runs from the peer's credentials (an offer may ring for a
    // while before the answer brings them), or from a restart.
    if (m_remoteCredentials || m_generation > 0)
        m_connectTimer.start(m_settings.connectTimeoutMs);
    // Gathering starts on the next loop turn, so the credentials are known
    // (and sent) before the first candidate trickles out.
    const unsigned stream = m_stream;
    QMetaObject::invokeMethod(
        this,
        [this, stream] {
            if (stream != m_stream || m_state == State::Closed)
                return;
            if (!nice_agent_gather_candidates(m_agent, m_stream))
                return fail(QStringLiteral(
                    "ICE could not gather candidates (no usable network interface)"));
            qCInfo(lcRtp) << "ICE stream" << m_stream << "gathering, generation" << m_generation;
        },
        Qt::QueuedConnection);
    return true;
}

void IceAgent::removeStream()
{
    if (!m_agent || m_stream == 0)
        return;
    nice_agent_attach_recv(m_agent, m_stream, kComponent, m_context, nullptr, nullptr);
    nice_agent_remove_stream(m_agent, m_stream);
    m_stream = 0;
}

void IceAgent::setRemoteCredentials(const Credentials &credentials)
{
    if (!m_agent || credentials.ufrag.isEmpty() || credentials.pwd.isEmpty())
        return;
    if (m_remoteCredentials == credentials)
        return;
    if (m_remoteCredentials && !m_restartedByUs) {
        // New credentials from the peer mid-call: it restarted ICE; so do we.
        qCInfo(lcRtp) << "the peer restarted ICE";
        restart();
    }
    m_restartedByUs = false;
    m_remoteCredentials = credentials;
    if (!m_connectTimer.isActive() && m_state != State::Connected)
        m_connectTimer.start(m_settings.connectTimeoutMs);
    nice_agent_set_remote_credentials(m_agent, m_stream, credentials.ufrag.toLatin1().constData(),
                                      credentials.pwd.toLatin1().constData());
    const auto pending = std::exchange(m_pendingRemote, {});
    for (const auto &[ufrag, line] : pending) {
        if (ufrag == credentials.ufrag)
            applyRemoteCandidate(line, nullptr);
    }
}

bool IceAgent::addRemoteCandidate(const QString &line, const QString &ufrag, QString *error)
{
    auto refuse = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    if (!m_agent || m_state == State::Closed)
        return refuse(QStringLiteral("ICE agent not running"));
    if (line.size() > kMaxCandidateLine)
        return refuse(QStringLiteral("ICE candidate line too long"));
    if (!m_remoteCredentials) {
        if (m_pendingRemote.size() >= m_settings.maxRemoteCandidates)
            return refuse(QStringLiteral("too many ICE candidates before the credentials"));
        m_pendingRemote.append({ufrag, line});
        return true;
    }
    if (ufrag != m_remoteCredentials->ufrag) {
        // Of the peer's next generation (its restart's candidates may overtake
        // its credentials): kept until they come; an older one is dropped then.
        if (m_pendingRemote.size() >= m_settings.maxRemoteCandidates)
            return refuse(QStringLiteral("too many ICE candidates of an unknown generation"));
        m_pendingRemote.append({ufrag, line});
        return true;
    }
    return applyRemoteCandidate(line, error);
}

bool IceAgent::applyRemoteCandidate(const QString &line, QString *error)
{
    if (m_remoteCandidates >= m_settings.maxRemoteCandidates) {
        if (error)
            *error = QStringLiteral("more than %1 ICE candidates from the peer")
                         .arg(m_settings.maxRemoteCandidates);
        return false;
    }
    QByteArray sdp = line.trimmed().toLatin1();
    if (!sdp.startsWith("a="))
        sdp.prepend("a=");
    NiceCandidate *candidate =
        nice_agent_parse_remote_candidate_sdp(m_agent, m_stream, sdp.constData());
    if (!candidate) {
        if (error)
            *error = QStringLiteral("ICE candidate does not parse: %1").arg(line.left(80));
        return false;
    }
    GSList list{candidate, nullptr};
    const int added = nice_agent_set_remote_candidates(m_agent, m_stream, kComponent, &list);
    nice_candidate_free(candidate);
    if (added < 1) {
        if (error)
            *error = QStringLiteral("libnice refused the ICE candidate: %1").arg(line.left(80));
        return false;
    }
    ++m_remoteCandidates;
    return true;
}

void IceAgent::setRemoteGatheringDone()
{
    if (m_agent && m_stream)
        nice_agent_peer_candidate_gathering_done(m_agent, m_stream);
}

void IceAgent::restart()
{
    if (!m_agent || m_state == State::Closed)
        return;
    removeStream();
    ++m_generation;
    m_selected.reset();
    m_wasConnected = false;
    m_remoteCredentials.reset();
    m_pendingRemote.clear();
    m_restartedByUs = true;
    if (!createStream(nullptr))
        return;
    emit restarted();
    emit localCredentialsChanged(m_localCredentials);
}

void IceAgent::close()
{
    if (m_state == State::Closed)
        return;
    m_connectTimer.stop();
    removeStream();
    setState(State::Closed);
}

bool IceAgent::sendDatagram(const QByteArray &datagram)
{
    if (!m_agent || m_stream == 0 || m_state != State::Connected)
        return false;
    return nice_agent_send(m_agent, m_stream, kComponent, guint(datagram.size()),
                           datagram.constData()) == datagram.size();
}

void IceAgent::onGatheringDone(unsigned stream)
{
    if (stream != m_stream)
        return;
    emit localGatheringDone();
}

void IceAgent::onNewCandidate(NiceCandidate *candidate)
{
    if (!candidate || candidate->stream_id != m_stream || candidate->component_id != kComponent)
        return;
    gchar *sdp = nice_agent_generate_local_candidate_sdp(m_agent, candidate);
    if (!sdp)
        return;
    const QString line = QString::fromLatin1(sdp);
    g_free(sdp);
    m_localCandidateLines.append(line);
    emit localCandidate(line);
}

void IceAgent::onSelectedPair(unsigned stream, NiceCandidate *local, NiceCandidate *remote)
{
    if (stream != m_stream || !local || !remote)
        return;
    SelectedPair pair;
    pair.localType = typeName(local->type);
    pair.remoteType = typeName(remote->type);
    pair.localAddress = addressOf(local);
    pair.remoteAddress = addressOf(remote);
    if (local->type == NICE_CANDIDATE_TYPE_RELAYED) {
        // libnice does not say which TURN server a relayed candidate came
        // through, but its type preference does: 30 for TURN over UDP, 20
        // over TCP or TLS (agent/candidate.h, NICE_CANDIDATE_TYPE_PREF_RELAYED*).
        pair.relayTransport =
            (local->priority >> 24) == 30 ? QStringLiteral("udp") : QStringLiteral("tcp");
    }
    m_selected = pair;
    qCInfo(lcRtp) << "ICE selected" << pair.localType << pair.localAddress << "->"
                  << pair.remoteType << pair.remoteAddress << pair.relayTransport;
    emit selectedPairChanged(pair);
}

void IceAgent::onComponentState(unsigned stream, unsigned state)
{
    if (stream != m_stream)
        return;
    switch (NiceComponentState(state)) {
    case NICE_COMPONENT_STATE_GATHERING:
        setState(State::Gathering);
        break;
    case NICE_COMPONENT_STATE_CONNECTING:
        setState(State::Connecting);
        break;
    case NICE_COMPONENT_STATE_CONNECTED:
    case NICE_COMPONENT_STATE_READY:
        m_connectTimer.stop();
        m_wasConnected = true;
        setState(State::Connected);
        break;
    case NICE_COMPONENT_STATE_FAILED:
        fail(m_wasConnected
                 ? QStringLiteral("ICE consent lost: the peer stopped answering on the selected "
                                  "path (restart ICE)")
                 : QStringLiteral("ICE failed: no candidate pair reached the peer"));
        break;
    default:
        break;
    }
}

void IceAgent::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void IceAgent::fail(const QString &why)
{
    if (m_state == State::Failed || m_state == State::Closed)
        return;
    m_connectTimer.stop();
    qCWarning(lcRtp) << why;
    setState(State::Failed);
    emit failed(why);
}

} // namespace softphone::rtp
