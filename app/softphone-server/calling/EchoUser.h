#pragma once
// The reserved user `echo` as a media endpoint of its own (docs/protocol.md
// "Media", docs/media.md "UDP media"). The service cannot simply send the
// caller's frames back: they are SRTP keyed end to end. So for each echo call
// it is a DTLS-SRTP endpoint like a client (EchoEndpoint): a certificate of
// its own whose fingerprint goes into `established`, the answerer's roles,
// the caller's voice decrypted and sent back re-encrypted (its own SSRC and
// keys) one second later. When the caller offers ICE, the echo answers with
// ICE too (host candidates of the calling listener's address), within a
// limit of simultaneous ICE sessions: the test call then goes over UDP where
// it can, over the WebSocket relay otherwise. Only the echo's own keys are
// in the service, never a key of a call between two users.
//
// The endpoints live on a worker QThread (libnice needs the GLib loop that
// the service's epoll main thread does not run); this class stays on the
// main thread and passes media and signaling both ways, queued.

#include "protocol/MediaDescription.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QThread>
#include <optional>

namespace softphone::server::calling {

class CallingConnection;
class EchoEndpoint;

class EchoUser : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        int delayMs = 1000;
        // Echo calls with ICE at once (calling.echo_ice_sessions); past it an
        // echo call takes the relay only. 0: the echo never offers ICE.
        int maxIceSessions = 32;
        // To a working pair (per ICE generation), else the echo's ICE ends
        // and its slot is free (calling.echo_ice_timeout_ms).
        int iceTimeoutMs = 10000;
        // Host candidates only on this address (the calling listener's);
        // null or any: every interface's.
        QHostAddress localAddress;
    };

    explicit EchoUser(const Settings &settings, QObject *parent = nullptr);
    ~EchoUser() override;

    // The echo's `media` for the caller's `established`; its media starts
    // once that is sent. nullopt when the caller offered no media (no voice then).
    std::optional<protocol::MediaDescription>
    answer(const QString &callId, CallingConnection *caller,
           const std::optional<protocol::MediaDescription> &offer);
    // One binary frame from the caller of an echo call (MediaRelay checked it).
    void frameReceived(const QString &callId, const QByteArray &frame);
    // The caller's trickled candidate and ICE restart (MediaSignaling checked them).
    void remoteCandidate(const QString &callId, const QString &ufrag, const QString &line);
    void remoteRestart(const QString &callId, const protocol::MediaDescription &media);
    void callFinished(const QString &callId);

    qsizetype activeCalls() const { return m_calls.size(); }
    int iceSessions() const { return m_iceSessions; }

private:
    struct Call
    {
        QPointer<CallingConnection> caller;
        EchoEndpoint *endpoint = nullptr; // lives on m_thread
        bool ice = false;                 // holds one of maxIceSessions
        quint64 sentOnRelay = 0;          // binary frames to the caller, logged at the end
    };
    // The caller's connection, if the call and it are still there.
    CallingConnection *callerOf(const QString &callId) const;
    void iceEnded(const QString &callId);
    // Runs `work` on the endpoint's thread, after what was queued before.
    void post(EchoEndpoint *endpoint, std::function<void()> work);

    Settings m_settings;
    QHash<QString, Call> m_calls;
    int m_iceSessions = 0;
    QThread m_thread;
    QObject *m_home = nullptr; // on m_thread: where the endpoints are deleted at the end
};

} // namespace softphone::server::calling
