#pragma once
// ICE (RFC 8445) for one call's media, over libnice: gathers host,
// server-reflexive (STUN) and relayed (TURN over UDP, TCP or TLS) candidates,
// trickles them out one by one as SDP candidate lines (localCandidate) and
// takes the peer's the same way (addRemoteCandidate), checks the pairs,
// keeps checking consent (RFC 7675) and restarts when asked (restart(): a
// new network, a lost consent). Once a pair is selected it is the call's
// DatagramTransport: DTLS-SRTP runs over it.
//
// libnice runs on the GLib main context of the agent's thread. Qt's default
// event dispatcher on Linux is GLib's, on the main thread (the global default
// context) and on every QThread (a context of its own), so the clients need
// nothing more, and a process whose main thread has another dispatcher
// (softphone-server's epoll one) runs its agents on a QThread (see
// docs/media.md "UDP media"). One stream with one component: RTP and RTCP
// share it (RFC 5761).

#include "DatagramTransport.h"

#include <QString>
#include <QStringList>
#include <QTimer>
#include <optional>
#include <vector>

typedef struct _GMainContext GMainContext;
typedef struct _NiceAgent NiceAgent;
typedef struct _NiceCandidate NiceCandidate;

namespace softphone::rtp {

class IceAgent : public DatagramTransport
{
    Q_OBJECT
public:
    enum class Role { Controlling, Controlled }; // the caller controls
    enum class State { New, Gathering, Connecting, Connected, Failed, Closed };
    Q_ENUM(State)

    struct Server
    {
        enum class Transport { Udp, Tcp, Tls };
        QString address; // a numeric IP address (resolve names before)
        quint16 port = 3478;
        Transport transport = Transport::Udp;
        QString username; // TURN only
        QString password;
    };

    struct Settings
    {
        std::optional<Server> stun;
        std::vector<Server> turn;
        bool forceRelay = false;      // only relayed candidates (privacy, tests)
        int connectTimeoutMs = 20000; // from the peer's credentials or a restart to a working pair
        int maxRemoteCandidates = 64; // per ICE generation
        // Host candidates only on these numeric addresses (a server's listening
        // address); empty: every interface's.
        QStringList localAddresses;
        // The first generation's ufrag/pwd, chosen by the owner (the service's
        // echo answers with them before its agent's thread made the agent);
        // unset: libnice's own. Restarts always make new ones.
        std::optional<std::pair<QString, QString>> firstCredentials;
    };

    struct Credentials
    {
        QString ufrag;
        QString pwd;
        bool operator==(const Credentials &) const = default;
    };

    struct SelectedPair
    {
        QString localType; // host, srflx, prflx, relay
        QString remoteType;
        QString localAddress; // ip:port
        QString remoteAddress;
        QString relayTransport; // udp or tcp (TCP or TLS) when localType is relay
    };

    IceAgent(Role role, const Settings &settings, QObject *parent = nullptr);
    ~IceAgent() override;

    // Creates the stream and starts gathering (on the next loop turn: the
    // credentials are there at once, the candidates follow); false with
    // *error when libnice cannot (no GLib dispatcher). No usable network
    // shows as failed().
    bool start(QString *error = nullptr);
    Credentials localCredentials() const { return m_localCredentials; }
    // The peer's ufrag/pwd from its offer or answer. New ones during a call
    // mean the peer restarted ICE: we restart too (restarted() then
    // localCredentialsChanged() tell what to send back).
    void setRemoteCredentials(const Credentials &credentials);
    // One trickled candidate ("candidate:..." or "a=candidate:...") of the
    // peer's ICE generation `ufrag` (signaling sends the ufrag with each
    // candidate, RFC 8838). Candidates that come before their generation's
    // credentials wait for them (bounded); those of an older generation are
    // then dropped. False with *error when it does not parse or is over the limit.
    bool addRemoteCandidate(const QString &line, const QString &ufrag, QString *error = nullptr);
    void setRemoteGatheringDone();
    // ICE restart: new credentials, candidates gathered again (new
    // addresses included), checks from scratch.
    void restart();
    void close();

    bool sendDatagram(const QByteArray &datagram) override;

    State state() const { return m_state; }
    std::optional<SelectedPair> selectedPair() const { return m_selected; }
    int generation() const { return m_generation; } // +1 per restart
    QStringList localCandidates() const { return m_localCandidateLines; }

signals:
    void localCandidate(const QString &line); // "a=candidate:..." to trickle
    void localGatheringDone();
    void localCredentialsChanged(const softphone::rtp::IceAgent::Credentials &credentials);
    void stateChanged(softphone::rtp::IceAgent::State state);
    void selectedPairChanged(const softphone::rtp::IceAgent::SelectedPair &pair);
    void failed(const QString &why);
    void restarted();

private:
    struct Glue;
    friend struct Glue;
    bool createStream(QString *error);
    bool applyRemoteCandidate(const QString &line, QString *error);
    void removeStream();
    void setState(State state);
    void onComponentState(unsigned stream, unsigned state);
    void onNewCandidate(NiceCandidate *candidate);
    void onGatheringDone(unsigned stream);
    void onSelectedPair(unsigned stream, NiceCandidate *local, NiceCandidate *remote);
    void fail(const QString &why);

    Role m_role;
    Settings m_settings;
    GMainContext *m_context = nullptr;
    NiceAgent *m_agent = nullptr;
    unsigned m_stream = 0;
    State m_state = State::New;
    Credentials m_localCredentials;
    std::optional<Credentials> m_remoteCredentials;
    QList<std::pair<QString, QString>> m_pendingRemote; // (ufrag, line) before the credentials
    QStringList m_localCandidateLines;
    int m_remoteCandidates = 0;
    int m_generation = 0;
    std::optional<SelectedPair> m_selected;
    QTimer m_connectTimer;
    bool m_wasConnected = false;
    bool m_restartedByUs = false; // waiting for the peer's new credentials
};

} // namespace softphone::rtp

Q_DECLARE_METATYPE(softphone::rtp::IceAgent::Credentials)
Q_DECLARE_METATYPE(softphone::rtp::IceAgent::SelectedPair)
