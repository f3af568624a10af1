#pragma once
// The reserved user `echo` as a media endpoint of its own (docs/protocol.md
// "Media", docs/media.md "UDP media"). The service cannot simply send the
// caller's frames back any more: they are SRTP keyed end to end. So for each
// echo call it is a DTLS-SRTP endpoint like a client (UdpMediaChannel without
// ICE, over the caller's WebSocket): a certificate of its own whose
// fingerprint goes into `established`, the DTLS client role of an answerer,
// the caller's voice decrypted and sent back re-encrypted (its own SSRC and
// keys) one second later. Only the echo's own keys are in the service, never
// a key of a call between two users.

#include "protocol/MediaDescription.h"

#include <QHash>
#include <QObject>
#include <memory>
#include <optional>

namespace softphone::server::calling {

class CallingConnection;

class EchoUser : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxQueuedFrames = 256; // > 1 s at the relay's 100 frames/s

    struct Settings
    {
        int delayMs = 1000;
    };

    explicit EchoUser(const Settings &settings, QObject *parent = nullptr);
    ~EchoUser() override;

    // The echo's `media` for the caller's `established`; its DTLS starts once
    // that is sent. nullopt when the caller offered no media (no voice then).
    std::optional<protocol::MediaDescription>
    answer(const QString &callId, CallingConnection *caller,
           const std::optional<protocol::MediaDescription> &offer);
    // One binary frame from the caller of an echo call (MediaRelay checked it).
    void frameReceived(const QString &callId, const QByteArray &frame);
    void callFinished(const QString &callId);

    qsizetype activeCalls() const { return m_calls.size(); }

private:
    struct Endpoint;
    void sendDue(Endpoint &endpoint);

    Settings m_settings;
    QHash<QString, std::shared_ptr<Endpoint>> m_calls;
};

} // namespace softphone::server::calling
