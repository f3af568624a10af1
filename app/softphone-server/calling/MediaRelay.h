#pragma once
// Voice on the calling connection (docs/protocol.md "Media"): each binary
// frame a connection sends is one DTLS record or SRTP/SRTCP packet of that
// connection's established call (RFC 7983 first byte), forwarded as is (it
// cannot decode it: the keys are the clients') to the other party. Anything
// else (a plain MediaFrame of an old client) is dropped, as are frames
// without an established call; a flooding connection is limited and then
// closed with 4429. The frames of a call to the reserved user `echo` go to
// the service's own endpoint (EchoUser).

#include "RateLimiter.h"
#include "protocol/Limits.h"

#include <QFile>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QRandomGenerator>
#include <memory>

namespace softphone::server::calling {

class CallingConnection;

// The user id the service answers itself (no account needed or possible).
using protocol::kEchoUserId;

class MediaRelay : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxFrameBytes = 1500;     // one UDP-sized datagram
    static constexpr int kMaxFramesPerSecond = 100; // 2 x the 50 frames/s of 20 ms voice
    static constexpr int kFrameBurst = 100;

    static constexpr qint64 kMaxDumpBytes = 16 << 20;

    struct Settings
    {
        int lossPercent = 0; // test only: drop this share of relayed frames
        QString dumpPath;    // test only: append every relayed frame here (4-byte length, bytes)
    };

    struct Stats
    {
        quint64 forwarded = 0;
        quint64 echoed = 0; // to the echo user
        quint64 droppedNoCall = 0;
        quint64 droppedNotSrtp = 0;
        quint64 droppedTooLarge = 0;
        quint64 droppedRate = 0;
        quint64 droppedTestLoss = 0;
    };

    explicit MediaRelay(const Settings &settings, QObject *parent = nullptr);
    ~MediaRelay() override;

    // Reads the `calling.test_media_loss_percent` and `calling.test_media_dump`
    // settings; false with a message when malformed.
    static bool settingsFrom(const QHash<QString, QString> &options, Settings *settings,
                             QString *error);

    // The router's events. callee == nullptr: the echo user answered.
    void callEstablished(const QString &callId, CallingConnection *caller,
                         CallingConnection *callee);
    void callFinished(const QString &callId);

    // One binary frame from an authenticated connection.
    void frameReceived(CallingConnection *from, const QByteArray &frame);

    Stats stats() const { return m_stats; }
    // DTLS (first byte 20-63) or SRTP/SRTCP (128-191, RFC 7983) of a plausible size.
    static bool isRelayable(const QByteArray &frame);

Q_SIGNALS:
    // A frame of an echo call, for the service's own endpoint.
    void echoFrameReceived(const QString &callId, const QByteArray &frame);

private:
    struct Route
    {
        QString callId;
        QPointer<CallingConnection> peer; // null for the echo user
        bool echo = false;
    };

    // Every party of the call stops sending and receiving its media.
    void dropRoutes(const QString &callId);
    RateLimiter &limiterFor(CallingConnection *connection);
    bool testLoss();
    void dump(const QByteArray &frame);

    Settings m_settings;
    Stats m_stats;
    QHash<CallingConnection *, Route> m_routes; // the connection's one call with media
    QHash<QString, QList<CallingConnection *>> m_parties;
    QHash<QString, quint64> m_relayedOf; // frames relayed per call, logged when it ends
    QHash<CallingConnection *, std::shared_ptr<RateLimiter>> m_limits;
    std::unique_ptr<QFile> m_dump;
    QRandomGenerator m_lossRandom{20240501}; // fixed seed: test runs are repeatable
};

} // namespace softphone::server::calling
