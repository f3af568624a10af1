#pragma once
// One echo call's media endpoint, living on EchoUser's worker thread (the
// server's main thread runs epoll, which never iterates the GLib context
// libnice needs; docs/media.md "Event loops"). A UdpMediaChannel in the
// answerer's roles (ICE controlled, DTLS client) that plays the caller's voice
// back one second later. With ICE it takes the path the caller's media comes
// on: UDP once ICE connects, the WebSocket relay when the caller sends there
// (it fell back) or when UDP is not up within the setup time. Everything it
// sends the caller goes through Outbox, whose functions EchoUser makes to
// queue the work onto the main thread; it is called on the worker only.

#include "protocol/MediaDescription.h"
#include "rtp/UdpMediaChannel.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>
#include <QTimer>
#include <deque>
#include <functional>
#include <memory>

namespace softphone::server::calling {

class EchoEndpoint : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxQueuedFrames = 256; // > 1 s at the relay's 100 frames/s

    struct Settings
    {
        int delayMs = 1000;
        int setupTimeoutMs = 4000; // from the answer to the relay, as a client's
        rtp::UdpMediaChannel::Settings channel;
        // With ICE: the caller's candidates are taken only at this address (its
        // calling connection's); its others it learns peer-reflexively from
        // the caller's authenticated checks. Null: every candidate.
        QHostAddress callerAddress;
    };
    struct Outbox
    {
        std::function<void(const QByteArray &datagram)> relay;
        std::function<void(const QString &ufrag, const QString &line)> candidate;
        std::function<void(const protocol::MediaDescription &media)> restarted;
        std::function<void()> iceEnded; // the ICE session's slot is free
    };

    EchoEndpoint(const QString &callId, std::shared_ptr<const rtp::DtlsCertificate> certificate,
                 const Settings &settings, Outbox outbox);
    ~EchoEndpoint() override;

    // On the worker thread, in this order: start first.
    void start(const protocol::MediaDescription &offer);
    void relayDatagramReceived(const QByteArray &datagram);
    void remoteCandidate(const QString &ufrag, const QString &line);
    void remoteRestart(const protocol::MediaDescription &media);
    void close();

private:
    bool hasIce() const { return m_settings.channel.useIce; }
    void takeRelay(bool relay);
    void endIce(const QString &why);
    void sendDue();

    QString m_callId;
    std::shared_ptr<const rtp::DtlsCertificate> m_certificate;
    Settings m_settings;
    Outbox m_outbox;
    std::unique_ptr<rtp::UdpMediaChannel> m_channel;
    bool m_onRelay = false;
    bool m_iceEnded = false;
    std::deque<std::pair<qint64, media::MediaFrame>> m_queue; // arrival time, frame
    QTimer m_sendTimer;
    QTimer m_setupTimer;
    QElapsedTimer m_clock;
};

} // namespace softphone::server::calling
